import { describe, expect, it } from 'vitest';
import { compareCalls, type RatableCall } from '../../src/domain/rateCustomer.ts';
import { ratableCallsInOrder } from '../../src/storage/callStore.ts';
import type { Database } from '../../src/storage/database.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

describe.each(databaseKinds)('a customer\'s calls for rating, page by page, on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('come in rating order, each once, however the pages fall on calls that start together', async () => {
    // Starts 0, 0, 0, 0, 1, 2, 2, 3 minutes after 10:00, external ids against their insertion order.
    const starts = [2, 0, 3, 0, 1, 0, 2, 0];
    const ids = ['h', 'g', 'f', 'e', 'd', 'c', 'b', 'a'];
    await db.query(
      `INSERT INTO calls (source, external_id, started_at, duration_seconds, category, direction, match_status, customer_id)
       SELECT 'mcu', x, timestamptz '2026-10-05 10:00:00Z' + m * interval '1 minute', 60, 'video', 'inbound', 'matched', 'c1'
       FROM unnest($1::text[], $2::int[]) AS t(x, m)`,
      [ids, starts],
    );
    await db.query(`INSERT INTO calls (source, external_id, started_at, duration_seconds, category, direction, match_status, customer_id)
      VALUES ('mcu', 'other', '2026-10-05 10:00:00Z', 60, 'video', 'inbound', 'matched', 'c2'), ('mcu', 'late', '2026-10-05 10:00:00Z', 60, 'video', 'inbound', 'pending', 'c1')`);
    for (const pageSize of [1, 2, 3, 4, 100]) {
      const pages = await db.transaction(async (tx) => {
        const read: RatableCall[][] = [];
        for await (const page of ratableCallsInOrder(tx, 'c1', pageSize)) read.push(page);
        return read;
      });
      const calls = pages.flat();
      expect(calls.map((c) => c.externalId)).toEqual(['a', 'c', 'e', 'g', 'd', 'b', 'h', 'f']);
      expect([...calls].sort(compareCalls)).toEqual(calls);
      expect(calls.every((c) => c.invoiced === false)).toBe(true);
      // Calls that start together are never split between pages.
      for (const page of pages.slice(1)) expect(page[0]!.startedAt).not.toBe(pages[pages.indexOf(page) - 1]!.at(-1)!.startedAt);
    }
  });
});
