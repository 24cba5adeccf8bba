import type { CallCategory, CallDirection } from '../domain/call.ts';
import type { Sql } from './database.ts';

/** One rated call of an invoice: its billing item with the call record it was rated from. */
export interface InvoiceCallRow {
  /** Local date of the call in the customer's time zone (the item's date). */
  date: string;
  /** UTC, ISO 8601. */
  startedAt: string;
  source: string;
  externalId: string;
  conferenceId: string | null;
  localAlias: string | null;
  remoteAlias: string | null;
  category: CallCategory;
  direction: CallDirection;
  durationSeconds: number;
  billedMinutes: number;
  planId: string;
  planVersion: number;
  includedMinutes: number | null;
  overageMinutes: number | null;
  rateFound: boolean;
  /** Exact, unrounded call charge as rated. */
  amount: string;
  currency: string;
}

/** A rated call with the rate of its plan version that priced it (null when no rate applied): a row of the calls CSV. */
export interface RatedInvoiceCall extends InvoiceCallRow {
  startupCharge: string | null;
  perMinute: string | null;
}

interface Row extends Omit<InvoiceCallRow, 'startedAt'> {
  startedAt: Date;
}

/** The call items an invoice holds, in the order the calls started. */
export async function invoiceCalls(db: Sql, invoiceId: string): Promise<InvoiceCallRow[]> {
  const rows = await db.query<Row>(
    `SELECT b.date, b.started_at AS "startedAt", c.source, b.external_id AS "externalId", c.conference_id AS "conferenceId",
            c.local_alias AS "localAlias", c.remote_alias AS "remoteAlias", b.category, b.direction, c.duration_seconds AS "durationSeconds",
            b.billed_minutes AS "billedMinutes", b.plan_id AS "planId", b.plan_version AS "planVersion", b.included_minutes AS "includedMinutes",
            b.overage_minutes AS "overageMinutes", b.rate_found AS "rateFound", b.amount::text AS amount, b.currency
     FROM billing_items b JOIN calls c ON c.id = b.call_id
     WHERE b.invoice_id = $1 AND b.kind = 'call'
     ORDER BY b.started_at, b.id`,
    [invoiceId],
  );
  return rows.map((r) => ({ ...r, startedAt: r.startedAt.toISOString() }));
}
