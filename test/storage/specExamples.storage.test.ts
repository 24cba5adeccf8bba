import { describe, expect, it } from 'vitest';
import { approve } from '../../src/services/invoicing.ts';
import { untrackedReport } from '../../src/services/reports.ts';
import type { Database } from '../../src/storage/database.ts';
import { applyYaml, callsCsv, generate, ingestCsv, lineTuples } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

// The worked examples of billing-rules.md, end to end through ingest, matching, rating, storage and
// invoicing, on every database (UTC, EUR, October 2026).
describe.each(databaseKinds)('spec worked examples on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('2. pay as you go: lines 1.18 and 0.02, total 1.20', async () => {
    await applyYaml(db, `
customers: [{ id: ex2, name: Example 2, matching: [{ kind: domain, value: ex2.example }] }]
plans:
  - id: ex2-payg
    copyOf: pay-as-you-go
    callRates:
      - { category: video, direction: outbound, startupCharge: "0.50", perMinute: "0.035" }
      - { category: "*", direction: "*", startupCharge: "0", perMinute: "0.02" }
assignments: [{ customer: ex2, plan: ex2-payg, from: 2026-10-01 }]
`);
    await ingestCsv(db, callsCsv('ex2-src', [
      ['a', '2026-10-05T09:00:00Z', 61, 'video', 'outbound', 'room@ex2.example'],
      ['b', '2026-10-05T10:00:00Z', 150, 'video', 'outbound', 'room@ex2.example'],
      ['c', '2026-10-06T10:00:00Z', 30, 'audio', 'inbound', 'room@ex2.example'],
    ]));
    const [invoice] = await generate(db, 'ex2', '2026-10-01', '2026-11-01');
    expect(lineTuples(invoice!)).toEqual([
      ['call-charges', 'audio inbound', '1', '0.02'],
      ['call-charges', 'video outbound', '5', '1.18'],
    ]);
    expect(invoice!.lines[1]!.calls).toBe(2);
    expect(invoice!.total).toBe('1.20');
  });

  it('3. included minutes: 106.25 for the month; 48.39 and a pool of 1452 from 2026-10-17', async () => {
    await applyYaml(db, `
customers:
  - { id: ex3, name: Example 3, matching: [{ kind: domain, value: ex3.example }] }
  - { id: ex3b, name: Example 3b, matching: [{ kind: domain, value: ex3b.example }] }
plans: [{ id: ex3-included, copyOf: included-minutes }]
assignments:
  - { customer: ex3, plan: ex3-included, from: 2026-10-01 }
  - { customer: ex3b, plan: ex3-included, from: 2026-10-17 }
`);
    await ingestCsv(db, callsCsv('ex3-src', [
      ['a', '2026-10-20T08:00:00Z', 3000 * 60, 'video', 'inbound', 'room@ex3.example'],
      ['b', '2026-10-22T08:00:00Z', 125 * 60, 'video', 'inbound', 'room@ex3.example'],
      ['c', '2026-10-20T08:00:00Z', 1500 * 60, 'video', 'inbound', 'room@ex3b.example'],
    ]));
    const [whole] = await generate(db, 'ex3', '2026-10-01', '2026-11-01');
    expect(lineTuples(whole!)).toEqual([
      ['monthly-fee', 'Included minutes: monthly fee', '31', '100.00'],
      ['included-minutes-overage', 'Included minutes: 3125 used of 3000, overage', '125', '6.25'],
    ]);
    expect(whole!.total).toBe('106.25');
    const [partial] = await generate(db, 'ex3b', '2026-10-01', '2026-11-01');
    expect(lineTuples(partial!)).toEqual([
      ['monthly-fee', 'Included minutes: monthly fee', '15', '48.39'],
      ['included-minutes-overage', 'Included minutes: 1500 used of 1452, overage', '48', '2.40'],
    ]);
  });

  it('4. concurrent calls: 4 overage port-minutes, 0.40', async () => {
    await applyYaml(db, `
customers: [{ id: ex4, name: Example 4, matching: [{ kind: domain, value: ex4.example }] }]
plans: [{ id: ex4-ports, copyOf: concurrent-calls, monthlyFee: "0", portPool: { ports: 2, overagePerPortMinute: "0.10" } }]
assignments: [{ customer: ex4, plan: ex4-ports, from: 2026-10-01 }]
`);
    await ingestCsv(db, callsCsv('ex4-src', [
      ['A', '2026-10-05T10:00:00Z', 300, 'video', 'inbound', 'room@ex4.example'],
      ['B', '2026-10-05T10:00:00Z', 300, 'video', 'inbound', 'room@ex4.example'],
      ['C', '2026-10-05T10:02:00Z', 120, 'video', 'inbound', 'room@ex4.example'],
      ['D', '2026-10-05T10:03:30Z', 30, 'video', 'inbound', 'room@ex4.example'],
    ]));
    const [invoice] = await generate(db, 'ex4', '2026-10-01', '2026-11-01');
    expect(lineTuples(invoice!)).toEqual([['port-overage', 'Port pool of 2: overage port-minutes', '4', '0.40']]);
  });

  it('5. services: two VMRs, 26 entity-days, 5.20', async () => {
    await applyYaml(db, `
customers:
  - id: ex5
    name: Example 5
    entities:
      - { id: ex5-vmr-a, serviceType: pexip-vmr, alias: "ex5a@vc.provider.example", createdAt: "2026-10-11T10:00:00Z" }
      - { id: ex5-vmr-b, serviceType: pexip-vmr, alias: "ex5b@vc.provider.example", createdAt: "2026-09-01T00:00:00Z", deletedAt: "2026-10-05T08:00:00Z" }
plans: [{ id: ex5-payg, copyOf: pay-as-you-go, services: { pexip-vmr: "6.20" } }]
assignments: [{ customer: ex5, plan: ex5-payg, from: 2026-10-01 }]
`);
    const [invoice] = await generate(db, 'ex5', '2026-10-01', '2026-11-01');
    expect(lineTuples(invoice!)).toEqual([['service', 'pexip-vmr', '26', '5.20']]);
  });

  it('6. idempotency: the same file twice leaves the same calls, billing data and totals', async () => {
    await applyYaml(db, `
customers: [{ id: ex6, name: Example 6, matching: [{ kind: domain, value: ex6.example }] }]
plans: [{ id: ex6-payg, copyOf: pay-as-you-go }]
assignments: [{ customer: ex6, plan: ex6-payg, from: 2026-10-01 }]
`);
    const csv = callsCsv('ex6-src', [
      ['a', '2026-10-05T09:00:00Z', 61, 'video', 'outbound', 'room@ex6.example'],
      ['b', '2026-10-07T09:00:00Z', 3599, 'audio', 'inbound', 'room@ex6.example'],
    ]);
    const snapshot = async () => ({
      calls: await db.query(`SELECT external_id, started_at, duration_seconds, customer_id FROM calls WHERE source = 'ex6-src' ORDER BY external_id`),
      items: await db.query(`SELECT item_key, amount::text FROM billing_items WHERE customer_id = 'ex6' ORDER BY item_key`),
    });
    const first = await ingestCsv(db, csv);
    expect(first).toMatchObject({ read: 2, new: 2, unchanged: 0, rejected: 0 });
    const before = await snapshot();
    const second = await ingestCsv(db, csv);
    expect(second).toMatchObject({ read: 2, new: 0, updated: 0, unchanged: 2, rejected: 0 });
    expect(await snapshot()).toEqual(before);
    const [invoice] = await generate(db, 'ex6', '2026-10-01', '2026-11-01');
    expect(invoice!.total).toBe('1.24'); // (2 + 60) minutes × 0.02
  });

  it('7. matching: local end, remote end, ambiguous, no customer', async () => {
    await applyYaml(db, `
customers:
  - id: ex7-a
    name: Customer A
    matching: [{ kind: domain, value: a.example }, { kind: domain, value: shared.example }]
    entities: [{ id: ex7-vmr, serviceType: pexip-vmr, alias: "1001@vc.provider.example", createdAt: "2026-01-01T00:00:00Z" }]
  - id: ex7-b
    name: Customer B
    matching: [{ kind: domain, value: b.example }, { kind: domain, value: shared.example }]
plans: [{ id: ex7-payg, copyOf: pay-as-you-go }]
assignments:
  - { customer: ex7-a, plan: ex7-payg, from: 2026-10-01 }
  - { customer: ex7-b, plan: ex7-payg, from: 2026-10-01 }
`);
    await ingestCsv(db, callsCsv('ex7-src', [
      ['1', '2026-10-05T09:00:00Z', 60, 'video', 'inbound', '1001@vc.provider.example', 'bob@b.example'],
      ['2', '2026-10-05T09:00:00Z', 60, 'video', 'inbound', 'meet@vc.provider.example', 'bob@b.example'],
      ['3', '2026-10-05T09:00:00Z', 60, 'video', 'inbound', 'room@shared.example'],
      ['4', '2026-10-05T09:00:00Z', 60, 'video', 'inbound', 'x@nowhere.example', 'y@nowhere.example'],
    ]));
    const calls = await db.query<{ external_id: string; customer_id: string | null; match_status: string }>(
      `SELECT external_id, customer_id, match_status FROM calls WHERE source = 'ex7-src' ORDER BY external_id`,
    );
    expect(calls).toEqual([
      { external_id: '1', customer_id: 'ex7-a', match_status: 'matched' },
      { external_id: '2', customer_id: 'ex7-b', match_status: 'matched' },
      { external_id: '3', customer_id: null, match_status: 'ambiguous' },
      { external_id: '4', customer_id: null, match_status: 'no-customer' },
    ]);
    const untracked = (await untrackedReport(db, { source: 'ex7-src' })).map((u) => [u.externalId, u.reason]);
    expect(untracked).toEqual([['3', 'ambiguous'], ['4', 'no-customer']]);
  });

  it('8. late items: a late October call gives an adjustment of 2.00 in November', async () => {
    await applyYaml(db, `
customers: [{ id: ex8, name: Example 8, matching: [{ kind: domain, value: ex8.example }] }]
plans: [{ id: ex8-included, copyOf: included-minutes }]
assignments: [{ customer: ex8, plan: ex8-included, from: 2026-10-01 }]
`);
    await ingestCsv(db, callsCsv('ex8-src', [['a', '2026-10-10T10:00:00Z', 3000 * 60, 'video', 'inbound', 'room@ex8.example']]));
    const [october] = await generate(db, 'ex8', '2026-10-01', '2026-11-01', new Date('2026-11-02T00:00:00Z'));
    expect(lineTuples(october!)).toEqual([['monthly-fee', 'Included minutes: monthly fee', '31', '100.00']]);
    await approve(db, october!.id);
    await ingestCsv(db, callsCsv('ex8-src', [['late', '2026-10-20T10:00:00Z', 40 * 60, 'video', 'inbound', 'room@ex8.example']]), new Date('2026-11-03T00:00:00Z'));
    const [november] = await generate(db, 'ex8', '2026-11-01', '2026-12-01', new Date('2026-12-02T00:00:00Z'));
    expect(lineTuples(november!)).toEqual([
      ['adjustment', 'Included minutes: 3040 used of 3000, overage (adjustment for 2026-10)', '40', '2.00'],
      ['monthly-fee', 'Included minutes: monthly fee', '30', '100.00'],
    ]);
    expect(november!.lines[0]).toMatchObject({ period: '2026-10', late: true });
    const lateItems = await db.query<{ date: string }>(`SELECT date FROM billing_items WHERE invoice_id = $1 AND kind = 'call'`, [november!.id]);
    expect(lateItems).toEqual([{ date: '2026-10-20' }]);
    expect(november!.total).toBe('102.00');
  });
});
