import { BillingError } from '../domain/billingError.ts';
import type { PriorOverageCharge } from '../domain/computeInvoice.ts';
import type { InvoiceLine } from '../domain/invoiceLine.ts';
import type { Sql } from './database.ts';
import type { Invoice } from '../domain/invoice.ts';

/** Inserts a draft: status and number are left to the database (a draft, no number), which the service role may not set. */
export async function insertInvoice(tx: Sql, invoice: Invoice): Promise<void> {
  await insertInvoices(tx, [invoice]);
}

/** Inserts drafts and their lines, two statements whatever their number (see insertInvoice). */
export async function insertInvoices(tx: Sql, invoices: readonly Invoice[]): Promise<void> {
  if (invoices.length === 0) return;
  await tx.query(
    `INSERT INTO invoices (id, customer_id, currency, from_date, to_date, total, notes)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::date[], $6::numeric[], $7::text[])`,
    [invoices.map((i) => i.id), invoices.map((i) => i.customerId), invoices.map((i) => i.currency), invoices.map((i) => i.from), invoices.map((i) => i.to), invoices.map((i) => i.total), invoices.map((i) => i.notes ?? null)],
  );
  await insertInvoiceLines(tx, invoices.flatMap((i) => i.lines.map((line, n) => ({ invoiceId: i.id, position: n + 1, line }))));
}

async function insertInvoiceLines(tx: Sql, rows: readonly { invoiceId: string; position: number; line: InvoiceLine }[]): Promise<void> {
  if (rows.length === 0) return;
  const l = rows.map((r) => r.line);
  await tx.query(
    `INSERT INTO invoice_lines (invoice_id, position, kind, description, quantity, unit, unit_price, amount, period, plan_id, basis, calls, late)
     SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::numeric[], $6::text[], $7::numeric[], $8::numeric[], $9::text[], $10::text[], $11::text[], $12::int[], $13::boolean[])`,
    [
      rows.map((r) => r.invoiceId), rows.map((r) => r.position), l.map((x) => x.kind), l.map((x) => x.description), l.map((x) => x.quantity), l.map((x) => x.unit), l.map((x) => x.unitPrice ?? null),
      l.map((x) => x.amount), l.map((x) => x.period), l.map((x) => x.planId ?? null), l.map((x) => x.basis ?? null), l.map((x) => x.calls ?? null), l.map((x) => x.late ?? false),
    ],
  );
}

type InvoiceRow = Omit<Invoice, 'lines' | 'notes' | 'createdAt' | 'approvedAt' | 'approvedBy'> & { notes: string | null; createdAt: Date; approvedAt: Date | null; approvedBy: string | null };

const invoiceColumns = `id, number, status, customer_id AS "customerId", currency, from_date AS "from", to_date AS "to", total::text AS total, notes, created_at AS "createdAt", approved_at AS "approvedAt", approved_by AS "approvedBy"`;

interface LineRow {
  invoiceId: string;
  kind: InvoiceLine['kind'];
  description: string;
  quantity: string;
  unit: InvoiceLine['unit'];
  unitPrice: string | null;
  amount: string;
  period: string;
  planId: string | null;
  basis: InvoiceLine['basis'] | null;
  calls: number | null;
  late: boolean;
}

async function withLines(db: Sql, rows: InvoiceRow[]): Promise<Invoice[]> {
  if (rows.length === 0) return [];
  const lines = await db.query<LineRow>(
    `SELECT invoice_id AS "invoiceId", kind, description, quantity::text AS quantity, unit, unit_price::text AS "unitPrice", amount::text AS amount, period,
            plan_id AS "planId", basis, calls, late
     FROM invoice_lines WHERE invoice_id = ANY($1::text[]) ORDER BY invoice_id, position`,
    [rows.map((r) => r.id)],
  );
  return rows.map((r) => invoiceOf(r, lines.filter((l) => l.invoiceId === r.id)));
}

function invoiceOf(r: InvoiceRow, lines: readonly LineRow[]): Invoice {
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    customerId: r.customerId,
    currency: r.currency,
    from: r.from,
    to: r.to,
    lines: lines.map((l) => {
      const line: InvoiceLine = { kind: l.kind, description: l.description, quantity: l.quantity, unit: l.unit, amount: l.amount, period: l.period };
      if (l.unitPrice !== null) line.unitPrice = l.unitPrice;
      if (l.planId !== null) line.planId = l.planId;
      if (l.calls !== null) line.calls = l.calls;
      if (l.basis) line.basis = l.basis;
      if (l.late) line.late = true;
      return line;
    }),
    total: r.total,
    notes: r.notes,
    createdAt: r.createdAt.toISOString(),
    approvedAt: r.approvedAt?.toISOString() ?? null,
    approvedBy: r.approvedBy,
  };
}

