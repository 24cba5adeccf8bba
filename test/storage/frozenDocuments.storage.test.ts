import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { pdfPages } from '../support/pdfPages.ts';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportInvoice, type InvoiceExportFormat } from '../../src/services/exportInvoice.ts';
import { addDraftLine, approve } from '../../src/services/invoicing.ts';
import { canonicalJson } from '../../src/storage/contentHash.ts';
import type { Database } from '../../src/storage/database.ts';
import type { InvoiceDocument } from '../../src/storage/invoiceSnapshotStore.ts';
import type { Invoice } from '../../src/domain/invoice.ts';
import { applyYaml, callsCsv, generate, ingestCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';
import { tinyPng } from '../support/tinyPng.ts';

const logoFolder = mkdtempSync(join(tmpdir(), 'confbill-logo-'));
writeFileSync(join(logoFolder, 'logo.png'), tinyPng([200, 30, 30]));
writeFileSync(join(logoFolder, 'other.png'), tinyPng([30, 30, 200]));

// The provider block uses vatId, the earlier name of taxId, which is still read.
const config = `
settings:
  timezone: Europe/Oslo
  taxRatePercent: "25"
  provider: { name: Fjordvideo AS, address: "Kaigata 2\\n5016 Bergen", email: faktura@fjordvideo.example, vatId: NO 998 877 665 MVA,
              paymentDetails: "Sparebanken Vest\\nIBAN NO65 3624 1234 567", logo: ${JSON.stringify(join(logoFolder, 'logo.png'))} }
customers:
  - { id: fz, name: Fjord Shipping AS, matching: [{ kind: domain, value: fz.example }],
      billingAddress: "Att. Regnskap\\nBryggen 7\\n5003 Bergen", email: regnskap@fz.example, taxId: NO 911 222 333 MVA, customerReference: PO-2026-118 }
plans: [{ id: fz-payg, copyOf: pay-as-you-go, monthlyFee: "31.00" }]
assignments: [{ customer: fz, plan: fz-payg, from: 2026-10-01 }]
`;

const formats: InvoiceExportFormat[] = ['pdf', 'csv', 'calls-csv'];

/** The text of a PDF, as a reader extracts it. */
const pdfText = async (pdf: Buffer): Promise<string> => (await pdfPages(pdf)).join('\n');

async function exportAll(db: Database, id: string): Promise<Record<InvoiceExportFormat, Buffer>> {
  const out = {} as Record<InvoiceExportFormat, Buffer>;
  for (const format of formats) out[format] = (await exportInvoice(db, id, format)).content;
  return out;
}

// Issue 8 §5: an approved invoice's documents are frozen at approval. Whatever happens to the
// provider settings, the customer or the call rows afterwards, an export gives the same bytes.
describe.each(databaseKinds)('frozen invoice documents on %s', (kind) => {
  let db!: Database;
  let approved!: Invoice;
  let draft!: Invoice;
  useTestDatabase(kind, (opened) => (db = opened));
  afterEach(() => vi.useRealTimers());

  beforeAll(async () => {
    await applyYaml(db, config);
    await ingestCsv(db, callsCsv('fz-src', [
      ['a', '2026-10-05T09:00:00Z', 600, 'video', 'inbound', 'room@fz.example', 'bob@far.example'],
      ['b', '2026-10-06T09:00:00Z', 120, 'audio', 'inbound', 'room@fz.example', '+4755001122'],
      ['c', '2026-11-02T09:00:00Z', 60, 'audio', 'inbound', 'room@fz.example'],
    ]));
    const [october] = await generate(db, 'fz', '2026-10-01', '2026-11-01');
    await addDraftLine(db, october!.id, { description: 'Goodwill credit', unitPrice: '-1.00' }, 'test');
    approved = await approve(db, october!.id);
    draft = (await generate(db, 'fz', '2026-11-01', '2026-12-01', new Date('2026-12-02T00:00:00Z')))[0]!;
  });

  it('stores at approval one canonical JSON document with its SHA-256: provider, customer, lines, totals and calls', async () => {
    // 31.00 fee + 12 min × 0.02 = 31.24, − 1.00 credit = 30.24; 25 % tax 7.56; total 37.80.
    expect(approved.total).toBe('37.80');
    const rows = await db.query<{ document: string; sha256: string }>('SELECT document, sha256 FROM invoice_snapshots WHERE invoice_id = $1', [approved.id]);
    expect(rows).toHaveLength(1);
    const { document, sha256 } = rows[0]!;
    expect(sha256).toBe(createHash('sha256').update(document, 'utf8').digest('hex'));
    expect(canonicalJson(JSON.parse(document))).toBe(document);
    const frozen = JSON.parse(document) as InvoiceDocument;
    expect(frozen).toMatchObject({
      format: 2,
      provider: {
        name: 'Fjordvideo AS', address: 'Kaigata 2\n5016 Bergen', email: 'faktura@fjordvideo.example', taxId: 'NO 998 877 665 MVA',
        paymentDetails: 'Sparebanken Vest\nIBAN NO65 3624 1234 567', logo: { sha256: createHash('sha256').update(tinyPng([200, 30, 30])).digest('hex'), mediaType: 'image/png' },
      },
      customer: { id: 'fz', name: 'Fjord Shipping AS', billingAddress: 'Att. Regnskap\nBryggen 7\n5003 Bergen', email: 'regnskap@fz.example', taxId: 'NO 911 222 333 MVA', customerReference: 'PO-2026-118' },
      invoice: { id: approved.id, number: approved.number, status: 'approved', total: '37.80', currency: 'EUR', from: '2026-10-01', to: '2026-11-01', approvedAt: approved.approvedAt },
      timeZone: 'Europe/Oslo',
    });
    expect(frozen.invoice.lines).toEqual(approved.lines);
    expect(frozen.invoice.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['monthly-fee', '31.00'], ['call-charges', '0.04'], ['call-charges', '0.20'], ['manual', '-1.00'], ['tax', '7.56'],
    ]);
    const calls = frozen.calls;
    expect(calls.map((c) => [c.externalId, c.durationSeconds, c.billedMinutes, c.perMinute, c.amount, c.remoteAlias])).toEqual([
      ['a', 600, 10, '0.02', '0.2', 'bob@far.example'],
      ['b', 120, 2, '0.02', '0.04', '+4755001122'],
    ]);
  });

  it('exports an approved invoice byte for byte the same after settings, customer, calls and plan change by SQL', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-03T08:00:00Z'));
    const before = await exportAll(db, approved.id);

    const changed = config
      .replace('Fjordvideo AS', 'Renamed Video AS').replace('Fjord Shipping AS', 'Someone Else Ltd').replace('timezone: Europe/Oslo', 'timezone: Pacific/Auckland')
      .replace('Bryggen 7', 'Strandkaien 99').replace('PO-2026-118', 'PO-2027-001').replace('NO 911 222 333 MVA', 'NO 999 000 111 MVA')
      .replace('IBAN NO65 3624 1234 567', 'IBAN NO00 0000 0000 000').replace('logo.png', 'other.png');
    await applyYaml(db, changed);
    // The live data did change: a draft shows the new details, the approved invoice keeps its frozen ones.
    const live = await pdfText((await exportInvoice(db, draft.id, 'pdf')).content);
    expect(live).toContain('Strandkaien 99');
    expect(live).toContain('Your reference: PO-2027-001');
    await db.query(`UPDATE settings SET value = '{"name": "Forged AS", "address": "Nowhere"}' WHERE key = 'provider'`);
    await db.query(`UPDATE customers SET name = 'Forged customer' WHERE id = 'fz'`);
    await db.query(`UPDATE calls SET remote_alias = 'forged@evil.example', duration_seconds = 1, local_alias = 'x', conference_id = 'forged' WHERE source = 'fz-src'`);
    await db.query(`UPDATE plan_versions SET definition = jsonb_set(definition, '{callRates}', '[{"category": "*", "direction": "*", "startupCharge": "9.99", "perMinute": "9.99"}]') WHERE plan_id = 'fz-payg'`);

    vi.setSystemTime(new Date('2027-06-30T23:59:59Z'));
    const after = await exportAll(db, approved.id);
    for (const format of formats) expect(after[format].equals(before[format]), format).toBe(true);

    // The PDF's creation date (and the file ID made from it) is the approval time, never the export's clock.
    const pdf = await getDocument({ data: new Uint8Array(after.pdf), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
    const info = (await pdf.getMetadata()).info as Record<string, unknown>;
    await pdf.destroy();
    expect(info.CreationDate).toBe(`D:${approved.approvedAt!.replace(/[-:T]/g, '').slice(0, 14)}Z`);
    expect(info.ModDate).toBeUndefined();
    const printed = await pdfText(after.pdf);
    expect(printed).toContain('BILL TO \nFjord Shipping AS \nAtt. Regnskap \nBryggen 7 \n5003 Bergen \nVAT ID: NO 911 222 333 MVA \nE-mail: regnskap@fz.example \nCustomer ID: fz \nYour reference: PO-2026-118');
    expect(printed).toContain('Fjordvideo AS \nKaigata 2 \n5016 Bergen \nVAT ID: NO 998 877 665 MVA');
    expect(printed).toMatch(/Payment details \nSparebanken Vest\s+IBAN NO65 3624 1234 567/);
    expect(printed).not.toMatch(/Strandkaien|PO-2027|NO 999 000 111|NO00 0000/);
    const calls = parse(after['calls-csv'].toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(calls.map((c) => [c.customerName, c.remoteAlias, c.durationSeconds, c.perMinute, c.amount])).toEqual([
      ['Fjord Shipping AS', 'bob@far.example', '600', '0.02', '0.2'],
      ['Fjord Shipping AS', "'+4755001122", '120', '0.02', '0.04'],
    ]);
    const lines = parse(after.csv.toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(lines.map((l) => l.customerName)).toEqual(Array(5).fill('Fjord Shipping AS'));
  });

  it('renders drafts from live data: the customer and provider as they are now', async () => {
    const csv = parse((await exportInvoice(db, draft.id, 'csv')).content.toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(csv[0]!.customerName).toBe('Forged customer');
    const calls = parse((await exportInvoice(db, draft.id, 'calls-csv')).content.toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(calls.map((c) => [c.externalId, c.remoteAlias, c.durationSeconds])).toEqual([['c', 'forged@evil.example', '1']]);
    expect(await db.query('SELECT 1 FROM invoice_snapshots WHERE invoice_id = $1', [draft.id])).toEqual([]);
  });

  it('refuses to change, delete, truncate or forge a snapshot, whoever writes', async () => {
    await expect(db.query(`UPDATE invoice_snapshots SET document = '{}' WHERE invoice_id = $1`, [approved.id])).rejects.toThrow(/frozen/);
    await expect(db.query(`DELETE FROM invoice_snapshots WHERE invoice_id = $1`, [approved.id])).rejects.toThrow(/frozen/);
    await expect(db.query(`TRUNCATE invoice_snapshots`)).rejects.toThrow(/frozen/);
    // A snapshot goes in only in the transaction that approves its invoice: none for a draft, none later.
    const forged = '{}';
    const hash = createHash('sha256').update(forged).digest('hex');
    await expect(db.query(`INSERT INTO invoice_snapshots (invoice_id, document, sha256) VALUES ($1, $2, $3)`, [draft.id, forged, hash])).rejects.toThrow(/approving transaction/);
    await expect(db.query(`INSERT INTO invoice_snapshots (invoice_id, document, sha256) VALUES ($1, $2, $3)`, [approved.id, forged, hash])).rejects.toThrow(/approving transaction/);
    const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM invoice_snapshots')) as [{ n: number }];
    expect(n).toBe(1);
  });
});
