import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amountOf, formatFixed, sumAmounts } from '../../src/domain/money.ts';
import { csvHeader } from '../support/billingFixtures.ts';
import { runCli } from '../support/runCli.ts';
import { tinyPng } from '../support/tinyPng.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/testDatabases.ts';
import { expectBooksVerified } from '../support/booksVerified.ts';

const now = '2026-11-27T12:00:00Z';
const evilName = '=HYPERLINK("http://evil","x")';

const config = `
settings:
  timezone: UTC
  settlementDelayMinutes: 60
  taxRatePercent: "25"
  provider:
    name: Nordic Video Services AS
    address: |
      Storgata 1
      0155 Oslo
    email: billing@nordicvideo.example
    vatId: NO 912 345 678 MVA
    logo: logo.png
customers:
  - id: evil
    name: '${evilName}'
    matching: [{ kind: domain, value: evil.example }]
plans:
  - id: evil-im
    copyOf: included-minutes
    name: Evil included minutes
    includedMinutes: { minutesPerMonth: 5, overagePerMinute: "0.05" }
    callRates: [{ category: video, direction: outbound, startupCharge: "0.50", perMinute: "0.035" }]
assignments: [{ customer: evil, plan: evil-im, from: 2026-10-01 }]
`;

// Billed minutes 2, 3, 2 and 4: 11 minutes against a pool of 5, so 6 minutes of overage.
const calls = [
  csvHeader,
  'bridge-1,e1,conf-1,2026-10-05T09:00:00Z,61,video,outbound,sip,room@evil.example,bob@elsewhere.example,',
  'bridge-1,e2,conf-1,2026-10-06T10:00:00Z,150,video,outbound,sip,room@evil.example,"=HYPERLINK(""http://evil"",""y"")",',
  'bridge-1,e3,,2026-10-07T10:00:00Z,120,audio,inbound,sip,room@evil.example,+4721001234,',
  'bridge-1,e4,,2026-10-20T10:00:00Z,240,video,inbound,sip,room@evil.example,,',
].join('\n') + '\n';

async function pdfText(file: string): Promise<{ pages: number; text: string }> {
  const doc = await getDocument({ data: new Uint8Array(readFileSync(file)), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
  let text = '';
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    text += content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : '')).join('') + '\n';
  }
  const pages = doc.numPages;
  await doc.destroy();
  return { pages, text };
}