/** One invoice with its lines, in one statement (a row per line; one row with no line columns when it has none). */
export async function getInvoice(db: Sql, id: string): Promise<Invoice | undefined> {
  const rows = await db.query<InvoiceRow & { invoiceId: string | null } & Omit<LineRow, 'invoiceId'>>(
    `SELECT i.id, i.number, i.status, i.customer_id AS "customerId", i.currency, i.from_date AS "from", i.to_date AS "to", i.total::text AS total, i.notes,
            i.created_at AS "createdAt", i.approved_at AS "approvedAt", i.approved_by AS "approvedBy",
            l.invoice_id AS "invoiceId", l.kind, l.description, l.quantity::text AS quantity, l.unit, l.unit_price::text AS "unitPrice", l.amount::text AS amount,
            l.period, l.plan_id AS "planId", l.basis, l.calls, l.late
     FROM invoices i LEFT JOIN invoice_lines l ON l.invoice_id = i.id WHERE i.id = $1 ORDER BY l.position`,
    [id],
  );
  const first = rows[0];
  if (!first) return undefined;
  return invoiceOf(first, rows.filter((r): r is typeof r & { invoiceId: string } => r.invoiceId !== null));
}

/** The id of the approved invoice with this number, if any. */
export async function invoiceIdByNumber(db: Sql, number: number): Promise<string | undefined> {
  const rows = await db.query<{ id: string }>('SELECT id FROM invoices WHERE number = $1', [number]);
  return rows[0]?.id;
}

export async function invoiceExists(db: Sql, id: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM invoices WHERE id = $1', [id])).length > 0;
}

export interface DraftRange {
  id: string;
  currency: string;
  from: string;
  to: string;
}

/** Some customers' drafts whose range [from, to) shares a day with the given one. */
export async function draftsOverlapping(db: Sql, customerIds: readonly string[], from: string, to: string): Promise<(DraftRange & { customerId: string })[]> {
  return db.query<DraftRange & { customerId: string }>(
    `SELECT customer_id AS "customerId", id, currency, from_date AS "from", to_date AS "to" FROM invoices
     WHERE customer_id = ANY($1::text[]) AND status = 'draft' AND from_date < $3 AND to_date > $2 ORDER BY customer_id, from_date, id`,
    [customerIds, from, to],
  );
}

export interface InvoiceFilter {
  customerIds?: readonly string[];
  /** Invoices whose range ends after this date. */
  from?: string;
  /** Invoices whose range starts before this date. */
  to?: string;
}

export async function listInvoices(db: Sql, filter: InvoiceFilter = {}): Promise<Invoice[]> {
  const rows = await db.query<InvoiceRow>(
    `SELECT ${invoiceColumns} FROM invoices
     WHERE ($1::text[] IS NULL OR customer_id = ANY($1::text[])) AND ($2::date IS NULL OR to_date > $2) AND ($3::date IS NULL OR from_date < $3)
     ORDER BY customer_id, from_date, created_at, id`,
    [filter.customerIds ?? null, filter.from ?? null, filter.to ?? null],
  );
  return withLines(db, rows);
}

/** Per customer, the end (exclusive) of its latest invoice, draft or approved; customers without one are absent. */
export async function lastInvoiceEnds(db: Sql, customerIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await db.query<{ customerId: string; end: string }>(
    `SELECT customer_id AS "customerId", max(to_date)::text AS "end" FROM invoices WHERE customer_id = ANY($1::text[]) GROUP BY customer_id`,
    [customerIds],
  );
  return new Map(rows.map((r) => [r.customerId, r.end]));
}

/** Overage and adjustment lines that some customers' invoices already hold for some plans and months. */
export async function priorOverageCharges(tx: Sql, customerIds: readonly string[], planIds: readonly string[], months: readonly string[]): Promise<(PriorOverageCharge & { customerId: string })[]> {
  return tx.query<PriorOverageCharge & { customerId: string }>(
    `SELECT i.customer_id AS "customerId", l.plan_id AS "planId", l.period AS month, l.basis, l.quantity::text AS quantity, l.amount::text AS amount
     FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
     WHERE i.customer_id = ANY($1::text[]) AND l.basis IS NOT NULL AND l.plan_id = ANY($2::text[]) AND l.period = ANY($3::text[])`,
    [customerIds, planIds, months],
  );
}

export interface Approval {
  number: number;
  /** The approving transaction's time, ISO 8601 UTC. */
  approvedAt: string;
  approvedBy: string;
}

/**
 * Approves a draft: the next number of the gapless sequence, taken under the sequence row's lock in
 * the same transaction, so concurrent approvals queue and a rolled-back one leaves no gap. The
 * database function `approve_invoice` does it with the schema owner's rights (migration 0008), so
 * that the service role cannot move the counter; it records `approvedBy` (migration 0012). Undefined when the invoice is no draft (or none).
 */
