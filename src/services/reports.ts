import { BillingError } from '../domain/billingError.ts';
import { formatInstant, isValidLocalDate, parseInstant, startOfLocalDate } from '../domain/calendar.ts';
import { monthlyUsage, type UsageRow } from '../domain/monthlyUsage.ts';
import { untrackedReason, type UntrackedReason } from '../domain/untrackedReason.ts';
import { itemsOfCustomer } from '../storage/billingItemStore.ts';
import type { Database } from '../storage/database.ts';
import { listMatchingRules } from '../storage/customerStore.ts';
import { loadPlanVersions } from '../storage/planStore.ts';
import { readSettings } from '../storage/settingsStore.ts';
import { callsWithoutItem, type CallPosition, type CallWithoutItem } from '../storage/reportQueries.ts';
import { listRejects, rejectsPage, type Reject } from '../storage/rejectStore.ts';
import { listRefusedChanges, refusedChangesPage, type RefusedChange } from '../storage/refusedChangeStore.ts';
import { knownCustomers } from './knownCustomers.ts';

export { previewInvoices, type InvoicePreview, type PreviewItem, type PreviewRequest } from './invoicePreview.ts';
export type { RefusedChange, UsageRow };

/** A call no customer is billed for, and why (the stored call's match replaced by the reason). */
export interface UntrackedCall extends Omit<CallWithoutItem, 'matchStatus' | 'matchRule'> {
  reason: UntrackedReason;
  /** The matching rules an ambiguous call matched, space-separated. */
  candidates: string | null;
}

export interface UntrackedFilter {
  /** A date YYYY-MM-DD (its start in the provider's time zone) or an instant with an offset. */
  from?: string;
  to?: string;
  source?: string;
  /** The calls matched to these customers (no plan), or ambiguous between one of their rules and another. */
  customerIds?: readonly string[];
}

/** A report bound as an instant: a date is the start of that day in the provider's time zone. */
async function reportInstant(db: Database, field: 'from' | 'to', value: string): Promise<string> {
  if (isValidLocalDate(value)) return formatInstant(startOfLocalDate(value, (await readSettings(db)).timezone));
  const instant = parseInstant(value);
  if (instant === undefined) throw new BillingError('invalid-argument', `The range ${field === 'from' ? 'start' : 'end'} "${value}" is neither a date YYYY-MM-DD nor an instant with an offset (2026-10-01T00:00:00Z).`, { field, value });
  return formatInstant(instant);
}

/** The filter as storage takes it: bounds as instants, the customers' matching rules for ambiguous calls. */
async function untrackedQuery(db: Database, filter: UntrackedFilter): Promise<{ from?: string; to?: string; source?: string; customerIds?: readonly string[]; ruleIds?: string[] }> {
  const from = filter.from === undefined ? undefined : await reportInstant(db, 'from', filter.from);
  const to = filter.to === undefined ? undefined : await reportInstant(db, 'to', filter.to);
  let ruleIds: string[] | undefined;
  if (filter.customerIds) {
    await knownCustomers(db, filter.customerIds);
    ruleIds = [];
    for (const id of filter.customerIds) ruleIds.push(...(await listMatchingRules(db, id)).map((r) => r.id));
  }
  return { from, to, source: filter.source, customerIds: filter.customerIds, ruleIds };
}

/** The call as the report shows it, or undefined when it is billed or not billable. */
function untrackedCall(call: CallWithoutItem): UntrackedCall | undefined {
  const reason = untrackedReason({ ...call, hasItem: false });
  if (!reason) return undefined;
  const { matchStatus: _status, matchRule, ...shown } = call;
  return { ...shown, reason, candidates: reason === 'ambiguous' ? matchRule : null };
}

/** docs/billing-rules.md §9: calls with no customer, an ambiguous match or no plan at their start, whatever their date. */
export async function untrackedReport(db: Database, filter: UntrackedFilter = {}): Promise<UntrackedCall[]> {
  const calls = await callsWithoutItem(db, await untrackedQuery(db, filter));
  return calls.map(untrackedCall).filter((c) => c !== undefined);
}

/** A page of a report read in pages: `next` is where the next page starts (null after the last). */
export interface ReportPage<T> {
  items: T[];
  next: string | null;
}

export interface PageRequest {
  limit: number;
  /** The `next` of the previous page. */
  after?: string;
}

function refusedPosition(): never {
  throw new BillingError('invalid-argument', 'The position to continue from is not one a page gave; start from the first page.', { field: 'cursor' });
}

function callPositionOf(after: string): CallPosition {
  let value: unknown;
  try {
    value = JSON.parse(after);
  } catch {
    refusedPosition();
  }
  if (!Array.isArray(value) || value.length !== 3 || !value.every((v) => typeof v === 'string') || parseInstant(value[0] as string) === undefined) refusedPosition();
  const [startedAt, source, externalId] = value as [string, string, string];
  return { startedAt, source, externalId };
}

