import { describe, expect, it } from 'vitest';
import { previewInvoices, untrackedReport, usageReport } from '../../src/services/reports.ts';
import type { Database } from '../../src/storage/database.ts';
import { applyYaml, callsCsv, ingestCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

describe.each(databaseKinds)('reports on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('the next invoices previewed, untracked calls with reasons and filters, and usage per month', async () => {
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

    // --customer: the customer's untracked calls (no plan at their start); an unknown one is refused.
    expect((await untrackedReport(db, { customerIds: ['r1'] })).map((u) => [u.externalId, u.reason, u.customerId])).toEqual([['c', 'no-plan', 'r1']]);
    await expect(untrackedReport(db, { customerIds: ['nosuch'] })).rejects.toMatchObject({ code: 'not-found' });
    // --from/--to: a date is the start of that day in the provider's time zone; anything else is refused.
    expect((await untrackedReport(db, { source: 'r1-src', from: '2026-11-01' })).map((u) => u.externalId)).toEqual(['c']);
    expect((await untrackedReport(db, { source: 'r1-src', to: '2026-10-05T09:00:00Z' })).map((u) => u.externalId)).toEqual([]);
    await expect(untrackedReport(db, { from: 'last week' })).rejects.toMatchObject({ code: 'invalid-argument', message: 'The range start "last week" is neither a date YYYY-MM-DD nor an instant with an offset (2026-10-01T00:00:00Z).', details: { field: 'from', value: 'last week' } });

    const [open, stranded, ...none] = await previewInvoices(db, { customerIds: ['r1'], from: '2026-10-01', to: '2026-11-01', now: new Date('2026-12-01T00:00:00Z'), items: true });
    expect(none).toEqual([]);
    expect(open!.lines.map((l) => [l.kind, l.description, l.quantity, l.amount])).toEqual([
      ['monthly-fee', 'Included minutes: monthly fee', '31', '31.00'],
      ['port-overage', 'Port pool of 1: overage port-minutes', '2', '1.00'],
      ['custom-element', 'Setup', '1', '250.00'],
    ]);
    expect(open!.total).toBe('282.00');
    const items = open!.items!;
    expect(items.filter((i) => i.kind === 'plan-day')).toHaveLength(31);
    expect(items.filter((i) => i.kind === 'call').map((c) => [c.date, c.description, c.amount, c.lines])).toEqual([
      ['2026-10-05', 'video inbound call a, 10 min (no-rate)', '0', [2]],
      ['2026-10-05', 'audio outbound call b, 2 min (no-rate)', '0', [2]],
    ]);
    // A one-off dated where no plan is in force: no currency, so no invoice can take it.
    expect(stranded).toMatchObject({ customerId: 'r1', currency: null, lines: [], total: null, notInvoiceable: [{ date: '2026-09-20', name: 'Early visit', amount: '160' }] });

    const [october] = await usageReport(db, ['r1']);
    expect(october).toMatchObject({ customerId: 'r1', month: '2026-10', calls: 2, billedMinutes: 12, poolMinutes: 100, peakPorts: 2, ports: 1 });
    expect(october!.byCategoryDirection).toEqual([
      { category: 'video', direction: 'inbound', calls: 1, billedMinutes: 10 },
      { category: 'audio', direction: 'outbound', calls: 1, billedMinutes: 2 },
    ]);
  });
});
