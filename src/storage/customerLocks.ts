import type { Sql } from './database.ts';

/**
 * Serializes work on the same customers across processes: rating and invoicing take these
 * transaction-scoped advisory locks, always in sorted order so that two processes cannot deadlock.
 */
export async function lockCustomers(tx: Sql, customerIds: readonly string[]): Promise<void> {
  const sorted = [...new Set(customerIds)].sort();
  if (sorted.length === 0) return;
  await tx.query(`SELECT pg_advisory_xact_lock(7264002, hashtext(id)) FROM unnest($1::text[]) WITH ORDINALITY AS t(id, n) ORDER BY n`, [sorted]);
}
