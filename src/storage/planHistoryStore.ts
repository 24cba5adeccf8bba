import type { Sql } from './database.ts';

export interface PlanHistoryEntry {
  field: string;
  oldValue: unknown;
  newValue: unknown;
  user: string;
  changedAt: string;
}

/** A plan's history of changes, oldest first (docs/billing-rules.md §3). */
export async function planHistory(db: Sql, planId: string): Promise<PlanHistoryEntry[]> {
  const rows = await db.query<{ field: string; oldValue: unknown; newValue: unknown; user: string; changedAt: Date }>(
    `SELECT field, old_value AS "oldValue", new_value AS "newValue", user_name AS "user", changed_at AS "changedAt" FROM plan_history WHERE plan_id = $1 ORDER BY id`,
    [planId],
  );
  return rows.map((r) => ({ ...r, changedAt: r.changedAt.toISOString() }));
}
