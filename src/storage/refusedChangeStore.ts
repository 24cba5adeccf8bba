import type { Sql } from './database.ts';

/** A later record for an invoiced call, refused at ingest (docs/billing-rules.md §1): the fields it would have changed. */
export interface RefusedChange {
  source: string;
  externalId: string;
  customerId: string | null;
  /** The invoice that holds the call (its number once approved, else its id). */
  invoice: string | null;
  /** Field → value, for the fields that differ (confbill-csv names): the invoiced values and the refused ones. */
  oldValues: Record<string, unknown>;
  newValues: Record<string, unknown>;
  file: string;
  line: number | null;
  refusedAt: string;
}

export interface RefusedChangeFilter {
  customerIds?: readonly string[];
  source?: string;
  /** Refused at or after this instant (ISO 8601). */
  from?: string;
  /** Refused before this instant. */
  to?: string;
}

const refusedChangeColumns = `c.source, c.external_id AS "externalId", c.customer_id AS "customerId",
            (SELECT coalesce(i.number::text, i.id) FROM billing_items b JOIN invoices i ON i.id = b.invoice_id WHERE b.call_id = c.id LIMIT 1) AS invoice,
            k.old_values AS "oldValues", k.new_values AS "newValues", k.file, k.line, k.recorded_at AS "refusedAt"`;

const refusedChangeFilter = `($1::text[] IS NULL OR c.customer_id = ANY($1::text[])) AND ($2::text IS NULL OR c.source = $2)
       AND ($3::timestamptz IS NULL OR k.recorded_at >= $3) AND ($4::timestamptz IS NULL OR k.recorded_at < $4)`;

const filterValues = (filter: RefusedChangeFilter) => [filter.customerIds ?? null, filter.source ?? null, filter.from ?? null, filter.to ?? null];

/** The refused changes, oldest first. */
export async function listRefusedChanges(db: Sql, filter: RefusedChangeFilter = {}): Promise<RefusedChange[]> {
  const rows = await db.query<Omit<RefusedChange, 'refusedAt'> & { refusedAt: Date }>(
    `SELECT ${refusedChangeColumns}
     FROM ingest_conflicts k JOIN calls c ON c.id = k.call_id
     WHERE ${refusedChangeFilter}
     ORDER BY k.recorded_at, k.id`,
    filterValues(filter),
  );
  return rows.map((r) => ({ ...r, refusedAt: r.refusedAt.toISOString() }));
}

/**
 * One page of the refused changes in the order they were recorded, after the one with id `afterId`
 * (keyset paging on the row id: a timestamp kept to the microsecond would not survive a cursor).
 */
export async function refusedChangesPage(db: Sql, filter: RefusedChangeFilter, page: { afterId?: string; limit: number }): Promise<(RefusedChange & { id: string })[]> {
  const rows = await db.query<Omit<RefusedChange, 'refusedAt'> & { id: string; refusedAt: Date }>(
    `SELECT k.id::text AS id, ${refusedChangeColumns}
     FROM ingest_conflicts k JOIN calls c ON c.id = k.call_id
     WHERE ${refusedChangeFilter} AND ($5::bigint IS NULL OR k.id > $5::bigint)
     ORDER BY k.id
     LIMIT $6`,
    [...filterValues(filter), page.afterId ?? null, page.limit],
  );
  return rows.map((r) => ({ ...r, refusedAt: r.refusedAt.toISOString() }));
}
