import { describe, expect, it } from 'vitest';
import type { BillingError } from '../../src/domain/billingError.ts';
import { approve } from '../../src/services/invoicing.ts';
import { previewInvoices } from '../../src/services/reports.ts';
import type { Database } from '../../src/storage/database.ts';
import { applyYaml, callsCsv, generate, ingestCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const tuples = (lines: { kind: string; description: string; quantity: string; amount: string }[]) => lines.map((l) => [l.kind, l.description, l.quantity, l.amount]);

// The non-invoiced report is the preview of the next invoices: what `invoice generate` would make.
describe.each(databaseKinds)('invoice preview on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('shows the lines and totals generation then makes: port overage, monthly fees, a pool adjustment for a late call, tax', async () => {
    await applyYaml(db, `
settings: { taxRatePercent: "25" }
customers:
  - { id: cc, name: Concurrent, matching: [{ kind: domain, value: cc.example }] }
  - { id: im, name: Included, matching: [{ kind: domain, value: im.example }] }
plans:
  - { id: cc-plan, copyOf: concurrent-calls, portPool: { ports: 1, overagePerPortMinute: "0.10" } }
  - { id: im-plan, copyOf: included-minutes }
assignments:
  - { customer: cc, plan: cc-plan, from: 2026-10-01 }
  - { customer: im, plan: im-plan, from: 2026-10-01 }
`, new Date('2026-11-02T00:00:00Z'));
    await ingestCsv(db, callsCsv('pv-src', [
      ['c1', '2026-10-05T09:00:00Z', 600, 'video', 'inbound', 'room@cc.example'],
      ['c2', '2026-10-05T09:00:00Z', 600, 'video', 'inbound', 'desk@cc.example'],
      ['i1', '2026-10-10T10:00:00Z', 3000 * 60, 'video', 'inbound', 'room@im.example'],
    ]), new Date('2026-11-02T00:00:00Z'));

    const october = { from: '2026-10-01', to: '2026-11-01', now: new Date('2026-11-02T00:00:00Z') };
    const [cc, im, ...none] = await previewInvoices(db, october);
    expect(none).toEqual([]);
    // Two 10-minute calls at once on a pool of 1 port: 10 port-minutes at 0.10.
    expect(cc).toMatchObject({ customerId: 'cc', currency: 'EUR', from: '2026-10-01', to: '2026-11-01', subtotal: '501.00', tax: '125.25', total: '626.25' });
    expect(tuples(cc!.lines)).toEqual([
      ['monthly-fee', 'Concurrent Calls: monthly fee', '31', '500.00'],
      ['port-overage', 'Port pool of 1: overage port-minutes', '10', '1.00'],
      ['tax', 'Tax 25 % of 501.00', '25', '125.25'],
    ]);
    // 100.00 a month, not 31 daily rows of 3.23 (100.13); the pool's calls make no 0.00 "no-rate" line.
    expect(im).toMatchObject({ customerId: 'im', currency: 'EUR', subtotal: '100.00', tax: '25.00', total: '125.00' });
    expect(tuples(im!.lines)).toEqual([
      ['monthly-fee', 'Included minutes: monthly fee', '31', '100.00'],
      ['tax', 'Tax 25 % of 100.00', '25', '25.00'],
    ]);

    // What generation then makes for the same range is exactly the preview.
    const [ccInvoice] = await generate(db, 'cc', october.from, october.to, october.now);
    const [imInvoice] = await generate(db, 'im', october.from, october.to, october.now);
    expect([ccInvoice!.lines, ccInvoice!.total]).toEqual([cc!.lines, cc!.total]);
    expect([imInvoice!.lines, imInvoice!.total]).toEqual([im!.lines, im!.total]);
    await approve(db, imInvoice!.id);
    expect(await previewInvoices(db, { ...october, customerIds: ['cc', 'im'] })).toEqual([]); // nothing left before 2026-11-01

    // A late 40-minute October call: the next invoice charges a 2.00 pool adjustment (spec example 8).
    const now = new Date('2026-11-03T12:00:00Z');
    await ingestCsv(db, callsCsv('pv-src', [['late', '2026-10-20T10:00:00Z', 40 * 60, 'video', 'inbound', 'room@im.example']]), now);
    // Default range: from the end of the last invoice to tomorrow (everything up to today).
    const [next] = await previewInvoices(db, { customerIds: ['im'], now, items: true });
    expect(next).toMatchObject({ from: '2026-11-01', to: '2026-11-04', subtotal: '12.00', tax: '3.00', total: '15.00' });
    expect(tuples(next!.lines)).toEqual([
      ['adjustment', 'Included minutes: 3040 used of 3000, overage (adjustment for 2026-10)', '40', '2.00'],
      ['monthly-fee', 'Included minutes: monthly fee', '3', '10.00'],
      ['tax', 'Tax 25 % of 12.00', '25', '3.00'],
    ]);
    expect(next!.lines[0]).toMatchObject({ period: '2026-10', late: true });
    // Without the items, the pool's calls are summed by the database: the same lines and total.
    const [summed] = await previewInvoices(db, { customerIds: ['im'], now });
    expect([summed!.lines, summed!.total, summed!.items]).toEqual([next!.lines, next!.total, undefined]);
    // The items behind the lines, to 6 decimals: the late call behind the adjustment, three plan days behind the fee.
    expect(next!.items!.map((i) => [i.date, i.kind, i.amount, i.lines])).toEqual([
      ['2026-10-20', 'call', '0', [1]],
      ['2026-11-01', 'plan-day', '3.333333', [2]],
      ['2026-11-02', 'plan-day', '3.333333', [2]],
      ['2026-11-03', 'plan-day', '3.333333', [2]],
    ]);

    const [november] = await generate(db, 'im', '2026-11-01', '2026-11-04', new Date('2026-11-04T12:00:00Z'));
    expect([november!.lines, november!.total]).toEqual([next!.lines, next!.total]);
  });

  it('refuses an unknown customer and a malformed or empty range', async () => {
    await applyYaml(db, 'customers: [{ id: known, name: Known, matching: [{ kind: domain, value: known.example }] }]\n');
    const now = new Date('2026-11-02T00:00:00Z');
    const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: BillingError) => [e.code, e.message]);
    expect(await refusal(previewInvoices(db, { customerIds: ['known', 'nosuch'], now }))).toEqual(['not-found', 'No customer with id "nosuch".']);
    expect(await refusal(previewInvoices(db, { from: '2026-13-01', now }))).toEqual(['invalid-argument', 'The start date "2026-13-01" is not a date YYYY-MM-DD.']);
    expect(await refusal(previewInvoices(db, { from: '2026-11-01', to: '2026-10-01', now }))).toEqual(['invalid-argument', 'The invoice range is empty: the start date 2026-11-01 must be before the end date 2026-10-01.']);
  });
});
