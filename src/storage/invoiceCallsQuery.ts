import type { Sql } from './database.ts';
import type { InvoiceCallRow } from '../domain/ratedInvoiceCall.ts';

interface Row extends Omit<InvoiceCallRow, 'startedAt'> {
  startedAt: Date;
}

/** The call items an invoice holds, in the order the calls started (found through the invoice's customer: no index holds invoice_id, migration 0017). */
export async function invoiceCalls(db: Sql, invoiceId: string): Promise<InvoiceCallRow[]> {
  const rows = await db.query<Row>(
    `SELECT b.date, b.started_at AS "startedAt", c.source, b.external_id AS "externalId", c.conference_id AS "conferenceId",
            c.local_alias AS "localAlias", c.remote_alias AS "remoteAlias", b.category, b.direction, c.duration_seconds AS "durationSeconds",
            b.billed_minutes AS "billedMinutes", b.plan_id AS "planId", b.plan_version AS "planVersion", b.included_minutes AS "includedMinutes",
            b.overage_minutes AS "overageMinutes", b.rate_found AS "rateFound", b.amount::text AS amount, b.currency
     FROM invoices i JOIN billing_items b ON b.customer_id = i.customer_id AND b.invoice_id = i.id JOIN calls c ON c.id = b.call_id
     WHERE i.id = $1 AND b.kind = 'call'
     ORDER BY b.started_at, b.id`,
    [invoiceId],
  );
  return rows.map((r) => ({ ...r, startedAt: r.startedAt.toISOString() }));
}
