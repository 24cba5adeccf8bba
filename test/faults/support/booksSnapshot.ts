import type { Database } from '../../../src/storage/database.ts';
import { invoicesOf } from '../../../src/services/invoicing.ts';
import { verifyBooks } from '../../../src/services/verifyBooks.ts';

/** A customer's billing data, independent of row ids: what an uninterrupted run and a recovered one must share. */
export interface CustomerBooks {
  items: number;
  invoicedItems: number;
  /** Sum of the amounts of the items that carry one (calls and elements; days are priced on the invoice). */
  amount: string;
  /** md5 of every item (call items named by their call's source and id, not the row id), its amount, quantity, minutes and whether it is invoiced. */
  itemsDigest: string;
  /** The customer's invoices as their JSON shows them (ids and times left out), each with its number of items. */
  invoices: string[];
}

export interface BooksSnapshot {
  calls: number;
  /** Per customer ('' for calls matched to none): calls and their connected seconds. */
  callsPerCustomer: Record<string, { calls: number; seconds: number }>;
  /** `source/externalId` → what was stored of the call (duration, match, customer). */
  callRows: Map<string, string>;
  items: number;
  /** Customer and item key pairs held by two items or more (the unique key should make this impossible). */
  duplicateItemKeys: number;
  customers: Record<string, CustomerBooks>;
  /** The stored rejects (file, line, field, reason), sorted. */
  rejects: string[];
  /** `confbill verify`'s checks that failed (its service, on the same connection). */
  failedChecks: string[];
}

/** Reads what the fault suites compare, in one open of the database. */
export async function booksSnapshot(db: Database): Promise<BooksSnapshot> {
  const callRows = new Map<string, string>();
  for (const r of await db.query<{ key: string; value: string }>(
    `SELECT source || '/' || external_id AS key, duration_seconds || ' ' || match_status || ' ' || coalesce(customer_id, '-') AS value FROM calls`,
  )) callRows.set(r.key, r.value);
  const callsPerCustomer: BooksSnapshot['callsPerCustomer'] = {};
  for (const r of await db.query<{ customer: string; calls: number; seconds: number }>(
    `SELECT coalesce(customer_id, '') AS customer, count(*)::int AS calls, sum(duration_seconds)::int AS seconds FROM calls GROUP BY 1 ORDER BY 1`,
  )) callsPerCustomer[r.customer] = { calls: r.calls, seconds: r.seconds };

  const customers: Record<string, CustomerBooks> = {};
  const ids = await db.query<{ id: string }>('SELECT id FROM customers ORDER BY id');
  for (const { id } of ids) customers[id] = { items: 0, invoicedItems: 0, amount: '0', itemsDigest: '', invoices: [] };
  for (const r of await db.query<{ customer: string; items: number; invoiced: number; amount: string; digest: string }>(`
    SELECT customer_id AS customer, count(*)::int AS items, count(invoice_id)::int AS invoiced, coalesce(sum(amount), 0)::text AS amount,
           md5(string_agg(line, ',' ORDER BY line)) AS digest
    FROM (
      SELECT i.customer_id, i.invoice_id, i.amount,
             coalesce('call:' || k.source || '/' || k.external_id, i.item_key) || '=' || coalesce(i.amount::text, '') || '/' || coalesce(i.quantity::text, '')
               || '/' || coalesce(i.billed_minutes::text, '') || CASE WHEN i.invoice_id IS NULL THEN '' ELSE ' invoiced' END AS line
      FROM billing_items i LEFT JOIN calls k ON k.id = i.call_id) AS described
    GROUP BY customer_id`)) {
    customers[r.customer] = { ...customers[r.customer]!, items: r.items, invoicedItems: r.invoiced, amount: r.amount, itemsDigest: r.digest };
  }
  const itemsPerInvoice = new Map((await db.query<{ invoice: string; items: number }>('SELECT invoice_id AS invoice, count(*)::int AS items FROM billing_items WHERE invoice_id IS NOT NULL GROUP BY 1')).map((r) => [r.invoice, r.items]));
  for (const invoice of await invoicesOf(db, {})) {
    const { id, createdAt: _createdAt, ...shown } = invoice;
    customers[invoice.customerId]!.invoices.push(JSON.stringify({ ...shown, items: itemsPerInvoice.get(id) ?? 0 }));
  }
  for (const books of Object.values(customers)) books.invoices.sort();

  const [counts] = await db.query<{ items: number; duplicates: number }>(
    `SELECT (SELECT count(*)::int FROM billing_items) AS items,
            (SELECT count(*)::int FROM (SELECT 1 FROM billing_items GROUP BY customer_id, item_key HAVING count(*) > 1) AS d) AS duplicates`,
  );
  const rejects = (await db.query<{ reject: string }>(`SELECT file || ':' || coalesce(line::text, '-') || ':' || coalesce(field, '-') || ':' || reason AS reject FROM ingest_rejects`)).map((r) => r.reject).sort();
  const verification = await verifyBooks(db);
  return {
    calls: callRows.size,
    callsPerCustomer,
    callRows,
    items: counts!.items,
    duplicateItemKeys: counts!.duplicates,
    customers,
    rejects,
    failedChecks: verification.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.violations} (${JSON.stringify(c.examples.slice(0, 3))})`),
  };
}

/** What must be equal to the uninterrupted run once a command has run to its end (call rows are compared by the totals). */
export function comparable(snapshot: BooksSnapshot): Omit<BooksSnapshot, 'callRows'> {
  const { callRows: _callRows, ...rest } = snapshot;
  return rest;
}
