import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { approve, deleteDraft } from '../../src/services/invoicing.ts';
import type { Database } from '../../src/storage/database.ts';
import { applyYaml, callsCsv, generate, ingestCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

// The promises the database itself keeps, whoever writes: an item is in at most one invoice, an
// approved invoice never changes, assignments never overlap, ingest is idempotent.
describe.each(databaseKinds)('storage guarantees on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));
  beforeAll(async () => {
    await applyYaml(db, `
customers: [{ id: g1, name: Guarantees, matching: [{ kind: domain, value: g1.example }] }]
plans: [{ id: g1-payg, copyOf: pay-as-you-go, monthlyFee: "31.00" }]
assignments: [{ customer: g1, plan: g1-payg, from: 2026-10-01 }]
`);
    await ingestCsv(db, callsCsv('g1-src', [
      ['a', '2026-10-05T09:00:00Z', 600, 'video', 'inbound', 'room@g1.example'],
      ['b', '2026-10-06T09:00:00Z', 120, 'audio', 'inbound', 'room@g1.example'],
    ]));
  });

  it('keeps one billing item per call and per plan day, even against direct inserts', async () => {
    const [item] = await db.query<{ call_id: number }>(`SELECT call_id FROM billing_items WHERE customer_id = 'g1' AND kind = 'call' LIMIT 1`);
    await expect(
      db.query(`INSERT INTO billing_items (customer_id, item_key, kind, date, currency, plan_id, plan_version, call_id) VALUES ('other', 'x', 'call', '2026-10-05', 'EUR', 'g1-payg', 1, $1)`, [item!.call_id]),
    ).rejects.toThrow(/billing_items_one_per_call|duplicate key/);
    await expect(
      db.query(`INSERT INTO billing_items (customer_id, item_key, kind, date, currency, plan_id, plan_version) VALUES ('g1', 'plan-day:2026-10-05', 'plan-day', '2026-10-05', 'EUR', 'g1-payg', 1)`),
    ).rejects.toThrow(/duplicate key/);
  });

  it('keeps every item\'s call: no item for a missing call, no removal of a billed call', async () => {
    const [item] = await db.query<{ id: number; call_id: number }>(`SELECT id, call_id FROM billing_items WHERE customer_id = 'g1' AND kind = 'call' ORDER BY id LIMIT 1`);
    const [{ missing }] = (await db.query<{ missing: number }>('SELECT max(id) + 1000 AS missing FROM calls')) as [{ missing: number }];
    await expect(
      db.query(`INSERT INTO billing_items (customer_id, item_key, kind, date, currency, plan_id, plan_version, call_id) VALUES ('g1', 'call:none', 'call', '2026-10-05', 'EUR', 'g1-payg', 1, $1)`, [missing]),
    ).rejects.toMatchObject({ code: '23503' });
    await expect(db.query('UPDATE billing_items SET call_id = $2 WHERE id = $1', [item!.id, missing])).rejects.toMatchObject({ code: '23503' });
    await expect(db.query('DELETE FROM calls WHERE id = $1', [item!.call_id])).rejects.toMatchObject({ code: '23503' });
    await expect(db.query('UPDATE calls SET id = $2 WHERE id = $1', [item!.call_id, missing])).rejects.toMatchObject({ code: '23503' });
    await expect(db.exec('TRUNCATE calls CASCADE')).rejects.toMatchObject({ code: '23503' });
    // What names no call stays free: the same item rewritten in place, a call no item names deleted.
    await db.query('UPDATE billing_items SET billed_minutes = billed_minutes WHERE id = $1', [item!.id]);
    const [unbilled] = await db.query<{ id: number }>(`INSERT INTO calls (source, external_id, started_at, duration_seconds, category, direction, match_status) VALUES ('g1-src', 'unbilled', '2026-10-07T09:00:00Z', 60, 'video', 'inbound', 'pending') RETURNING id`);
    await db.query('DELETE FROM calls WHERE id = $1', [unbilled!.id]);
    expect(await db.query('SELECT 1 FROM calls WHERE id = $1', [item!.call_id])).toHaveLength(1);
  });

  it('refuses overlapping assignments in the database itself', async () => {
    await expect(db.query(`INSERT INTO assignments (id, customer_id, plan_id, from_date, to_date) VALUES ('overlap', 'g1', 'g1-payg', '2026-10-20', '2026-11-20')`)).rejects.toThrow(/exclu|conflicting key/i);
  });

  it('deleting a draft releases its items; approval makes invoice, lines and items immutable', async () => {
    const [draft] = await generate(db, 'g1', '2026-10-01', '2026-11-01');
    expect(draft!.total).toBe('31.24'); // 31.00 fee + 10 min × 0.02 + 2 min × 0.02
    await deleteDraft(db, draft!.id, 'test');
    const [free] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM billing_items WHERE customer_id = 'g1' AND invoice_id IS NULL AND date < '2026-11-01'`);
    expect(free!.n).toBe(31 + 2);
    const [invoice] = await generate(db, 'g1', '2026-10-01', '2026-11-01');
    expect(invoice!.total).toBe('31.24');
    const approved = await approve(db, invoice!.id);
    expect(approved.number).toBeGreaterThan(0);

    await expect(db.query(`UPDATE invoices SET total = 0 WHERE id = $1`, [invoice!.id])).rejects.toThrow(/approved/);
    await expect(db.query(`DELETE FROM invoices WHERE id = $1`, [invoice!.id])).rejects.toThrow(/approved/);
    await expect(db.query(`UPDATE invoice_lines SET amount = 0 WHERE invoice_id = $1`, [invoice!.id])).rejects.toThrow(/approved/);
    await expect(db.query(`DELETE FROM invoice_lines WHERE invoice_id = $1`, [invoice!.id])).rejects.toThrow(/approved/);
    await expect(db.query(`INSERT INTO invoice_lines (invoice_id, position, kind, description, quantity, unit, amount, period) VALUES ($1, 99, 'manual', 'x', 1, 'unit', 5, '2026-10')`, [invoice!.id])).rejects.toThrow(/approved/);
    await expect(db.query(`UPDATE billing_items SET amount = 0 WHERE invoice_id = $1`, [invoice!.id])).rejects.toThrow(/approved/);
    await expect(db.query(`UPDATE billing_items SET invoice_id = NULL WHERE invoice_id = $1`, [invoice!.id])).rejects.toThrow(/approved/);
    await expect(db.query(`DELETE FROM billing_items WHERE invoice_id = $1`, [invoice!.id])).rejects.toThrow(/approved/);
    await expect(db.query(`UPDATE billing_items SET invoice_id = $1 WHERE invoice_id IS NULL AND customer_id = 'g1'`, [invoice!.id])).rejects.toThrow(/into an approved invoice/);
    await expect(
      db.query(`INSERT INTO billing_items (customer_id, item_key, kind, date, currency, plan_id, plan_version, invoice_id) VALUES ('g1', 'sneaky', 'plan-day', '2025-01-01', 'EUR', 'g1-payg', 1, $1)`, [invoice!.id]),
    ).rejects.toThrow(/into an approved invoice/);
    const [kept] = await db.query<{ total: string; lines: number }>(`SELECT total::text, (SELECT count(*)::int FROM invoice_lines WHERE invoice_id = $1) AS lines FROM invoices WHERE id = $1`, [invoice!.id]);
    expect(kept).toEqual({ total: '31.24', lines: 3 });
  });

  it('refuses a changed record for an invoiced call and records the conflict', async () => {
    const summary = await ingestCsv(db, callsCsv('g1-src', [['a', '2026-10-05T09:00:00Z', 9999, 'video', 'inbound', 'room@g1.example']]));
    expect(summary).toMatchObject({ new: 0, updated: 0, conflicts: 1 });
    const [call] = await db.query<{ duration_seconds: number }>(`SELECT duration_seconds FROM calls WHERE source = 'g1-src' AND external_id = 'a'`);
    expect(call!.duration_seconds).toBe(600);
  });

  it('property: ingesting the same calls again, in any order, changes nothing', async () => {
    await applyYaml(db, `
customers: [{ id: g2, name: Idempotent, matching: [{ kind: domain, value: g2.example }] }]
plans: [{ id: g2-included, copyOf: included-minutes, callRates: [{ category: "*", direction: "*", startupCharge: "0.10", perMinute: "0.01" }] }]
assignments: [{ customer: g2, plan: g2-included, from: 2026-10-01 }]
`);
    let run = 0;
    const callArb = fc.record({
      minute: fc.integer({ min: 0, max: 31 * 24 * 60 - 1 }),
      seconds: fc.integer({ min: 0, max: 7200 }),
      category: fc.constantFrom('video', 'audio', 'webrtc'),
      local: fc.constantFrom('room@g2.example', 'x@nobody.example'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(callArb, { minLength: 1, maxLength: 12 }), fc.integer(), async (calls, seed) => {
        const source = `g2-src-${run++}`;
        const rows = calls.map((c, i): [string, string, number, string, string, string] => [`c${i}`, new Date(Date.UTC(2026, 9, 1) + c.minute * 60_000).toISOString(), c.seconds, c.category, 'inbound', c.local]);
        const snapshot = async () => ({
          calls: await db.query(`SELECT external_id, started_at, duration_seconds, customer_id, match_status FROM calls WHERE source = $1 ORDER BY external_id`, [source]),
          items: await db.query(`SELECT b.item_key, b.amount::text, b.included_minutes, b.overage_minutes FROM billing_items b WHERE customer_id = 'g2' ORDER BY item_key`),
        });
        await ingestCsv(db, callsCsv(source, rows));
        const before = await snapshot();
        const shuffled = [...rows];
        let state = seed >>> 0;
        for (let i = shuffled.length - 1; i > 0; i--) {
          state = (state * 1664525 + 1013904223) >>> 0;
          const j = state % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const again = await ingestCsv(db, callsCsv(source, shuffled));
        expect(again).toMatchObject({ new: 0, updated: 0, unchanged: rows.length });
        expect(await snapshot()).toEqual(before);
      }),
      { numRuns: 8 },
    );
  });
});
