import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportInvoice } from '../../src/services/exportInvoice.ts';
import { approve } from '../../src/services/invoicing.ts';
import { approvedInvoiceIntegrity, type ApprovedInvoiceIntegrity } from '../../src/storage/approvedInvoiceIntegrity.ts';
import { canonicalJson, contentHash } from '../../src/storage/contentHash.ts';
import type { Database, Sql } from '../../src/storage/database.ts';
import type { Invoice } from '../../src/domain/invoice.ts';
import { applyYaml, callsCsv, generate, ingestCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const config = `
settings: { provider: { name: Verify Video AS, address: Kaigata 2 } }
customers: [{ id: vi, name: Verify Inc, matching: [{ kind: domain, value: vi.example }] }]
plans: [{ id: vi-payg, copyOf: pay-as-you-go, monthlyFee: "31.00" }]
assignments: [{ customer: vi, plan: vi-payg, from: 2026-09-01 }]
`;

class RollBack extends Error {}

/** Runs `tamper` and then `check` in one transaction that is always rolled back, so each case starts clean. */
async function whileTampered(db: Database, tamper: (tx: Sql) => Promise<void>, check: (tx: Sql) => Promise<void>): Promise<void> {
  await expect(
    db.transaction(async (tx) => {
      await tamper(tx);
      await check(tx);
      throw new RollBack();
    }),
  ).rejects.toBeInstanceOf(RollBack);
}

// What `confbill verify` reports per approved invoice: snapshot there, hash right, snapshot equal to
// the invoice rows; a snapshot missing because the invoice predates snapshots is a warning only.
describe.each(databaseKinds)('approvedInvoiceIntegrity on %s', (kind) => {
  let db!: Database;
  let september!: Invoice;
  let october!: Invoice;
  useTestDatabase(kind, (opened) => (db = opened));
  const reportOf = async (tx: Sql, invoice: Invoice): Promise<ApprovedInvoiceIntegrity> => (await approvedInvoiceIntegrity(tx)).find((r) => r.invoiceId === invoice.id)!;

  beforeAll(async () => {
    await applyYaml(db, config);
    await ingestCsv(db, callsCsv('vi-src', [
      ['a', '2026-09-05T09:00:00Z', 600, 'video', 'inbound', 'room@vi.example'],
      ['b', '2026-10-05T09:00:00Z', 300, 'video', 'inbound', 'room@vi.example'],
    ]));
    september = await approve(db, (await generate(db, 'vi', '2026-09-01', '2026-10-01'))[0]!.id);
    october = await approve(db, (await generate(db, 'vi', '2026-10-01', '2026-11-01'))[0]!.id);
    await generate(db, 'vi', '2026-11-01', '2026-12-01', new Date('2026-12-02T00:00:00Z'));
  });

  it('reports every approved invoice, and only those, as frozen with a matching hash and content', async () => {
    const report = await approvedInvoiceIntegrity(db);
    expect(report).toEqual([
      { invoiceId: september.id, number: 1, approvedAt: september.approvedAt, snapshot: 'frozen', hashMatches: true, matchesInvoice: true, verdict: 'ok', problems: [] },
      { invoiceId: october.id, number: 2, approvedAt: october.approvedAt, snapshot: 'frozen', hashMatches: true, matchesInvoice: true, verdict: 'ok', problems: [] },
    ]);
    // The monthly fee of 31.00 for a whole month, plus 10 min × 0.02 and 5 min × 0.02.
    expect([september.total, october.total]).toEqual(['31.20', '31.10']);
  });

  it('finds a snapshot edited behind the triggers: its hash no longer matches, and export refuses it', async () => {
    await whileTampered(
      db,
      async (tx) => {
        await tx.exec('ALTER TABLE invoice_snapshots DISABLE TRIGGER USER');
        await tx.query(`UPDATE invoice_snapshots SET document = replace(document, '"total":"31.10"', '"total":"3.10"') WHERE invoice_id = $1`, [october.id]);
      },
      async (tx) => {
        expect(await reportOf(tx, october)).toMatchObject({ snapshot: 'frozen', hashMatches: false, matchesInvoice: false, verdict: 'failed' });
        expect((await reportOf(tx, october)).problems).toEqual(['the stored SHA-256 is not the hash of the stored document', 'the document differs from the invoice in: total']);
        expect((await reportOf(tx, september)).verdict).toBe('ok');
        await expect(exportInvoice(tx, october.id, 'csv')).rejects.toMatchObject({ code: 'storage', message: expect.stringContaining('does not match its SHA-256') });
      },
    );
  });

  it('finds a snapshot rewritten with a fresh hash, and invoice lines edited behind the triggers, by comparing with the invoice rows', async () => {
    await whileTampered(
      db,
      async (tx) => {
        const [stored] = await tx.query<{ document: string }>('SELECT document FROM invoice_snapshots WHERE invoice_id = $1', [october.id]);
        const forged = JSON.parse(stored!.document) as { invoice: { total: string; lines: { amount: string }[] } };
        forged.invoice.total = '0.10';
        forged.invoice.lines[0]!.amount = '0.00';
        const text = canonicalJson(forged);
        await tx.exec('ALTER TABLE invoice_snapshots DISABLE TRIGGER USER');
        await tx.query('UPDATE invoice_snapshots SET document = $2, sha256 = $3 WHERE invoice_id = $1', [october.id, text, contentHash(text)]);
        await tx.exec('ALTER TABLE invoice_lines DISABLE TRIGGER USER');
        await tx.query(`UPDATE invoice_lines SET amount = 99 WHERE invoice_id = $1 AND position = 1`, [september.id]);
      },
      async (tx) => {
        expect(await reportOf(tx, october)).toMatchObject({ hashMatches: true, matchesInvoice: false, verdict: 'failed', problems: ['the document differs from the invoice in: lines, total'] });
        expect(await reportOf(tx, september)).toMatchObject({ hashMatches: true, matchesInvoice: false, verdict: 'failed', problems: ['the document differs from the invoice in: lines'] });
      },
    );
  });

  it('fails an invoice approved since snapshots exist whose snapshot is gone', async () => {
    await whileTampered(
      db,
      async (tx) => {
        await tx.exec('ALTER TABLE invoice_snapshots DISABLE TRIGGER USER');
        await tx.query('DELETE FROM invoice_snapshots WHERE invoice_id = $1', [october.id]);
      },
      async (tx) => {
        expect(await reportOf(tx, october)).toEqual({
          invoiceId: october.id, number: 2, approvedAt: october.approvedAt, snapshot: 'missing', hashMatches: null, matchesInvoice: null, verdict: 'failed',
          problems: ['no frozen document, though the invoice was approved after snapshots were introduced'],
        });
      },
    );
  });

  it('warns only about invoices approved before snapshots existed, which export from live data as before', async () => {
    await whileTampered(
      db,
      async (tx) => {
        // As if migration 0008 had run after both approvals, which then left no snapshot.
        await tx.exec('ALTER TABLE invoice_snapshots DISABLE TRIGGER USER');
        await tx.query('DELETE FROM invoice_snapshots');
        await tx.query(`UPDATE schema_migrations SET applied_at = $1 WHERE version = 8`, [new Date(Date.parse(october.approvedAt!) + 60_000)]);
        await tx.query(`UPDATE customers SET name = 'Verify Inc (renamed)' WHERE id = 'vi'`);
      },
      async (tx) => {
        const report = await approvedInvoiceIntegrity(tx);
        expect(report.map((r) => [r.number, r.snapshot, r.verdict, r.problems])).toEqual([
          [1, 'approved-before-snapshots', 'warning', ['approved before snapshots existed: its documents are rendered from live data']],
          [2, 'approved-before-snapshots', 'warning', ['approved before snapshots existed: its documents are rendered from live data']],
        ]);
        const rows = parse((await exportInvoice(tx, october.id, 'csv')).content.toString('utf8'), { columns: true }) as Record<string, string>[];
        expect(rows.map((r) => [r.customerName, r.amount])).toEqual([['Verify Inc (renamed)', '31.00'], ['Verify Inc (renamed)', '0.10']]);
      },
    );
  });
});
