import type { Sql } from './database.ts';


export interface UntrackedCall {
  source: string;
  externalId: string;
  startedAt: string;
  durationSeconds: number;
  localAlias: string | null;
  remoteAlias: string | null;
  tenant: string | null;
  reason: 'no-customer' | 'ambiguous' | 'no-plan';
  customerId: string | null;
  candidates: string | null;
}

/** Billable calls that no customer is billed for, with the reason (spec §2). */
export async function untrackedCalls(db: Sql, filter: { from?: string; to?: string; source?: string }): Promise<UntrackedCall[]> {
  const rows = await db.query<Omit<UntrackedCall, 'startedAt'> & { startedAt: Date }>(
    `SELECT c.source, c.external_id AS "externalId", c.started_at AS "startedAt", c.duration_seconds AS "durationSeconds",
            c.local_alias AS "localAlias", c.remote_alias AS "remoteAlias", c.tenant,
            CASE WHEN c.match_status = 'matched' THEN 'no-plan' ELSE c.match_status END AS reason,
            c.customer_id AS "customerId", CASE WHEN c.match_status = 'ambiguous' THEN c.match_rule END AS candidates
     FROM calls c
     WHERE c.duration_seconds > 0
       AND (c.match_status IN ('no-customer', 'ambiguous')
            OR (c.match_status = 'matched' AND NOT EXISTS (SELECT 1 FROM billing_items b WHERE b.call_id = c.id)))
       AND ($1::timestamptz IS NULL OR c.started_at >= $1) AND ($2::timestamptz IS NULL OR c.started_at < $2) AND ($3::text IS NULL OR c.source = $3)
     ORDER BY c.started_at, c.source, c.external_id`,
    [filter.from ?? null, filter.to ?? null, filter.source ?? null],
  );
  return rows.map((r) => ({ ...r, startedAt: r.startedAt.toISOString() }));
}

