import type { CallMatchStatus } from '../domain/callMatchStatus.ts';
import type { Sql } from './database.ts';

export interface CallSearchFilter {
  customerId?: string;
  source?: string;
  /** Calls that started at or after this instant. */
  from?: Date;
  /** Calls that started before this instant. */
  to?: Date;
  /** The local or the remote alias, exactly (case-insensitive). */
  alias?: string;
  status?: CallMatchStatus;
  /** true: in an invoice (draft or approved); false: in none. */
  invoiced?: boolean;
}

export interface FoundCall {
  id: number;
  source: string;
  externalId: string;
  conferenceId: string | null;
  startedAt: Date;
  durationSeconds: number;
  category: string;
  direction: string;
  protocol: string | null;
  localAlias: string | null;
  remoteAlias: string | null;
  tenant: string | null;
  matchStatus: CallMatchStatus;
  customerId: string | null;
  matchRule: string | null;
  invoiceId: string | null;
}

/** Where the previous page ended: calls come newest first, ties by id. */
export interface CallPosition {
  startedAt: Date;
  id: number;
}

/**
 * One page of calls matching the filter, newest first, after `after`: keyset paging, so a page costs
 * the same deep in a month of calls as on its first day.
 */
export async function searchCalls(db: Sql, filter: CallSearchFilter, page: { limit: number; after?: CallPosition }): Promise<FoundCall[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.customerId !== undefined) where.push(`c.customer_id = ${param(filter.customerId)}`);
  if (filter.source !== undefined) where.push(`c.source = ${param(filter.source)}`);
  if (filter.from !== undefined) where.push(`c.started_at >= ${param(filter.from)}`);
  if (filter.to !== undefined) where.push(`c.started_at < ${param(filter.to)}`);
  if (filter.alias !== undefined) {
    const alias = param(filter.alias.toLowerCase());
    where.push(`(lower(c.local_alias) = ${alias} OR lower(c.remote_alias) = ${alias})`);
  }
  if (filter.status !== undefined) where.push(`c.match_status = ${param(filter.status)}`);
  if (filter.invoiced !== undefined) where.push(`bi.invoice_id IS ${filter.invoiced ? 'NOT ' : ''}NULL`);
  if (page.after) where.push(`(c.started_at, c.id) < (${param(page.after.startedAt)}, ${param(page.after.id)})`);
  return db.query<FoundCall>(
    `SELECT c.id, c.source, c.external_id AS "externalId", c.conference_id AS "conferenceId", c.started_at AS "startedAt",
            c.duration_seconds AS "durationSeconds", c.category, c.direction, c.protocol, c.local_alias AS "localAlias",
            c.remote_alias AS "remoteAlias", c.tenant, c.match_status AS "matchStatus", c.customer_id AS "customerId",
            c.match_rule AS "matchRule", bi.invoice_id::text AS "invoiceId"
       FROM calls c LEFT JOIN billing_items bi ON bi.call_id = c.id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY c.started_at DESC, c.id DESC
      LIMIT ${param(page.limit)}`,
    params,
  );
}
