import { BillingError } from '../domain/billingError.ts';
import { formatInstant, isValidLocalDate, parseInstant, startOfLocalDate } from '../domain/calendar.ts';
import { monthlyUsage, type UsageRow } from '../domain/monthlyUsage.ts';
import { untrackedReason, type UntrackedReason } from '../domain/untrackedReason.ts';
import { itemsOfCustomer } from '../storage/billingItemStore.ts';
import type { Database } from '../storage/database.ts';
import { listMatchingRules } from '../storage/customerStore.ts';
import { loadPlanVersions } from '../storage/planStore.ts';
import { readSettings } from '../storage/settingsStore.ts';
import { callsWithoutItem, type CallWithoutItem } from '../storage/reportQueries.ts';
import { listRejects, type Reject } from '../storage/rejectStore.ts';
import { listRefusedChanges, type RefusedChange } from '../storage/refusedChangeStore.ts';
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

/** docs/billing-rules.md §9: calls with no customer, an ambiguous match or no plan at their start, whatever their date. */
export async function untrackedReport(db: Database, filter: UntrackedFilter = {}): Promise<UntrackedCall[]> {
  const from = filter.from === undefined ? undefined : await reportInstant(db, 'from', filter.from);
  const to = filter.to === undefined ? undefined : await reportInstant(db, 'to', filter.to);
  let ruleIds: string[] | undefined;
  if (filter.customerIds) {
    await knownCustomers(db, filter.customerIds);
    ruleIds = [];
    for (const id of filter.customerIds) ruleIds.push(...(await listMatchingRules(db, id)).map((r) => r.id));
  }
  const untracked: UntrackedCall[] = [];
  for (const call of await callsWithoutItem(db, { from, to, source: filter.source, customerIds: filter.customerIds, ruleIds })) {
    const reason = untrackedReason({ ...call, hasItem: false });
    if (!reason) continue;
    const { matchStatus: _status, matchRule, ...shown } = call;
    untracked.push({ ...shown, reason, candidates: reason === 'ambiguous' ? matchRule : null });
  }
  return untracked;
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
