import type { Sql } from './database.ts';

/** Marks customers (all when `customerIds` is undefined) as needing rating again. */
export async function markRatingDirty(db: Sql, customerIds?: readonly string[]): Promise<void> {
  await db.query(
    `INSERT INTO rating_state (customer_id, dirty)
     SELECT id, true FROM customers WHERE $1::text[] IS NULL OR id = ANY($1::text[])
     ON CONFLICT (customer_id) DO UPDATE SET dirty = true`,
    [customerIds ?? null],
  );
}

/** Records that customers were rated with day items up to `through` (exclusive). */
export async function markRated(db: Sql, through: readonly { customerId: string; through: string }[]): Promise<void> {
  if (through.length === 0) return;
  await db.query(
    `INSERT INTO rating_state (customer_id, dirty, rated_through, rated_at)
     SELECT customer_id, false, through, now() FROM unnest($1::text[], $2::date[]) AS t(customer_id, through)
     ON CONFLICT (customer_id) DO UPDATE SET dirty = false, rated_through = EXCLUDED.rated_through, rated_at = EXCLUDED.rated_at`,
    [through.map((t) => t.customerId), through.map((t) => t.through)],
  );
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
