import type { Sql } from './database.ts';

export interface Reject {
  format: string;
  file: string;
  line: number | null;
  field: string | null;
  reason: string;
  raw: string;
  /** The source the record came from, where known (for per-source statistics). */
  source?: string | null;
}

/**
 * PostgreSQL text cannot hold U+0000, and a reject is often kept precisely because its record holds
 * one: each NUL is written as the six characters `\u0000`, so the reject is stored and shows where
 * the NUL was (its reason says "contains a NUL byte (0x00)").
 */
function storable(text: string): string;
function storable(text: string | null): string | null;
function storable(text: string | null): string | null {
  return text === null || !text.includes('\0') ? text : text.replaceAll('\0', '\\u0000');
}

/**
 * Keeps rejected records whole, for inspection and re-ingest; a reject already stored (the same
 * file ingested again) is not stored twice (migration 0009).
 */
export async function insertRejects(db: Sql, rejects: readonly Reject[]): Promise<void> {
  if (rejects.length === 0) return;
  await db.query(
    `INSERT INTO ingest_rejects (format, file, line, field, reason, raw, source)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[])
     ON CONFLICT DO NOTHING`,
    [
      rejects.map((r) => storable(r.format)), rejects.map((r) => storable(r.file)), rejects.map((r) => r.line), rejects.map((r) => storable(r.field)),
      rejects.map((r) => storable(r.reason)), rejects.map((r) => storable(r.raw)), rejects.map((r) => storable(r.source ?? null)),
    ],
  );
}

export async function listRejects(db: Sql, limit = 10_000): Promise<(Reject & { rejectedAt: Date })[]> {
  return db.query(`SELECT format, file, line, field, reason, raw, rejected_at AS "rejectedAt" FROM ingest_rejects ORDER BY id LIMIT $1`, [limit]);
}

/** One page of the rejects, oldest first, after the reject with id `afterId` (keyset paging); ids as text. */
export async function rejectsPage(db: Sql, page: { afterId?: string; limit: number }): Promise<(Reject & { id: string; rejectedAt: Date })[]> {
  return db.query(
    `SELECT id::text AS id, format, file, line, field, reason, raw, source, rejected_at AS "rejectedAt" FROM ingest_rejects
     WHERE ($1::bigint IS NULL OR id > $1::bigint) ORDER BY id LIMIT $2`,
    [page.afterId ?? null, page.limit],
  );
}
