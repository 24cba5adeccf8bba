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

/**
 * Takes the locks of `lockCustomers` that are free now and returns those customers; the others are
 * being worked on by another process (several processes share a run this way, and wait for what they
 * skipped at the end). Never blocks, so the order does not matter.
 */
export async function tryLockCustomers(tx: Sql, customerIds: readonly string[]): Promise<string[]> {
  const sorted = [...new Set(customerIds)].sort();
  if (sorted.length === 0) return [];
  const rows = await tx.query<{ id: string }>(`SELECT id FROM unnest($1::text[]) AS t(id) WHERE pg_try_advisory_xact_lock(7264002, hashtext(id))`, [sorted]);
  return rows.map((r) => r.id);
}