describe.each(databaseKinds)('confbill invoice export on %s', (kind) => {
  let db: TestDatabase;
  let dir: string;
  let invoice: { id: string; total: string; lines: { kind: string; amount: string; quantity: string }[] };
  const cli = (...args: string[]) => runCli(args, { env: db.env, now });
  const csvRows = (file: string) => parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), 'confbill-export-'));
    writeFileSync(join(dir, 'provider.yaml'), config);
    // Beside the file, which is applied from another working folder: the path is the file's.
    writeFileSync(join(dir, 'logo.png'), tinyPng([20, 90, 160], 8, 4));
    writeFileSync(join(dir, 'calls.csv'), calls);
    const applied = await cli('apply', join(dir, 'provider.yaml'));
    expect(applied.stderr).toBe('');
    expect((await cli('ingest', '--format', 'confbill-csv', join(dir, 'calls.csv'))).stdout).toContain('Calls new: 4');
    const generated = await cli('invoice', 'generate', '--customer', 'evil', '--from', '2026-10-01', '--to', '2026-11-01', '--json');
    expect(generated.stderr).toBe('');
    const created = JSON.parse(generated.stdout) as (typeof invoice)[];
    expect(created).toHaveLength(1);
    invoice = created[0]!;
  });
  afterAll(async () => {
    await expectBooksVerified(db);
    await db?.drop();
  });

  it('exports the invoice CSV: one row per line, amounts summing to the total, the evil name inert', async () => {
    const out = join(dir, 'invoice.csv');
    const result = await cli('invoice', 'export', invoice.id, '--format', 'csv', '--out', out);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain(`exported as csv to ${out}`);
    const rows = csvRows(out);
    // Fee 100.00; video outbound 0.57 + 0.605 = 1.175 → 1.18; overage 6 × 0.05 = 0.30; tax 25 % of 101.48 = 25.37.
    expect(rows.map((r) => [r.kind, r.description, r.quantity, r.amount])).toEqual(invoice.lines.map((l) => [l.kind, expect.any(String), l.quantity, l.amount]));
    expect(rows.find((r) => r.kind === 'call-charges' && r.description === 'video outbound')).toMatchObject({ quantity: '5', amount: '1.18', calls: '2' });
    expect(rows.find((r) => r.kind === 'included-minutes-overage')).toMatchObject({ quantity: '6', amount: '0.30' });
    expect(rows.find((r) => r.kind === 'tax')!.amount).toBe('25.37');
    expect(invoice.total).toBe('126.85');
    expect(formatFixed(sumAmounts(rows.map((r) => amountOf(r.amount!))), 2)).toBe(invoice.total);
    for (const r of rows) {
      expect(r.customerName).toBe(`'${evilName}`);
      expect(r.customerName!.startsWith("'")).toBe(true);
    }
    const stdout = await cli('invoice', 'export', invoice.id, '--format', 'csv', '--out', '-');
    expect(stdout.stdout).toBe(readFileSync(out, 'utf8'));
  });

  it('exports the calls CSV: one row per rated call with billed minutes and pool attribution', async () => {
    const out = join(dir, 'calls-export.csv');
    expect((await cli('invoice', 'export', invoice.id, '--format', 'calls-csv', '--out', out)).status).toBe(0);
    const rows = csvRows(out);
    expect(rows.map((r) => [r.externalId, r.durationSeconds, r.billedMinutes, r.rateFound, r.startupCharge, r.perMinute, r.amount])).toEqual([
      ['e1', '61', '2', 'true', '0.50', '0.035', '0.57'],
      ['e2', '150', '3', 'true', '0.50', '0.035', '0.605'],
      ['e3', '120', '2', 'false', '', '', '0'],
      ['e4', '240', '4', 'false', '', '', '0'],
    ]);
    const minutes = (column: string) => rows.reduce((sum, r) => sum + Number(r[column]), 0);
    expect(minutes('billedMinutes')).toBe(11);
    expect(minutes('includedMinutes')).toBe(5);
    expect(minutes('overageMinutes')).toBe(6);
    for (const r of rows) expect(Number(r.includedMinutes) + Number(r.overageMinutes)).toBe(Number(r.billedMinutes));
    // The exact call charges add up to the rounded line: 0.57 + 0.605 = 1.175 → 1.18.
    expect(sumAmounts(rows.map((r) => amountOf(r.amount!))).toFixed()).toBe('1.175');
    expect(rows[0]).toMatchObject({ invoiceId: invoice.id, customerId: 'evil', date: '2026-10-05', startedAt: '2026-10-05T09:00:00.000Z', source: 'bridge-1', planId: 'evil-im', currency: 'EUR' });
    expect(rows[1]!.remoteAlias).toBe(`'=HYPERLINK("http://evil","y")`);
    expect(rows[2]!.localAlias).toBe('room@evil.example');
    expect(rows[2]!.remoteAlias).toBe("'+4721001234");
    expect(rows.every((r) => r.customerName === `'${evilName}`)).toBe(true);
  });

  it('exports the PDF of the draft, then of the approved invoice with its number', async () => {
    const draftFile = join(dir, 'draft.pdf');
    expect((await cli('invoice', 'export', invoice.id, '--format', 'pdf', '--out', draftFile)).status).toBe(0);
    const draft = await pdfText(draftFile);
    expect(draft.pages).toBe(1);
    expect(draft.text).toContain('DRAFT');
    expect(readFileSync(draftFile).toString('latin1')).toMatch(/\/Subtype \/Image/);
    expect(draft.text).toContain('Nordic Video Services AS');
    expect(draft.text).toContain('Customer ID: evil');
    expect(draft.text).toContain('2026-10-01 – 2026-10-31');
    expect(draft.text).toMatch(/Subtotal\s+101\.48/);
    expect(draft.text).toMatch(/Total\s+126\.85 EUR/);

    expect((await cli('invoice', 'approve', invoice.id, '--yes')).stdout).toContain('approved as number 1');
    const approvedFile = join(dir, 'approved.pdf');
    expect((await cli('invoice', 'export', invoice.id, '--format', 'pdf', '--out', approvedFile)).status).toBe(0);
    const approved = await pdfText(approvedFile);
    expect(approved.text).toMatch(/Invoice 1\s/);
    expect(approved.text).not.toContain('DRAFT');
    // The database stamps the approval with its own clock; the customer's time zone is UTC.
    const { approvedAt } = JSON.parse((await cli('invoice', 'show', invoice.id, '--json')).stdout) as { approvedAt: string };
    expect(approved.text).toMatch(new RegExp(`Invoice date\\s+${approvedAt.slice(0, 10)}`));
    for (const line of invoice.lines) expect(approved.text).toContain(line.amount);
    expect(approved.text).toMatch(/Total\s+126\.85 EUR/);
  });

  it('exports the approved invoice byte for byte the same after the provider and the customer change, and refuses to delete it', async () => {
    const formats = ['pdf', 'csv', 'calls-csv'];
    const exportAll = async (tag: string): Promise<Buffer[]> => {
      const files = formats.map((format) => join(dir, `${tag}.${format}`));
      for (const [i, format] of formats.entries()) expect((await cli('invoice', 'export', invoice.id, '--format', format, '--out', files[i]!)).status).toBe(0);
      return files.map((f) => readFileSync(f));
    };
    const before = await exportAll('frozen-before');
    writeFileSync(join(dir, 'renamed.yaml'), config.replace('Nordic Video Services AS', 'Renamed Video AS').replace(`name: '${evilName}'`, 'name: Renamed Customer Ltd'));
    expect((await cli('apply', join(dir, 'renamed.yaml'))).stderr).toBe('');
    const after = await exportAll('frozen-after');
    for (const [i, format] of formats.entries()) expect(after[i]!.equals(before[i]!), format).toBe(true);
    expect(csvRows(join(dir, 'frozen-after.csv')).every((r) => r.customerName === `'${evilName}`)).toBe(true);

    const refused = await cli('invoice', 'delete', invoice.id);
    expect(refused).toEqual({ status: 4, stdout: '', stderr: 'confbill: Invoice 1 is approved: it can never be deleted or changed.\n' });
  });

  it('refuses an unknown format, an unknown invoice and an unwritable file with a clear error', async () => {
    const format = await cli('invoice', 'export', invoice.id, '--format', 'xlsx', '--out', join(dir, 'x.xlsx'));
    expect(format.status).toBe(2);
    expect(format.stderr).toContain('Unknown --format "xlsx"');
    const missing = await cli('invoice', 'export', 'nope', '--format', 'pdf', '--out', join(dir, 'nope.pdf'));
    expect(missing.status).toBe(3);
    expect(missing.stderr).toContain('No invoice with id "nope"');
    const unwritable = await cli('invoice', 'export', invoice.id, '--format', 'csv', '--out', join(dir, 'no-such-folder', 'x.csv'));
    expect(unwritable.status).toBe(2);
    expect(unwritable.stderr).toContain('Cannot write');
  });
});
