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

/** The refused changes, oldest first. */
export async function listRefusedChanges(db: Sql, filter: RefusedChangeFilter = {}): Promise<RefusedChange[]> {
  const rows = await db.query<Omit<RefusedChange, 'refusedAt'> & { refusedAt: Date }>(
    `SELECT c.source, c.external_id AS "externalId", c.customer_id AS "customerId",
            (SELECT coalesce(i.number::text, i.id) FROM billing_items b JOIN invoices i ON i.id = b.invoice_id WHERE b.call_id = c.id LIMIT 1) AS invoice,
            k.old_values AS "oldValues", k.new_values AS "newValues", k.file, k.line, k.recorded_at AS "refusedAt"
     FROM ingest_conflicts k JOIN calls c ON c.id = k.call_id
     WHERE ($1::text[] IS NULL OR c.customer_id = ANY($1::text[])) AND ($2::text IS NULL OR c.source = $2)
       AND ($3::timestamptz IS NULL OR k.recorded_at >= $3) AND ($4::timestamptz IS NULL OR k.recorded_at < $4)
     ORDER BY k.recorded_at, k.id`,
    [filter.customerIds ?? null, filter.source ?? null, filter.from ?? null, filter.to ?? null],
  );
  return rows.map((r) => ({ ...r, refusedAt: r.refusedAt.toISOString() }));
}
