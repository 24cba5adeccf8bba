import type { Sql } from './database.ts';

/**
 * Claims a job if it is due at `now` and not held by a live lease. The single UPDATE is the claim:
 * under concurrent claims PostgreSQL re-checks the condition on the row after the winner commits,
 * so exactly one claimer gets the row back.
 */
export async function claimDueJob(db: Sql, name: string, holder: string, now: Date, leaseMs: number): Promise<boolean> {
  await db.query('INSERT INTO scheduled_jobs (name, next_due_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, now]);
  const rows = await db.query(
    `UPDATE scheduled_jobs SET claimed_by = $2, lease_until = $3::timestamptz + $4 * interval '1 millisecond', last_started_at = $3
     WHERE name = $1 AND next_due_at <= $3 AND (lease_until IS NULL OR lease_until <= $3) RETURNING 1`,
    [name, holder, now, leaseMs],
  );
  return rows.length > 0;
}

/** Releases a claimed job and sets when it is due next; only the holder's release counts. */
export async function finishJob(db: Sql, name: string, holder: string, finishedAt: Date, nextDueAt: Date, error: string | null): Promise<void> {
  await db.query(
    `UPDATE scheduled_jobs SET lease_until = NULL, claimed_by = NULL, next_due_at = $4, last_finished_at = $3, last_error = $5 WHERE name = $1 AND claimed_by = $2`,
    [name, holder, finishedAt, nextDueAt, error],
  );
}

export interface ScheduledJobState {
  name: string;
  nextDueAt: string;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  lastError: string | null;
}

export async function scheduledJobState(db: Sql, name: string): Promise<ScheduledJobState | undefined> {
  const rows = await db.query<{ name: string; nextDueAt: Date; lastStartedAt: Date | null; lastFinishedAt: Date | null; lastError: string | null }>(
    `SELECT name, next_due_at AS "nextDueAt", last_started_at AS "lastStartedAt", last_finished_at AS "lastFinishedAt", last_error AS "lastError" FROM scheduled_jobs WHERE name = $1`,
    [name],
  );
  const r = rows[0];
  return r && { name: r.name, nextDueAt: r.nextDueAt.toISOString(), lastStartedAt: r.lastStartedAt?.toISOString() ?? null, lastFinishedAt: r.lastFinishedAt?.toISOString() ?? null, lastError: r.lastError };
}
