import type { Sql } from './database.ts';

/** One invariant of the books, checked on the live database. */
export interface InvariantCheck {
  name: string;
  /** What must hold, in words an operator reads. */
  rule: string;
  ok: boolean;
  /** How many rows break it. */
  violations: number;
  /** The first offending rows, for a person to look at. */
  examples: Record<string, unknown>[];
  /** Informational counts that do not make the check fail (work still pending, say). */
  notes?: string[];
}

const exampleLimit = 10;

async function check(db: Sql, name: string, rule: string, countSql: string, examplesSql: string): Promise<InvariantCheck> {
  const [count] = await db.query<{ n: number }>(countSql);
  const violations = count!.n;
  const examples = violations > 0 ? await db.query<Record<string, unknown>>(`${examplesSql} LIMIT ${exampleLimit}`) : [];
  return { name, rule, ok: violations === 0, violations, examples };
}

// Customers whose billing data is known to lag their inputs (rating pending): their items are
// checked once they are rated, not before.
const awaitingRating = `SELECT c.id FROM customers c LEFT JOIN rating_state s ON s.customer_id = c.id WHERE s.customer_id IS NULL OR s.dirty OR s.rated_through IS NULL`;

// A billable call, computed here in SQL independently of the rating code: matched, longer than 0 s,
// and under an assignment on its start's local date in the customer's time zone.
const billableCalls = `
  SELECT k.id, k.customer_id FROM calls k JOIN customers cu ON cu.id = k.customer_id
  WHERE k.match_status = 'matched' AND k.duration_seconds > 0
    AND EXISTS (
      SELECT 1 FROM assignments a
      WHERE a.customer_id = k.customer_id
        AND a.from_date <= (k.started_at AT TIME ZONE coalesce(cu.timezone, (SELECT value #>> '{}' FROM settings WHERE key = 'timezone'), 'UTC'))::date
        AND (a.to_date IS NULL OR a.to_date > (k.started_at AT TIME ZONE coalesce(cu.timezone, (SELECT value #>> '{}' FROM settings WHERE key = 'timezone'), 'UTC'))::date))`;

const missingItems = `
  WITH billable AS (${billableCalls})
  SELECT b.id AS "callId", b.customer_id AS "customerId" FROM billable b
  WHERE b.customer_id NOT IN (${awaitingRating})
    AND NOT EXISTS (SELECT 1 FROM billing_items i WHERE i.call_id = b.id)`;

// An open item must belong to a billable call of its own customer; an invoiced one at least to a call
// of that customer (its call can no longer change, but its assignment may have ended since).
const unexpectedItems = `
  WITH billable AS (${billableCalls})
  SELECT i.id AS "itemId", i.call_id AS "callId", i.customer_id AS "customerId", i.invoice_id AS "invoiceId" FROM billing_items i
  LEFT JOIN calls k ON k.id = i.call_id
  WHERE i.kind = 'call' AND i.customer_id NOT IN (${awaitingRating})
    AND (k.id IS NULL OR k.customer_id IS DISTINCT FROM i.customer_id
         OR (i.invoice_id IS NULL AND NOT EXISTS (SELECT 1 FROM billable b WHERE b.id = i.call_id AND b.customer_id = i.customer_id)))`;

const duplicateCallItems = `SELECT call_id AS "callId", count(*)::int AS items FROM billing_items WHERE call_id IS NOT NULL GROUP BY call_id HAVING count(*) > 1`;

const duplicateItemKeys = `SELECT customer_id AS "customerId", item_key AS "itemKey", count(*)::int AS items FROM billing_items GROUP BY customer_id, item_key HAVING count(*) > 1`;

const itemsInForeignInvoices = `
  SELECT i.id AS "itemId", i.customer_id AS "customerId", v.id AS "invoiceId", v.customer_id AS "invoiceCustomerId"
  FROM billing_items i JOIN invoices v ON v.id = i.invoice_id
  WHERE v.customer_id <> i.customer_id OR v.currency <> i.currency`;

const totalsOffLines = `
  SELECT v.id AS "invoiceId", v.number, v.total::text AS total, coalesce(sum(l.amount), 0)::text AS "sumOfLines"
  FROM invoices v LEFT JOIN invoice_lines l ON l.invoice_id = v.id
  GROUP BY v.id, v.number, v.total HAVING v.total <> coalesce(sum(l.amount), 0)`;

// Approved numbers are 1..n with none missing, and the counter stands at n (a counter ahead of the
// invoices would make the next approval leave a gap).
const numberGaps = `
  WITH numbers AS (SELECT number FROM invoices WHERE number IS NOT NULL),
       top AS (SELECT greatest(coalesce(max(number), 0), (SELECT last_number FROM invoice_number_sequence)) AS n FROM numbers)
  SELECT g.missing FROM top CROSS JOIN LATERAL generate_series(1, top.n) AS g(missing)
  WHERE NOT EXISTS (SELECT 1 FROM numbers WHERE number = g.missing)`;

const count = (sql: string): string => `SELECT count(*)::int AS n FROM (${sql}) AS t`;

/**
 * Checks the invariants that make the books trustworthy (no call lost, nothing billed twice,
 * invoices that add up, gapless numbers) with read-only SQL. The checks share no code with rating
 * or invoicing, so that a defect there shows up here.
 */
export async function checkBookInvariants(db: Sql): Promise<InvariantCheck[]> {
  const checks = [
    await check(db, 'billable-calls-have-items', 'every billable call (matched, longer than 0 s, under a plan on its local date) has a billing item', count(missingItems), missingItems),
    await check(db, 'no-items-for-unbillable-calls', 'no call item in no invoice belongs to a call that is not billable for its customer', count(unexpectedItems), unexpectedItems),
    await check(db, 'one-item-per-call', 'no call has two billing items', count(duplicateCallItems), duplicateCallItems),
    await check(db, 'one-item-per-key', 'no plan day, service day or element is billed twice', count(duplicateItemKeys), duplicateItemKeys),
    await check(db, 'items-in-own-invoices', "an item is only in an invoice of its own customer and currency", count(itemsInForeignInvoices), itemsInForeignInvoices),
    await check(db, 'totals-equal-lines', 'every invoice total equals the sum of its lines', count(totalsOffLines), totalsOffLines),
    await check(db, 'gapless-numbers', 'approved invoice numbers run 1..n without gaps', count(numberGaps), numberGaps),
  ];
  const [pending] = await db.query<{ customers: number; calls: number }>(
    `SELECT (SELECT count(*)::int FROM (${awaitingRating}) a) AS customers, (SELECT count(*)::int FROM calls WHERE match_status = 'pending') AS calls`,
  );
  const notes: string[] = [];
  if (pending!.customers > 0) notes.push(`${pending!.customers} customers await rating: their call items are checked once they are rated (confbill rate)`);
  if (pending!.calls > 0) notes.push(`${pending!.calls} calls await matching (confbill rate)`);
  if (notes.length) checks[0]!.notes = notes;
  return checks;
}
