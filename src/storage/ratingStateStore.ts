import type { Sql } from './database.ts';

/**
 * Marks customers (all when `customerIds` is undefined) as needing rating again and bumps their
 * generation. Call it in the transaction that changes their billing inputs, so that a rating run
 * that read the inputs before the change cannot clear the mark.
 */
export async function markRatingDirty(db: Sql, customerIds?: readonly string[]): Promise<void> {
  await db.query(
    `INSERT INTO rating_state (customer_id, dirty, generation)
     SELECT id, true, 1 FROM customers WHERE $1::text[] IS NULL OR id = ANY($1::text[])
     ORDER BY id
     ON CONFLICT (customer_id) DO UPDATE SET dirty = true, generation = rating_state.generation + 1`,
    [customerIds ?? null],
  );
}

/** The rating generation of each customer (0 for one never marked), read before its inputs are. */
export async function ratingGenerations(db: Sql, customerIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await db.query<{ id: string; generation: number }>(
    `SELECT c.id, coalesce(s.generation, 0)::int8 AS generation FROM customers c LEFT JOIN rating_state s ON s.customer_id = c.id WHERE c.id = ANY($1::text[])`,
    [customerIds],
  );
  return new Map(rows.map((r) => [r.id, r.generation]));
}

/**
 * Records that customers were rated with day items up to `through` (exclusive) from inputs read at
 * `generation`. A customer whose generation moved on meanwhile stays dirty; returns the customers
 * actually marked rated.
 */
export async function markRated(db: Sql, rated: readonly { customerId: string; through: string; generation: number }[]): Promise<string[]> {
  if (rated.length === 0) return [];
  const rows = await db.query<{ customerId: string }>(
    `INSERT INTO rating_state AS s (customer_id, dirty, rated_through, rated_at, generation)
     SELECT customer_id, false, through, now(), generation FROM unnest($1::text[], $2::date[], $3::int8[]) AS t(customer_id, through, generation)
     ORDER BY customer_id
     ON CONFLICT (customer_id) DO UPDATE SET dirty = false, rated_through = EXCLUDED.rated_through, rated_at = EXCLUDED.rated_at
       WHERE s.generation = EXCLUDED.generation
     RETURNING customer_id AS "customerId"`,
    [rated.map((t) => t.customerId), rated.map((t) => t.through), rated.map((t) => t.generation)],
  );
  return rows.map((r) => r.customerId);
}

/** Customers among `customerIds` (all when undefined) that are dirty, never rated, or rated short of `through`. */
export async function customersNeedingRating(db: Sql, through: string, customerIds?: readonly string[]): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT c.id FROM customers c LEFT JOIN rating_state s ON s.customer_id = c.id
     WHERE ($2::text[] IS NULL OR c.id = ANY($2::text[]))
       AND (s.customer_id IS NULL OR s.dirty OR s.rated_through IS NULL OR s.rated_through < $1::date)
     ORDER BY c.id`,
    [through, customerIds ?? null],
  );
  return rows.map((r) => r.id);
}

/** Work waiting: calls not yet matched and customers whose billing items are out of date. */
export async function countBillingBacklog(db: Sql): Promise<{ callsPendingMatching: number; customersToRate: number }> {
  const [row] = await db.query<{ callsPendingMatching: number; customersToRate: number }>(
    `SELECT (SELECT count(*) FROM calls WHERE match_status = 'pending')::int AS "callsPendingMatching",
            (SELECT count(*) FROM rating_state WHERE dirty)::int AS "customersToRate"`,
  );
  return row!;
}
