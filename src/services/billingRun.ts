import { addDays, localDateOf, maxDate } from '../domain/calendar.ts';
import { rateCustomer } from '../domain/rateCustomer.ts';
import type { Database } from '../storage/database.ts';
import { replaceOpenItems } from '../storage/billingItemStore.ts';
import { callsForRating, pendingCalls, writeMatches, type MatchWrite } from '../storage/callStore.ts';
import { lockCustomers } from '../storage/customerLocks.ts';
import { listCustomerCustomElements, listCustomers, listEntities } from '../storage/customerStore.ts';
import { listAssignments, plansInForce } from '../storage/planStore.ts';
import { customersNeedingRating, markRated, markRatingDirty } from '../storage/ratingStateStore.ts';
import { readSettings } from '../storage/settingsStore.ts';
import { loadCallMatcher } from './matchingRules.ts';

export interface Progress {
  (phase: string, done: number, total?: number): void;
}

export interface MatchSummary {
  matched: number;
  noCustomer: number;
  ambiguous: number;
  /** Customers whose calls changed (before or after matching): their billing data must be rated again. */
  touchedCustomers: Set<string>;
}

/** Matches every pending call (spec §2), in pages, and says which customers it touched. */
export async function matchPendingCalls(db: Database, progress?: Progress): Promise<MatchSummary> {
  const matcher = await loadCallMatcher(db);
  const summary: MatchSummary = { matched: 0, noCustomer: 0, ambiguous: 0, touchedCustomers: new Set() };
  let afterId = 0;
  for (;;) {
    const page = await pendingCalls(db, afterId, 20_000);
    if (page.length === 0) break;
    const writes: MatchWrite[] = page.map((call) => {
      if (call.customerId) summary.touchedCustomers.add(call.customerId);
      const outcome = matcher.match(call);
      if (outcome.status === 'matched') {
        summary.matched++;
        summary.touchedCustomers.add(outcome.customerId);
        return { id: call.id, status: 'matched', customerId: outcome.customerId, rule: outcome.ruleId };
      }
      if (outcome.status === 'ambiguous') summary.ambiguous++;
      else summary.noCustomer++;
      return { id: call.id, status: outcome.status, customerId: null, rule: outcome.status === 'ambiguous' ? outcome.ruleIds.join(' ') : null };
    });
    const touched = [...new Set(page.flatMap((c) => (c.customerId ? [c.customerId] : [])).concat(writes.flatMap((w) => (w.customerId ? [w.customerId] : []))))];
    await db.transaction(async (tx) => {
      await writeMatches(tx, writes);
      await markRatingDirty(tx, touched);
    });
    afterId = page[page.length - 1]!.id;
    progress?.('matching', summary.matched + summary.noCustomer + summary.ambiguous);
  }
  return summary;
}

export interface RatingSummary {
  customers: number;
  /** Items the rating produced (open and already invoiced alike). */
  items: number;
  /** Open items written and deleted: only what changed. */
  itemsWritten: number;
  itemsDeleted: number;
  noPlanCalls: number;
}

/**
 * Regenerates the open billing data of some customers (all when `customerIds` is undefined), in
 * batches: each batch loads its customers' data, rates it in the pure core and replaces the items
 * in one transaction under the customers' advisory locks. Day items are made up to tomorrow, or up to
 * `through` when an invoice needs a later date.
 */
export async function rateCustomers(db: Database, options: { customerIds?: readonly string[]; now: Date; through?: string; progress?: Progress }): Promise<RatingSummary> {
  const settings = await readSettings(db);
  const customers = await listCustomers(db, options.customerIds);
  const plans = await plansInForce(db);
  const summary: RatingSummary = { customers: 0, items: 0, itemsWritten: 0, itemsDeleted: 0, noPlanCalls: 0 };
  const batchSize = 50;
  for (let i = 0; i < customers.length; i += batchSize) {
    const batch = customers.slice(i, i + batchSize);
    const ids = batch.map((c) => c.id);
    const [assignments, calls, entities, elements] = await Promise.all([listAssignments(db, ids), callsForRating(db, ids), listEntities(db, ids), listCustomerCustomElements(db, ids)]);
    const ratedThrough: { customerId: string; through: string }[] = [];
    const items = batch.flatMap((c) => {
      const timeZone = c.timezone ?? settings.timezone;
      const tomorrow = addDays(localDateOf(options.now.getTime(), timeZone), 1);
      const through = options.through ? maxDate(options.through, tomorrow) : tomorrow;
      ratedThrough.push({ customerId: c.id, through });
      const result = rateCustomer({
        customerId: c.id,
        timeZone,
        assignments: assignments.filter((a) => a.customerId === c.id),
        plans,
        calls: calls.get(c.id) ?? [],
        entities: entities.filter((e) => e.customerId === c.id),
        customElements: elements.filter((e) => e.customerId === c.id),
        through,
      });
      summary.noPlanCalls += result.unrated.length;
      return result.items;
    });
    await db.transaction(async (tx) => {
      await lockCustomers(tx, ids);
      const written = await replaceOpenItems(tx, ids, items);
      summary.itemsWritten += written.inserted;
      summary.itemsDeleted += written.deleted;
      summary.items += items.length;
      await markRated(tx, ratedThrough);
    });
    summary.customers += batch.length;
    options.progress?.('rating', summary.customers, customers.length);
  }
  return summary;
}

/**
 * Matches what is pending, then rates the customers whose inputs changed (calls, rules, plans,
 * assignments, entities) — or every customer with `all`.
 */
export async function runBilling(db: Database, options: { now: Date; all?: boolean; progress?: Progress }): Promise<{ match: MatchSummary; rating: RatingSummary }> {
  const match = await matchPendingCalls(db, options.progress);
  const customerIds = options.all ? undefined : await customersNeedingRating(db, '0001-01-01');
  const rating = await rateCustomers(db, { now: options.now, customerIds, progress: options.progress });
  return { match, rating };
}
