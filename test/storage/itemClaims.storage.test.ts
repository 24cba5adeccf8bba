import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { claimItemsForInvoices, openItemsBefore } from '../../src/storage/billingItemStore.ts';
import type { Database } from '../../src/storage/database.ts';
import { insertInvoices } from '../../src/storage/invoiceStore.ts';
import { applyYaml, callsCsv, ingestCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

// The claim names a customer, currency and range, and the greatest item id the generator read
// (docs/adr/0028-invoice-lines-from-sums.md): what it moves must be what the draft was computed from.
describe.each(databaseKinds)('item claims on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  const draft = (customerId: string) => ({ id: randomUUID(), number: null, status: 'draft' as const, customerId, currency: 'EUR', from: '2026-10-01', to: '2026-11-01', lines: [], total: '0.00' });

  it('moves the open items of the customer and currency before the end, up to the last id read, and says when fewer moved than read', async () => {
    await applyYaml(db, `
customers:
  - { id: ca, name: A, matching: [{ kind: domain, value: a.example }] }
  - { id: cb, name: B, matching: [{ kind: domain, value: b.example }] }
plans:
  - { id: payg, copyOf: pay-as-you-go }
assignments:
  - { customer: ca, plan: payg, from: 2026-10-01 }
  - { customer: cb, plan: payg, from: 2026-10-01 }
`);
    await ingestCsv(db, callsCsv('claims', [
      ['a1', '2026-10-05T09:00:00Z', 600, 'video', 'outbound', 'room@a.example'],
      ['a2', '2026-10-06T09:00:00Z', 600, 'video', 'outbound', 'room@a.example'],
      ['a3', '2026-11-02T09:00:00Z', 600, 'video', 'outbound', 'room@a.example'],
      ['b1', '2026-10-05T09:00:00Z', 600, 'video', 'outbound', 'room@b.example'],
    ]));
    const open = await openItemsBefore(db, ['ca'], '2026-11-01');
    const lastId = Math.max(...open.map((o) => o.id));

    // Read all of October, but one item is newer than what was read: it stays open and the count falls short.
    const early = draft('ca');
    let shortClaim: unknown;
    await db
      .transaction(async (tx) => {
        await insertInvoices(tx, [early]);
        shortClaim = await claimItemsForInvoices(tx, [{ invoiceId: early.id, customerId: 'ca', currency: 'EUR', before: '2026-11-01', lastItemId: lastId - 1, items: open.length }]);
        throw new Error('rolled back, as generation does on a short claim');
      })
      .catch(() => undefined);
    expect(shortClaim).toEqual({ claimed: open.length - 1, expected: open.length });

    // The whole read: every October item of ca moves, November's and cb's stay open.
    const invoice = draft('ca');
    const claim = await db.transaction(async (tx) => {
      await insertInvoices(tx, [invoice]);
      return claimItemsForInvoices(tx, [{ invoiceId: invoice.id, customerId: 'ca', currency: 'EUR', before: '2026-11-01', lastItemId: lastId, items: open.length }]);
    });
    expect(claim).toEqual({ claimed: open.length, expected: open.length });
    const held = await db.query<{ customer_id: string; n: number }>('SELECT customer_id, count(*)::int AS n FROM billing_items WHERE invoice_id IS NOT NULL GROUP BY customer_id');
    expect(held).toEqual([{ customer_id: 'ca', n: open.length }]);
    expect(await openItemsBefore(db, ['ca'], '2026-11-01')).toEqual([]);
    expect((await openItemsBefore(db, ['ca'], '2026-12-01')).filter((o) => o.item.kind === 'call').map((o) => o.item.date)).toEqual(['2026-11-02']);

    // Claimed again, nothing moves: an item is in one invoice only.
    const second = draft('ca');
    const again = await db.transaction(async (tx) => {
      await insertInvoices(tx, [second]);
      return claimItemsForInvoices(tx, [{ invoiceId: second.id, customerId: 'ca', currency: 'EUR', before: '2026-11-01', lastItemId: lastId, items: open.length }]);
    });
    expect(again).toEqual({ claimed: 0, expected: open.length });
  });
});
