import { describe, expect, it } from 'vitest';
import { nonInvoicedReport, untrackedReport, usageReport } from '../../src/services/reports.ts';
import type { Database } from '../../src/storage/database.ts';
import { applyYaml, callsCsv, ingestCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

describe.each(databaseKinds)('reports on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('non-invoiced items, untracked calls with reasons, and usage per month', async () => {
    await applyYaml(db, `
customers:
  - id: r1
    name: Reports
    matching: [{ kind: domain, value: r1.example }]
    customElements:
      - { id: r1-setup, name: Setup, date: 2026-10-02, unitPrice: "250.00", quantity: 1 }
      - { id: r1-early, name: Early visit, date: 2026-09-20, unitPrice: "80.00", quantity: 2 }
plans: [{ id: r1-plan, copyOf: included-minutes, monthlyFee: "31.00", includedMinutes: { minutesPerMonth: 100, overagePerMinute: "0.10" }, portPool: { ports: 1, overagePerPortMinute: "0.50" } }]
assignments: [{ customer: r1, plan: r1-plan, from: 2026-10-01, to: 2026-11-01 }]
`);
    await ingestCsv(db, callsCsv('r1-src', [
      ['a', '2026-10-05T09:00:00Z', 600, 'video', 'inbound', 'room@r1.example'],
      ['b', '2026-10-05T09:05:00Z', 61, 'audio', 'outbound', 'room@r1.example'],
      ['c', '2026-11-05T09:00:00Z', 60, 'video', 'inbound', 'room@r1.example'],
      ['d', '2026-10-05T09:00:00Z', 60, 'video', 'inbound', 'who@unknown.example'],
      ['e', '2026-10-05T09:00:00Z', 0, 'video', 'inbound', 'who@unknown.example'],
    ]));

    const untracked = (await untrackedReport(db, { source: 'r1-src' })).map((u) => [u.externalId, u.reason]);
    expect(untracked).toEqual([['d', 'no-customer'], ['c', 'no-plan']]); // by start; the 0-s leg e is never listed

    const open = await nonInvoicedReport(db, ['r1']);
    const byKind = (k: string) => open.filter((o) => o.kind === k);
    expect(byKind('plan-day')).toHaveLength(31);
    expect(byKind('plan-day')[0]).toMatchObject({ date: '2026-10-01', amount: '1.00', currency: 'EUR' });
    expect(byKind('call').map((c) => [c.date, c.description])).toEqual([
      ['2026-10-05', 'video inbound call a, 10 min (no-rate)'],
      ['2026-10-05', 'audio outbound call b, 2 min (no-rate)'],
    ]);
    expect(byKind('custom-element').map((c) => [c.date, c.amount, c.currency, c.invoiceable])).toEqual([
      ['2026-10-02', '250.00', 'EUR', true],
      ['2026-09-20', '160', null, false],
    ]);

    const [october] = await usageReport(db, ['r1']);
    expect(october).toMatchObject({ customerId: 'r1', month: '2026-10', calls: 2, billedMinutes: 12, poolMinutes: 100, peakPorts: 2, ports: 1 });
    expect(october!.byCategoryDirection).toEqual([
      { category: 'video', direction: 'inbound', calls: 1, billedMinutes: 10 },
      { category: 'audio', direction: 'outbound', calls: 1, billedMinutes: 2 },
    ]);
  });
});
