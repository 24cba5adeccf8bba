import type { MatchStatus } from '../domain/untrackedReason.ts';
import type { Sql } from './database.ts';

/** A stored call that rating made no billing item of, with what decides why (src/domain/untrackedReason.ts). */
export interface CallWithoutItem {
  source: string;
  externalId: string;
  startedAt: string;
  durationSeconds: number;
  localAlias: string | null;
  remoteAlias: string | null;
  tenant: string | null;
  matchStatus: MatchStatus;
  customerId: string | null;
  /** The matching rules that matched, space-separated (several for an ambiguous call). */
  matchRule: string | null;
}

/** Where a page of calls without item ends: the last call's start, source and external id (their order). */
export interface CallPosition {
  startedAt: string;
  source: string;
  externalId: string;
}

export interface CallsWithoutItemFilter {
  from?: string;
  to?: string;
  source?: string;
  customerIds?: readonly string[];
  ruleIds?: readonly string[];
  /** Only the calls after this one (keyset paging), at most `limit` of them. */
  after?: CallPosition;
  limit?: number;
}

/**
 * The stored calls with no billing item, by start: every untracked call is one of them. Filters: a
 * start range, a source, and the calls matched to some customers or ambiguous between rules among `ruleIds`.
 */
export async function callsWithoutItem(db: Sql, filter: CallsWithoutItemFilter): Promise<CallWithoutItem[]> {
  const rows = await db.query<Omit<CallWithoutItem, 'startedAt'> & { startedAt: Date }>(
    `SELECT c.source, c.external_id AS "externalId", c.started_at AS "startedAt", c.duration_seconds AS "durationSeconds",
            c.local_alias AS "localAlias", c.remote_alias AS "remoteAlias", c.tenant, c.match_status AS "matchStatus",
            c.customer_id AS "customerId", c.match_rule AS "matchRule"
     FROM calls c
     WHERE NOT EXISTS (SELECT 1 FROM billing_items b WHERE b.call_id = c.id)
       AND ($1::timestamptz IS NULL OR c.started_at >= $1) AND ($2::timestamptz IS NULL OR c.started_at < $2) AND ($3::text IS NULL OR c.source = $3)
       AND ($4::text[] IS NULL OR c.customer_id = ANY($4::text[]) OR string_to_array(c.match_rule, ' ') && $5::text[])
       AND ($6::timestamptz IS NULL OR (c.started_at, c.source, c.external_id) > ($6::timestamptz, $7::text, $8::text))
     ORDER BY c.started_at, c.source, c.external_id
     LIMIT $9`,
    [filter.from ?? null, filter.to ?? null, filter.source ?? null, filter.customerIds ?? null, filter.ruleIds ?? [], filter.after?.startedAt ?? null, filter.after?.source ?? null, filter.after?.externalId ?? null, filter.limit ?? null],
  );
  return rows.map((r) => ({ ...r, startedAt: r.startedAt.toISOString() }));
}