export async function approveInvoice(tx: Sql, id: string, approvedBy: string | undefined): Promise<Approval | undefined> {
  const [row] = await tx.query<{ number: number | null; approvedAt: Date | null }>(
    'SELECT invoice_number AS number, invoice_approved_at AS "approvedAt" FROM approve_invoice($1, $2)',
    [id, approvedBy ?? null],
  );
  if (!row || row.number === null || row.approvedAt === null) return undefined;
  // The function falls back to the session's role when no user is given: read back what it recorded.
  const [who] = await tx.query<{ approvedBy: string }>('SELECT approved_by AS "approvedBy" FROM invoices WHERE id = $1', [id]);
  return { number: row.number, approvedAt: row.approvedAt.toISOString(), approvedBy: who!.approvedBy };
}

/**
 * Deletes a draft (its items are released by ON DELETE SET NULL). Callers check the status under the
 * row lock first; should an approved invoice still reach the database's trigger, its refusal is
 * reported as the usual error, never as a raw database error.
 */
export async function deleteInvoice(tx: Sql, id: string): Promise<boolean> {
  try {
    const rows = await tx.query('DELETE FROM invoices WHERE id = $1 RETURNING 1', [id]);
    return rows.length > 0;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'P0001') throw new BillingError('invoice-immutable', `Invoice ${id} is approved: it can never be deleted or changed.`);
    throw error;
  }
}

export interface InvoiceRef {
  id: string;
  number: number | null;
  status: 'draft' | 'approved';
  customerId: string;
}

/** Invoices holding items or lines of a plan, in number order (drafts last). */
export async function invoicesUsingPlan(tx: Sql, planId: string): Promise<InvoiceRef[]> {
  return tx.query<InvoiceRef>(
    `SELECT i.id, i.number, i.status, i.customer_id AS "customerId" FROM invoices i
     WHERE EXISTS (SELECT 1 FROM billing_items b WHERE b.customer_id = i.customer_id AND b.invoice_id = i.id AND b.plan_id = $1)
        OR EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = i.id AND l.plan_id = $1)
     ORDER BY i.number NULLS LAST, i.id`,
    [planId],
  );
}

export interface InvoiceStatus {
  status: 'draft' | 'approved';
  number: number | null;
  customerId: string;
}

/** The invoice's row, locked for the caller's transaction; undefined when there is no such invoice. */
export async function invoiceStatusForUpdate(tx: Sql, id: string): Promise<InvoiceStatus | undefined> {
  const rows = await tx.query<InvoiceStatus>('SELECT status, number, customer_id AS "customerId" FROM invoices WHERE id = $1 FOR UPDATE', [id]);
  return rows[0];
}

/** Rewrites a draft's lines, total and notes (approved invoices are refused by the database). */
export async function rewriteDraft(tx: Sql, invoice: Pick<Invoice, 'id' | 'lines' | 'total' | 'notes'>): Promise<void> {
  await tx.query('DELETE FROM invoice_lines WHERE invoice_id = $1', [invoice.id]);
  await tx.query('UPDATE invoices SET total = $2, notes = $3 WHERE id = $1', [invoice.id, invoice.total, invoice.notes ?? null]);
  await insertInvoiceLines(tx, invoice.lines.map((line, n) => ({ invoiceId: invoice.id, position: n + 1, line })));
}

/** Where a page of invoices ends, in the order of `invoicePage`: the next page starts after it. */
export interface InvoicePosition {
  customerId: string;
  from: string;
  id: string;
}

/**
 * One page of invoices in the order customer, range start, id, after `after` (keyset pagination:
 * a page costs the same wherever it is, and invoices added or deleted meanwhile never shift one).
 */
export async function invoicePage(db: Sql, filter: InvoiceFilter & { status?: Invoice['status'] }, after: InvoicePosition | undefined, limit: number): Promise<Invoice[]> {
  const rows = await db.query<InvoiceRow>(
    `SELECT ${invoiceColumns} FROM invoices
     WHERE ($1::text[] IS NULL OR customer_id = ANY($1::text[])) AND ($2::date IS NULL OR to_date > $2) AND ($3::date IS NULL OR from_date < $3)
       AND ($4::text IS NULL OR status = $4)
       AND ($5::text IS NULL OR (customer_id, from_date, id) > ($5, $6::date, $7))
     ORDER BY customer_id, from_date, id LIMIT $8`,
    [filter.customerIds ?? null, filter.from ?? null, filter.to ?? null, filter.status ?? null, after?.customerId ?? null, after?.from ?? null, after?.id ?? null, limit],
  );
  return withLines(db, rows);
}
