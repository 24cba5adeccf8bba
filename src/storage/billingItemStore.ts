import type { BillingItem } from '../domain/billingItem.ts';
import type { CallCategory, CallDirection } from '../domain/call.ts';
import type { CallMinutes, CallSum } from '../domain/callSum.ts';
import type { Sql } from './database.ts';

const itemColumns = [
  'customer_id', 'item_key', 'kind', 'date', 'currency', 'plan_id', 'plan_version', 'call_id', 'started_at', 'billed_minutes', 'category', 'direction',
  'external_id', 'rate_found', 'included_minutes', 'overage_minutes', 'assignment_id', 'entity_id', 'service_type', 'name', 'unit_price', 'quantity', 'amount',
] as const;

function field(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return s === '' || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function itemCsvLine(i: BillingItem): string {
  const call = i.kind === 'call' ? i : undefined;
  const values = [
    i.customerId, i.key, i.kind, i.date, i.currency, i.planId, i.planVersion,
    call?.callId, call ? new Date(call.startedAt).toISOString() : null, call?.billedMinutes, call?.category, call?.direction, call?.externalId,
    call?.rateFound, call?.includedMinutes, call?.overageMinutes,
    i.kind === 'plan-day' ? i.assignmentId : null,
    i.kind === 'service-day' ? i.entityId : null,
    i.kind === 'service-day' ? i.serviceType : null,
    i.kind === 'custom-element' ? i.name : null,
    i.kind === 'service-day' ? i.monthlyPrice : i.kind === 'custom-element' ? i.unitPrice : null,
    i.kind === 'custom-element' ? i.quantity : null,
    call?.amount,
  ];
  return values.map(field).join(',') + '\n';
}

/**
 * Replaces the open billing data (items in no invoice) of some customers by freshly rated items, in
 * the caller's transaction, writing only the difference: open items that the new rating no longer
 * has are deleted, changed ones are rewritten in place (a re-rated call keeps its row: no index
 * changes, migration 0017), new ones are inserted; identical ones stay. Items whose natural key an
 * invoice already holds are skipped: what is invoiced is never generated twice. The counts tell a
 * changed item as one deleted and one inserted.
 */
export async function replaceOpenItems(tx: Sql, customerIds: readonly string[], items: readonly BillingItem[]): Promise<{ inserted: number; deleted: number }> {
  await createItemStaging(tx);
  await stageItems(tx, items);
  return replaceOpenItemsByStaged(tx, customerIds);
}

/** Creates the transaction's staging table of rated items (emptied at commit), if it is not there yet. */
export async function createItemStaging(tx: Sql): Promise<void> {
  await tx.exec('CREATE TEMP TABLE IF NOT EXISTS staged_items (LIKE billing_items INCLUDING DEFAULTS) ON COMMIT DELETE ROWS');
}

/**
 * Adds freshly rated items to the transaction's staging table (`createItemStaging`), in parts as
 * rating makes them: a customer's millions of items never sit in memory at once.
 * `replaceOpenItemsByStaged` ends it.
 */
export async function stageItems(tx: Sql, items: readonly BillingItem[]): Promise<void> {
  const chunk = 20_000;
  for (let i = 0; i < items.length; i += chunk) {
    await tx.copyCsv('staged_items', itemColumns, items.slice(i, i + chunk).map(itemCsvLine).join(''));
  }
}

/**
 * `replaceOpenItems` with the items staged by `stageItems`: the open items of `customerIds` become
 * the staged items of those customers (staged items of other customers are dropped, unwritten), and
 * the staging table is emptied.
 */
export async function replaceOpenItemsByStaged(tx: Sql, customerIds: readonly string[]): Promise<{ inserted: number; deleted: number }> {
  await createItemStaging(tx);
  await tx.query('DELETE FROM staged_items WHERE NOT customer_id = ANY($1::text[])', [customerIds]);
  const same = itemColumns.map((c) => `s.${c} IS NOT DISTINCT FROM b.${c}`).join(' AND ');
  const [changed] = await tx.query<{ n: number }>(
    `WITH changed AS (
       UPDATE billing_items b SET (${itemColumns.join(', ')}) = (${itemColumns.map((c) => `s.${c}`).join(', ')})
       FROM staged_items s
       WHERE b.customer_id = ANY($1::text[]) AND b.customer_id = s.customer_id AND b.item_key = s.item_key AND b.invoice_id IS NULL AND NOT (${same})
       RETURNING 1)
     SELECT count(*)::int AS n FROM changed`,
    [customerIds],
  );
  const [deleted] = await tx.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM billing_items b WHERE b.customer_id = ANY($1::text[]) AND b.invoice_id IS NULL
         AND NOT EXISTS (SELECT 1 FROM staged_items s WHERE s.customer_id = b.customer_id AND s.item_key = b.item_key)
       RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [customerIds],
  );
  const [inserted] = await tx.query<{ n: number }>(
    `WITH ins AS (INSERT INTO billing_items (${itemColumns.join(', ')}) SELECT ${itemColumns.join(', ')} FROM staged_items ON CONFLICT DO NOTHING RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
  );
  await tx.exec('DELETE FROM staged_items');
  return { inserted: inserted!.n + changed!.n, deleted: deleted!.n + changed!.n };
}

interface ItemRow {
  id: number;
  customer_id: string;
  item_key: string;
  kind: BillingItem['kind'];
  date: string;
  currency: string;
  plan_id: string;
  plan_version: number;
  call_id: number | null;
  started_at: Date | null;
  billed_minutes: number | null;
  category: string | null;
  direction: string | null;
  external_id: string | null;
  rate_found: boolean | null;
  included_minutes: number | null;
  overage_minutes: number | null;
  assignment_id: string | null;
  entity_id: string | null;
  service_type: string | null;
  name: string | null;
  unit_price: string | null;
  quantity: string | null;
  amount: string | null;
  invoice_id: string | null;
}

export interface StoredItem {
  id: number;
  invoiceId: string | null;
  item: BillingItem;
}

// Object literals written out (no spread of a shared base): hundreds of thousands of items are read per run.
function toItem(r: ItemRow): StoredItem {
  let item: BillingItem;
  switch (r.kind) {
    case 'call':
      item = {
        key: r.item_key, customerId: r.customer_id, date: r.date, currency: r.currency, planId: r.plan_id, planVersion: r.plan_version,
        kind: 'call', callId: String(r.call_id), externalId: r.external_id ?? '', startedAt: r.started_at!.getTime(), billedMinutes: r.billed_minutes!,
        category: r.category as never, direction: r.direction as never, amount: r.amount!, rateFound: r.rate_found!, includedMinutes: r.included_minutes, overageMinutes: r.overage_minutes,
      };
      break;
    case 'plan-day':
      item = { key: r.item_key, customerId: r.customer_id, date: r.date, currency: r.currency, planId: r.plan_id, planVersion: r.plan_version, kind: 'plan-day', assignmentId: r.assignment_id! };
      break;
    case 'service-day':
      item = {
        key: r.item_key, customerId: r.customer_id, date: r.date, currency: r.currency, planId: r.plan_id, planVersion: r.plan_version,
        kind: 'service-day', entityId: r.entity_id!, serviceType: r.service_type!, monthlyPrice: r.unit_price!,
      };
      break;
    case 'custom-element':
      item = {
        key: r.item_key, customerId: r.customer_id, date: r.date, currency: r.currency, planId: r.plan_id, planVersion: r.plan_version,
        kind: 'custom-element', name: r.name!, unitPrice: r.unit_price!, quantity: r.quantity!,
      };
      break;
  }
  return { id: r.id, invoiceId: r.invoice_id, item };
}

const selectItems = `SELECT id, customer_id, item_key, kind, date, currency, plan_id, plan_version, call_id, started_at, billed_minutes, category, direction, external_id,
  rate_found, included_minutes, overage_minutes, assignment_id, entity_id, service_type, name, unit_price::text, quantity::text, amount::text, invoice_id FROM billing_items`;

/**
 * Some customers' items in no invoice, dated before `to`, in customer, date and id order, but for the
 * calls of `summedPlans` (see openCallSums). Not locked: generators hold the customers' advisory
 * locks, and `claimItemsForInvoices` moves only items still free and counts them, so an item changed
 * meanwhile fails the claim instead of being invoiced twice.
 */
export async function openItemsBefore(tx: Sql, customerIds: readonly string[], to: string, summedPlans: readonly string[] = []): Promise<StoredItem[]> {
  const rows = await tx.query<ItemRow>(
    `${selectItems} WHERE customer_id = ANY($1::text[]) AND invoice_id IS NULL AND date < $2 AND NOT (kind = 'call' AND plan_id = ANY($3::text[])) ORDER BY customer_id, date, id`,
    [customerIds, to, summedPlans],
  );
  return rows.map(toItem);
}

/** The open calls of one customer, currency, plan, category, direction and month, summed. */
export interface OpenCallSum {
  customerId: string;
  currency: string;
  sum: CallSum;
  /** Every call of the group, with a rate or not (all go into the invoice), and the greatest item id among them. */
  items: number;
  lastItemId: number;
}

/**
 * The calls of `summedPlans` that openItemsBefore leaves out, summed exactly by the database: what
 * their call-charges lines need, and how many items they are for the claim. Nothing rounded.
 */
export async function openCallSums(tx: Sql, customerIds: readonly string[], to: string, summedPlans: readonly string[]): Promise<OpenCallSum[]> {
  if (summedPlans.length === 0) return [];
  const rows = await tx.query<{
    customer_id: string; currency: string; plan_id: string; category: CallCategory; direction: CallDirection; month: string;
    items: number; last_id: number; calls: number; minutes: string; amount: string | null; first_date: string | null; last_date: string | null; all_minutes: string; newest_version: number;
  }>(
    `SELECT customer_id, currency, plan_id, category, direction, to_char(date, 'YYYY-MM') AS month, count(*)::int AS items, max(id) AS last_id,
       count(*) FILTER (WHERE rate_found)::int AS calls, coalesce(sum(billed_minutes) FILTER (WHERE rate_found), 0)::text AS minutes,
       (sum(amount) FILTER (WHERE rate_found))::text AS amount, min(date) FILTER (WHERE rate_found) AS first_date, max(date) FILTER (WHERE rate_found) AS last_date,
       sum(billed_minutes)::text AS all_minutes, max(plan_version) AS newest_version
     FROM billing_items
     WHERE customer_id = ANY($1::text[]) AND invoice_id IS NULL AND date < $2 AND kind = 'call' AND plan_id = ANY($3::text[])
     GROUP BY customer_id, currency, plan_id, category, direction, month`,
    [customerIds, to, summedPlans],
  );
  return rows.map((r) => ({
    customerId: r.customer_id,
    currency: r.currency,
    items: r.items,
    lastItemId: Number(r.last_id),
    sum: {
      planId: r.plan_id, category: r.category, direction: r.direction, month: r.month, calls: r.calls, minutes: Number(r.minutes),
      amount: r.amount ?? '0', firstDate: r.first_date ?? '', lastDate: r.last_date ?? '',
      pool: { planId: r.plan_id, month: r.month, minutes: Number(r.all_minutes), newestVersion: r.newest_version },
    },
  }));
}

/**
 * Items of earlier invoices of some customers for the given plans and date range (the month-to-date
 * basis of overage), but for the calls of `summedPlans` (see invoicedCallMinutes); callers narrow the
 * result to each invoice's own plans and months.
 */
export async function invoicedItemsOfPlans(tx: Sql, customerIds: readonly string[], planIds: readonly string[], from: string, to: string, summedPlans: readonly string[] = []): Promise<StoredItem[]> {
  const rows = await tx.query<ItemRow>(
    `${selectItems} WHERE customer_id = ANY($1::text[]) AND invoice_id IS NOT NULL AND plan_id = ANY($2::text[]) AND date >= $3 AND date < $4 AND kind IN ('call', 'plan-day')
       AND NOT (kind = 'call' AND plan_id = ANY($5::text[]))`,
    [customerIds, planIds, from, to, summedPlans],
  );
  return rows.map(toItem);
}

/** The calls of earlier invoices that invoicedItemsOfPlans leaves out, as a pool counts them per customer, currency, plan and month. */
export async function invoicedCallMinutes(tx: Sql, customerIds: readonly string[], summedPlans: readonly string[], from: string, to: string): Promise<(CallMinutes & { customerId: string; currency: string })[]> {
  if (summedPlans.length === 0) return [];
  const rows = await tx.query<{ customer_id: string; currency: string; plan_id: string; month: string; minutes: string; newest_version: number }>(
    `SELECT customer_id, currency, plan_id, to_char(date, 'YYYY-MM') AS month, sum(billed_minutes)::text AS minutes, max(plan_version) AS newest_version
     FROM billing_items
     WHERE customer_id = ANY($1::text[]) AND invoice_id IS NOT NULL AND kind = 'call' AND plan_id = ANY($2::text[]) AND date >= $3 AND date < $4
     GROUP BY customer_id, currency, plan_id, month`,
    [customerIds, summedPlans, from, to],
  );
  return rows.map((r) => ({ customerId: r.customer_id, currency: r.currency, planId: r.plan_id, month: r.month, minutes: Number(r.minutes), newestVersion: r.newest_version }));
}

export async function openItems(db: Sql, customerIds?: readonly string[]): Promise<StoredItem[]> {
  const rows = customerIds
    ? await db.query<ItemRow>(`${selectItems} WHERE invoice_id IS NULL AND customer_id = ANY($1::text[]) ORDER BY customer_id, date, id`, [customerIds])
    : await db.query<ItemRow>(`${selectItems} WHERE invoice_id IS NULL ORDER BY customer_id, date, id`);
  return rows.map(toItem);
}

/**
 * The items an invoice takes: all of one customer and currency still in no invoice, dated before
 * `before`, that the generator saw (ids up to `lastItemId`, `items` of them).
 */
export interface ItemClaim {
  invoiceId: string;
  customerId: string;
  currency: string;
  before: string;
  lastItemId: number;
  items: number;
}

/**
 * Puts items into invoices, in one statement, by customer, currency and date: no item id goes to the
 * server. Only items still in no invoice move, none newer than the generator saw, and the result says
 * whether as many moved as the claims name (fewer means another process took, deleted or replaced
 * some: the caller fails instead of invoicing what it did not compute).
 */
export async function claimItemsForInvoices(tx: Sql, claims: readonly ItemClaim[]): Promise<{ claimed: number; expected: number }> {
  const expected = claims.reduce((n, c) => n + c.items, 0);
  if (claims.length === 0) return { claimed: 0, expected };
  const [row] = await tx.query<{ n: number }>(
    `WITH claimed AS (
       UPDATE billing_items b SET invoice_id = d.invoice_id
       FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::bigint[]) AS d(invoice_id, customer_id, currency, before, last_id)
       WHERE b.customer_id = d.customer_id AND b.currency = d.currency AND b.invoice_id IS NULL AND b.date < d.before AND b.id <= d.last_id
       RETURNING 1)
     SELECT count(*)::int AS n FROM claimed`,
    [claims.map((c) => c.invoiceId), claims.map((c) => c.customerId), claims.map((c) => c.currency), claims.map((c) => c.before), claims.map((c) => c.lastItemId)],
  );
  return { claimed: row!.n, expected };
}

export async function itemsOfCustomer(db: Sql, customerId: string): Promise<StoredItem[]> {
  return (await db.query<ItemRow>(`${selectItems} WHERE customer_id = $1 ORDER BY date, id`, [customerId])).map(toItem);
}

/** Deletes a plan's items that are in no invoice; returns how many went. */
export async function deleteOpenItemsOfPlan(tx: Sql, planId: string): Promise<number> {
  const [row] = await tx.query<{ n: number }>('WITH gone AS (DELETE FROM billing_items WHERE plan_id = $1 AND invoice_id IS NULL RETURNING 1) SELECT count(*)::int AS n FROM gone', [planId]);
  return row!.n;
}
