import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildTestServer } from '../support/apiTestServer.ts';
import { readConfbillCsv } from '../../src/ingest/confbill-csv/readConfbillCsv.ts';
import { rateCustomers, runBilling } from '../../src/services/billingRun.ts';
import { ingestCalls } from '../../src/services/ingestCalls.ts';
import { generateInvoices } from '../../src/services/invoicing.ts';
import { lockPlan, setPlanField, unlockPlan } from '../../src/services/planLifecycle.ts';
import { verifyBooks } from '../../src/services/verifyBooks.ts';
import type { Database } from '../../src/storage/database.ts';
import { customersNeedingRating } from '../../src/storage/ratingStateStore.ts';
import { applyYaml, callsCsv } from '../support/billingFixtures.ts';
import { createTestDatabase, databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const now = new Date('2026-12-01T00:00:00Z');

async function ingestRow(db: Database, id: string, at: string, seconds: number): Promise<void> {
  await ingestCalls(db, readConfbillCsv, Readable.from([callsCsv('race-src', [[id, at, seconds, 'video', 'inbound', 'room@race.example']])]), { format: 'confbill-csv', file: `${id}.csv` });
}

async function callItems(db: Database): Promise<{ externalId: string; amount: string }[]> {
  return db.query(`SELECT external_id AS "externalId", amount::text AS amount FROM billing_items WHERE kind = 'call' ORDER BY external_id`);
}

/** The database, but `beforeEachWrite` runs before each transaction rating opens: between its read and its commit. */
function withWriteHook(db: Database, beforeEachWrite: () => Promise<void>): Database {
  return { ...db, transaction: async (work) => (await beforeEachWrite(), db.transaction(work)) };
}

describe.each(databaseKinds)('a call stored while rating runs is never left unbilled, on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('a call written between the rating read and its commit gets its item (rated again at once), and verify agrees', async () => {
    await applyYaml(db, `
customers: [{ id: race, name: Race, matching: [{ kind: domain, value: race.example }] }]
plans: [{ id: race-plan, copyOf: pay-as-you-go }]
assignments: [{ customer: race, plan: race-plan, from: 2026-10-01 }]
`);
    await ingestRow(db, 'a1', '2026-11-02T08:00:00Z', 600);
    await runBilling(db, { now });
    expect(await callItems(db)).toEqual([{ externalId: 'a1', amount: '0.2' }]);

    let injected = 0;
    const summary = await rateCustomers(withWriteHook(db, async () => {
      if (injected++ === 0) await ingestRow(db, 'a2', '2026-11-03T08:00:00Z', 1200);
    }), { customerIds: ['race'], now });
    // The first attempt saw the generation move and wrote nothing; the second read a2 too.
    expect(injected).toBe(2);
    expect(summary).toMatchObject({ customers: 1, leftDirty: 0 });
    expect(await callItems(db)).toEqual([{ externalId: 'a1', amount: '0.2' }, { externalId: 'a2', amount: '0.4' }]);
    expect(await customersNeedingRating(db, '0001-01-01', ['race'])).toEqual([]);
    expect((await verifyBooks(db)).ok).toBe(true);
  });

  it('a customer whose calls keep arriving stays dirty, and the next run (the hourly job) bills every call', async () => {
    let n = 0;
    const summary = await rateCustomers(withWriteHook(db, async () => {
      n++;
      await ingestRow(db, `b${n}`, `2026-11-04T0${n}:00:00Z`, 60 * n);
    }), { customerIds: ['race'], now });
    expect(n).toBe(3);
    expect(summary).toMatchObject({ customers: 1, leftDirty: 1 });
    expect(await customersNeedingRating(db, '0001-01-01', ['race'])).toEqual(['race']);
    // Verify does not blame a customer that is known to await rating…
    const pending = await verifyBooks(db);
    expect(pending.ok).toBe(true);
    expect(pending.checks[0]!.notes).toEqual(['1 customers await rating: their call items are checked once they are rated (confbill rate)']);

    await runBilling(db, { now });
    expect((await callItems(db)).map((i) => `${i.externalId} ${i.amount}`)).toEqual(['a1 0.2', 'a2 0.4', 'b1 0.02', 'b2 0.04', 'b3 0.06']);
    expect((await verifyBooks(db)).checks.map((c) => [c.name, c.violations])).toEqual([
      ['billable-calls-have-items', 0], ['no-items-for-unbillable-calls', 0], ['one-item-per-call', 0], ['one-item-per-key', 0],
      ['items-in-own-invoices', 0], ['totals-equal-lines', 0], ['gapless-numbers', 0], ['approved-invoices-unchanged', 0],
    ]);
  });

  it('verify finds a lost item, an invoice whose total is not its lines, and a gap in the numbers', async () => {
    const [invoice] = await generateInvoices(db, { customerIds: ['race'], from: '2026-11-01', to: '2026-11-05', now, actor: 'test' });
    expect(invoice!.total).toBe('0.72'); // the template has no fee: calls 0.20 + 0.40 + 0.02 + 0.04 + 0.06
    expect((await verifyBooks(db)).ok).toBe(true);

    await ingestRow(db, 'c1', '2026-11-20T08:00:00Z', 300);
    await runBilling(db, { now });
    await db.query(`DELETE FROM billing_items WHERE external_id = 'c1'`);
    await db.query(`UPDATE invoices SET total = total + 1 WHERE id = $1`, [invoice!.id]);
    await db.query('UPDATE invoice_number_sequence SET last_number = last_number + 2');
    const broken = await verifyBooks(db);
    expect(broken.ok).toBe(false);
    expect(broken.checks.filter((c) => !c.ok).map((c) => [c.name, c.violations, c.examples])).toEqual([
      ['billable-calls-have-items', 1, [{ callId: expect.any(Number), customerId: 'race' }]],
      ['totals-equal-lines', 1, [{ invoiceId: invoice!.id, number: null, total: '1.72', sumOfLines: '0.72' }]],
      ['gapless-numbers', 2, [{ missing: 1 }, { missing: 2 }]],
    ]);
  });
});

