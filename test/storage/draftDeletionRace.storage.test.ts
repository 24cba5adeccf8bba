import { beforeAll, describe, expect, it } from 'vitest';
import { isBillingError } from '../../src/domain/billingError.ts';
import { approve, deleteDraft } from '../../src/services/invoicing.ts';
import type { Database } from '../../src/storage/database.ts';
import { deleteInvoice } from '../../src/storage/invoiceStore.ts';
import { applyYaml, callsCsv, generate, ingestCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const config = `
customers: [{ id: dr, name: Draft Race, matching: [{ kind: domain, value: dr.example }] }]
plans: [{ id: dr-payg, copyOf: pay-as-you-go, monthlyFee: "31.00" }]
assignments: [{ customer: dr, plan: dr-payg, from: 2026-09-01 }]
`;

/** Resolves once another connection waits for a row lock on invoices (as a blocked DELETE or SELECT … FOR UPDATE does). */
async function someoneWaitsForInvoiceLock(db: Database): Promise<void> {
  for (;;) {
    const waiting = await db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%invoices%'`);
    if (waiting.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function errorOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(() => undefined, (error: unknown) => error);
}

// Issue 8 §6: deleting a draft while another process approves it answers with the usual error
// (exit status 4, HTTP 409), never with the database trigger's raw error and a stack trace.
describe.each(databaseKinds)('deleting a draft that is being approved, on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));
  beforeAll(async () => {
    await applyYaml(db, config);
    await ingestCsv(db, callsCsv('dr-src', [['a', '2026-09-05T09:00:00Z', 600, 'video', 'inbound', 'room@dr.example']]));
  });

  it.runIf(kind === 'postgres')('a delete that waited for the approving transaction is refused as invoice-immutable', async () => {
    const [draft] = await generate(db, 'dr', '2026-09-01', '2026-10-01');
    let commit!: () => void;
    const held = new Promise<void>((resolve) => (commit = resolve));
    let approvedInside!: () => void;
    const approvedYet = new Promise<void>((resolve) => (approvedInside = resolve));
    // Another process approves the draft and has not committed yet.
    const approving = db.transaction(async (tx) => {
      await tx.query('SELECT * FROM approve_invoice($1)', [draft!.id]);
      approvedInside();
      await held;
    });
    await approvedYet;
    const deleting = errorOf(deleteDraft(db, draft!.id, 'test'));
    await someoneWaitsForInvoiceLock(db);
    commit();
    await approving;
    const error = await deleting;
    expect(isBillingError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'invoice-immutable', message: 'Invoice 1 is approved: it can never be deleted or changed.' });
    const [row] = await db.query<{ status: string; number: number }>('SELECT status, number FROM invoices WHERE id = $1', [draft!.id]);
    expect(row).toEqual({ status: 'approved', number: 1 });
  });

  it.runIf(kind === 'postgres')('an approval that waited for the deleting transaction finds no invoice', async () => {
    const [draft] = await generate(db, 'dr', '2026-10-01', '2026-11-01');
    let commit!: () => void;
    const held = new Promise<void>((resolve) => (commit = resolve));
    let deletedInside!: () => void;
    const deletedYet = new Promise<void>((resolve) => (deletedInside = resolve));
    const deleting = db.transaction(async (tx) => {
      await tx.query('DELETE FROM invoices WHERE id = $1', [draft!.id]);
      deletedInside();
      await held;
    });
    await deletedYet;
    const approving = errorOf(approve(db, draft!.id));
    await someoneWaitsForInvoiceLock(db);
    commit();
    await deleting;
    expect(await approving).toMatchObject({ code: 'not-found' });
    const [counter] = await db.query<{ last_number: number }>('SELECT last_number FROM invoice_number_sequence');
    expect(counter!.last_number).toBe(1);
  });

  it('deleting an approved invoice, through the service or straight through storage, gives the usual error', async () => {
    const [draft] = await generate(db, 'dr', '2026-11-01', '2026-12-01', new Date('2026-12-02T00:00:00Z'));
    const approved = await approve(db, draft!.id);
    const viaService = await errorOf(deleteDraft(db, draft!.id, 'test'));
    expect(isBillingError(viaService)).toBe(true);
    expect(viaService).toMatchObject({ code: 'invoice-immutable', message: `Invoice ${approved.number} is approved: it can never be deleted or changed.` });
    // Without the service's check under the lock, the trigger's refusal still comes out as the usual error.
    const viaStorage = await errorOf(db.transaction((tx) => deleteInvoice(tx, draft!.id)));
    expect(isBillingError(viaStorage)).toBe(true);
    expect(viaStorage).toMatchObject({ code: 'invoice-immutable' });
    expect(await errorOf(deleteDraft(db, 'no-such-invoice', 'test'))).toMatchObject({ code: 'not-found' });
  });
});
