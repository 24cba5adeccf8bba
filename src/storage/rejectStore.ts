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

/** Keeps rejected records whole, for inspection and re-ingest. */
export async function insertRejects(db: Sql, rejects: readonly Reject[]): Promise<void> {
  if (rejects.length === 0) return;
  await db.query(
    `INSERT INTO ingest_rejects (format, file, line, field, reason, raw, source)
     SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[])`,
    [rejects.map((r) => r.format), rejects.map((r) => r.file), rejects.map((r) => r.line), rejects.map((r) => r.field), rejects.map((r) => r.reason), rejects.map((r) => r.raw), rejects.map((r) => r.source ?? null)],
  );
}

export async function listRejects(db: Sql, limit = 10_000): Promise<(Reject & { rejectedAt: Date })[]> {
  return db.query(`SELECT format, file, line, field, reason, raw, rejected_at AS "rejectedAt" FROM ingest_rejects ORDER BY id LIMIT $1`, [limit]);
}