describe.each(databaseKinds)('a receiver posting while lock & recalculate re-rates 200 customers, on %s', (kind) => {
  it('every received call is in the next invoices, and verify passes', async () => {
    const testDb = await createTestDatabase(kind);
    const db = await testDb.open();
    const { app } = buildTestServer(db);
    try {
      const customers = Array.from({ length: 200 }, (_, i) => `c${String(i).padStart(3, '0')}`);
      await applyYaml(db, `
customers:
${customers.map((id) => `  - { id: ${id}, name: ${id}, matching: [{ kind: domain, value: ${id}.example }] }`).join('\n')}
plans: [{ id: shared, copyOf: pay-as-you-go }]
assignments:
${customers.map((id) => `  - { customer: ${id}, plan: shared, from: 2026-09-01 }`).join('\n')}
`, now);
      await unlockPlan(db, 'shared', 'test');
      await setPlanField(db, 'shared', 'callRates.0.perMinute', '0.05', 'test');
      const event = (i: number) => JSON.stringify({
        event: 'participant_disconnected',
        data: {
          uuid: `leg-${i}`, conference: 'meet', call_direction: 'in', protocol: 'SIP', service_type: 'conference', connect_time: 1790000000 + i, duration: 120,
          destination_alias: `room@${customers[i % customers.length]}.example`, source_alias: 'guest@far.example',
        },
      });
      // Four senders post until the recalculation is over, so that calls arrive throughout it.
      let posts = 0;
      let locked = false;
      const sender = async (): Promise<void> => {
        while (!locked || posts % 4 !== 0) {
          const response = await app.inject({ method: 'POST', url: '/cdr/pexip/pexip-race', headers: { 'content-type': 'application/json' }, payload: event(posts++) });
          expect(response.statusCode).toBe(200);
        }
      };
      const senders = Promise.all([sender(), sender(), sender(), sender()]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const lock = await lockPlan(db, 'shared', 'test', now);
      locked = true;
      await senders;
      expect(lock.rating?.customers).toBe(200);
      expect(posts).toBeGreaterThanOrEqual(8);

      const [{ n: stored }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM calls WHERE source = 'pexip-race' AND match_status = 'matched'`) as [{ n: number }];
      expect(stored).toBe(posts);
      // What the schedule (or invoicing) does next: rate the customers still marked, then invoice.
      await runBilling(db, { now });
      await generateInvoices(db, { from: '2026-09-01', to: '2026-10-01', now, actor: 'test' });
      const [{ n: invoiced }] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM calls k JOIN billing_items b ON b.call_id = k.id WHERE k.source = 'pexip-race' AND b.invoice_id IS NOT NULL`,
      ) as [{ n: number }];
      expect(invoiced).toBe(posts);
      expect((await verifyBooks(db)).ok).toBe(true);
    } finally {
      await app.close();
      await db.close();
      await testDb.drop();
    }
  });
});