const rowIdOf = (after: string): string => (/^\d{1,18}$/.test(after) ? after : refusedPosition());

/**
 * The untracked report a page at a time, read from the database in pages (the calls without item,
 * keyset by start, source and external id), however many untracked calls there are.
 */
export async function untrackedReportPage(db: Database, filter: UntrackedFilter, page: PageRequest): Promise<ReportPage<UntrackedCall>> {
  const query = await untrackedQuery(db, filter);
  const items: UntrackedCall[] = [];
  let after = page.after === undefined ? undefined : callPositionOf(page.after);
  // Calls without item that are not untracked (0-s legs, calls waiting for matching) are skipped, so
  // a page is read in chunks until it is full or the calls run out.
  for (;;) {
    const chunk = await callsWithoutItem(db, { ...query, after, limit: page.limit + 1 });
    for (const call of chunk) {
      const shown = untrackedCall(call);
      if (!shown) continue;
      if (items.length === page.limit) return { items, next: JSON.stringify([items.at(-1)!.startedAt, items.at(-1)!.source, items.at(-1)!.externalId]) };
      items.push(shown);
    }
    if (chunk.length <= page.limit) return { items, next: null };
    const last = chunk.at(-1)!;
    after = { startedAt: last.startedAt, source: last.source, externalId: last.externalId };
  }
}

/**
 * Later records for calls already invoiced, refused at ingest (docs/billing-rules.md §1): each with the fields it would
 * have changed, old and new. `from`/`to` bound when the change was refused, not when the call started.
 */
export async function refusedChangesReport(db: Database, filter: { customerIds?: readonly string[]; source?: string; from?: string; to?: string } = {}): Promise<RefusedChange[]> {
  if (filter.customerIds) await knownCustomers(db, filter.customerIds);
  const from = filter.from === undefined ? undefined : await reportInstant(db, 'from', filter.from);
  const to = filter.to === undefined ? undefined : await reportInstant(db, 'to', filter.to);
  return listRefusedChanges(db, { customerIds: filter.customerIds, source: filter.source, from, to });
}

/** The refused changes a page at a time, in the order they were recorded, read from the database in pages. */
export async function refusedChangesReportPage(db: Database, filter: { customerIds?: readonly string[]; source?: string; from?: string; to?: string }, page: PageRequest): Promise<ReportPage<RefusedChange>> {
  if (filter.customerIds) await knownCustomers(db, filter.customerIds);
  const from = filter.from === undefined ? undefined : await reportInstant(db, 'from', filter.from);
  const to = filter.to === undefined ? undefined : await reportInstant(db, 'to', filter.to);
  const rows = await refusedChangesPage(db, { customerIds: filter.customerIds, source: filter.source, from, to }, { afterId: page.after === undefined ? undefined : rowIdOf(page.after), limit: page.limit + 1 });
  const items = rows.slice(0, page.limit);
  return { items: items.map(({ id: _id, ...change }) => change), next: rows.length > page.limit ? items.at(-1)!.id : null };
}

/** docs/billing-rules.md §9: per customer and month, billed minutes by category and direction, pool and peak ports. */
export async function usageReport(db: Database, customerIds?: readonly string[]): Promise<UsageRow[]> {
  const settings = await readSettings(db);
  const rows: UsageRow[] = [];
  for (const c of await knownCustomers(db, customerIds)) {
    const items = (await itemsOfCustomer(db, c.id)).map((s) => s.item);
    const versions = await loadPlanVersions(db, items.map((i) => ({ planId: i.planId, version: i.planVersion })));
    rows.push(...monthlyUsage(c.id, items, (planId, version) => versions.get(`${planId}@${version}`)!, c.timezone ?? settings.timezone));
  }
  return rows;
}

/** The records that could not be read, with file, line, field and reason (the newest 10,000). */
export async function rejectedRecordsReport(db: Database): Promise<(Reject & { rejectedAt: string })[]> {
  return (await listRejects(db)).map((r) => ({ ...r, rejectedAt: r.rejectedAt.toISOString() }));
}

/** The records that could not be read, a page at a time, oldest first, read from the database in pages (all of them, not only 10,000). */
export async function rejectedRecordsReportPage(db: Database, page: PageRequest): Promise<ReportPage<Reject & { rejectedAt: string }>> {
  const rows = await rejectsPage(db, { afterId: page.after === undefined ? undefined : rowIdOf(page.after), limit: page.limit + 1 });
  const items = rows.slice(0, page.limit);
  return { items: items.map(({ id: _id, ...r }) => ({ ...r, rejectedAt: r.rejectedAt.toISOString() })), next: rows.length > page.limit ? items.at(-1)!.id : null };
}
