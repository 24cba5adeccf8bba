import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateCustomers } from '../../src/services/billingRun.ts';
import { generateInvoicesPerCustomer } from '../../src/services/invoicing.ts';
import type { Database } from '../../src/storage/database.ts';
import { lockCustomers } from '../../src/storage/customerLocks.ts';
import { customersNeedingRating } from '../../src/storage/ratingStateStore.ts';
import { applyYaml, callsCsv, ingestCsv } from '../support/billingFixtures.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/testDatabases.ts';

const now = new Date('2026-12-01T00:00:00Z');

/** Holds customers' locks in an open transaction of its own connection, as another process working on them would. */
function holdCustomers(db: Database, ids: readonly string[]): { held: Promise<void>; release: () => void; done: Promise<void> } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held!: () => void;
  const heldPromise = new Promise<void>((resolve) => (held = resolve));
  const done = db.transaction(async (tx) => {
    await lockCustomers(tx, ids);
    held();
    await released;
  });
  return { held: heldPromise, release, done };
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the condition never held');
}

// Two processes are two pools on one server: the embedded database has one connection, where a held
// transaction stops everything else (its one process shares nothing).
describe.skipIf(!databaseKinds.includes('postgres'))('processes share rating and invoice runs (docs/scaling.md), on PostgreSQL', () => {
  const kind = 'postgres';
  let testDb!: TestDatabase;
  let a!: Database;
  let b!: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    a = await testDb.open();
    b = await testDb.open();
    await applyYaml(a, `
customers:
${['s1', 's2', 's3', 's4'].map((id) => `  - { id: ${id}, name: ${id}, matching: [{ kind: domain, value: ${id}.example }] }`).join('\n')}
plans: [{ id: shared-plan, copyOf: pay-as-you-go }]
assignments:
${['s1', 's2', 's3', 's4'].map((id) => `  - { customer: ${id}, plan: shared-plan, from: 2026-10-01 }`).join('\n')}
`);
    await ingestCsv(a, callsCsv('shared', ['s1', 's2', 's3', 's4'].flatMap((id, n) => [
      [`${id}-a`, '2026-10-02T08:00:00Z', 600 * (n + 1), 'video', 'inbound', `room@${id}.example`] as [string, string, number, string, string, string],
      [`${id}-b`, '2026-10-03T09:00:00Z', 300, 'audio', 'outbound', `room@${id}.example`] as [string, string, number, string, string, string],
    ])));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await testDb?.drop();
  });

  it('rating skips the customers another process holds, rates the others meanwhile, and waits for the held ones at the end', async () => {
    // Every customer due again (a plan lock would do this).
    await a.query(`UPDATE rating_state SET dirty = true, generation = generation + 1`);
    const other = holdCustomers(a, ['s2']);
    await other.held;
    const run = rateCustomers(b, { now });
    // The free customers are rated while s2 is still held…
    await until(async () => (await customersNeedingRating(a, '0001-01-01')).join() === 's2');
    let finished = false;
    void run.then(() => (finished = true));
    await new Promise((r) => setTimeout(r, 300));
    // …and the run does not end before s2 is current.
    expect(finished).toBe(false);
    other.release();
    await other.done;
    const summary = await run;
    expect(summary).toMatchObject({ customers: 4, leftDirty: 0 });
    expect(await customersNeedingRating(a, '0001-01-01')).toEqual([]);
    const [items] = await a.query<{ n: number }>(`SELECT count(*)::int AS n FROM billing_items WHERE kind = 'call'`);
    expect(items!.n).toBe(8);
  });

  it('an invoice run generates the free customers first, then the held one, each once; a second run at once makes none twice', async () => {
    const other = holdCustomers(a, ['s3']);
    await other.held;
    const request = { from: '2026-10-01', to: '2026-11-01', now, actor: 'test' };
    const first = generateInvoicesPerCustomer(b, request);
    await until(async () => (await a.query<{ customerId: string }>(`SELECT customer_id AS "customerId" FROM invoices ORDER BY 1`)).map((r) => r.customerId).join() === 's1,s2,s4');
    other.release();
    await other.done;
    const second = generateInvoicesPerCustomer(a, request);
    const outcomes = [...(await first), ...(await second)];
    // Every customer has one draft, made by one of the two runs; the other run found it.
    for (const id of ['s1', 's2', 's3', 's4']) {
      const mine = outcomes.filter((o) => o.customerId === id).map((o) => o.result).sort();
      expect(mine).toEqual(['created', 'draft-exists']);
    }
    const invoices = await a.query<{ customerId: string; total: string }>(`SELECT customer_id AS "customerId", total::text AS total FROM invoices ORDER BY 1`);
    expect(invoices.map((i) => i.customerId)).toEqual(['s1', 's2', 's3', 's4']);
    const [claimed] = await a.query<{ n: number }>(`SELECT count(*)::int AS n FROM billing_items WHERE kind = 'call' AND invoice_id IS NOT NULL`);
    expect(claimed!.n).toBe(8);
  });
});
