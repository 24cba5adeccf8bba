import { setImmediate } from 'node:timers/promises';
import { addDays, localDateOf, maxDate } from '../domain/calendar.ts';
import type { CallMatcher } from '../domain/callMatcher.ts';
import { customerCallRater, rateCustomerDays } from '../domain/rateCustomer.ts';
import type { Database } from '../storage/database.ts';
import { createItemStaging, replaceOpenItemsByStaged, stageItems } from '../storage/billingItemStore.ts';
import type { BillingItem } from '../domain/billingItem.ts';
import { pendingCalls, ratableCallsInOrder, writeMatches, type MatchWrite } from '../storage/callStore.ts';
import { lockCustomers, tryLockCustomers } from '../storage/customerLocks.ts';
import { listCustomerCustomElements, listCustomers, listEntities } from '../storage/customerStore.ts';
import { listAssignments, plansInForce } from '../storage/planStore.ts';
import { customersNeedingRating, markRated, markRatingDirty, ratingGenerations } from '../storage/ratingStateStore.ts';
import { readSettings } from '../storage/settingsStore.ts';
import { currentCallMatcher, loadCallMatcher } from './matchingRules.ts';
import { recordUntrackedCalls } from './webhookEvents.ts';

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

/**
 * Matches every pending call (docs/billing-rules.md §2), in pages, and says which customers it
 * touched; a page that leaves calls untracked is one `calls.untracked` webhook event.
 */
export async function matchPendingCalls(db: Database, progress?: Progress): Promise<MatchSummary> {
  // Loaded with the first page only: with nothing pending (a report brought up to date) no rule is read.
  let matcher: CallMatcher | undefined;
  const summary: MatchSummary = { matched: 0, noCustomer: 0, ambiguous: 0, touchedCustomers: new Set() };
  let afterId = 0;
  for (;;) {
    const page = await pendingCalls(db, afterId, 20_000);
    if (page.length === 0) break;
    matcher ??= await loadCallMatcher(db);
    await db.transaction(async (tx) => {
      // Matched by the rules in force while the writes commit (a rule change waits for them).
      matcher = await currentCallMatcher(tx, matcher!);
      const touched = new Set<string>();
      const current = matcher;
      const writes: MatchWrite[] = page.map((call) => {
        if (call.customerId) touched.add(call.customerId);
        const outcome = current.match(call);
        if (outcome.status === 'matched') {
          summary.matched++;
          touched.add(outcome.customerId);
          return { id: call.id, status: 'matched', customerId: outcome.customerId, rule: outcome.ruleId };
        }
        if (outcome.status === 'ambiguous') summary.ambiguous++;
        else summary.noCustomer++;
        return { id: call.id, status: outcome.status, customerId: null, rule: outcome.status === 'ambiguous' ? outcome.ruleIds.join(' ') : null };
      });
      await writeMatches(tx, writes);
      await markRatingDirty(tx, [...touched]);
      await recordUntrackedCalls(tx, 'matching', writes.filter((w) => w.status !== 'matched').map((w) => w.id));
      for (const id of touched) summary.touchedCustomers.add(id);
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
  /** Customers whose inputs kept changing while they were rated: still dirty, rated by the next run. */
  leftDirty: number;
}

/** How often a batch's customers whose inputs changed during their rating are rated again at once. */
const attemptsPerBatch = 3;

/**
 * Regenerates the open billing data of some customers (all when `customerIds` is undefined), in
 * batches: each batch reads its customers' rating generations, then, in one transaction, reads each
 * customer's calls page by page in rating order, rates each page in the pure core and stages its
 * items in the database (memory holds one page, whatever a customer's number of calls), and replaces
 * the open items by the staged ones under the customers' advisory locks. A customer whose
 * generation moved on since the first read (a call, rule or plan changed meanwhile) keeps its old
 * items and stays dirty, and is rated again; after a few busy attempts it is left to the next run,
 * still dirty, so nothing stored meanwhile goes unbilled. Day items are made up to tomorrow, or up to
 * `through` when an invoice needs a later date.
 */
export async function rateCustomers(db: Database, options: { customerIds?: readonly string[]; now: Date; through?: string; progress?: Progress }): Promise<RatingSummary> {
  if (options.customerIds?.length === 0) return { customers: 0, items: 0, itemsWritten: 0, itemsDeleted: 0, noPlanCalls: 0, leftDirty: 0 };
  const settings = await readSettings(db);
  const customers = await listCustomers(db, options.customerIds);
  const plans = await plansInForce(db);
  const summary: RatingSummary = { customers: 0, items: 0, itemsWritten: 0, itemsDeleted: 0, noPlanCalls: 0, leftDirty: 0 };
  const batchSize = 50;
  // Processes rating at once share the customers (docs/scaling.md): a first pass takes the ones free
  // now, a last pass waits for the ones another process held, so every customer asked for is current at the end.
  const later: typeof customers = [];
  for (const pass of ['share', 'wait'] as const) {
    const list = pass === 'share' ? customers : later.splice(0);
    for (let i = 0; i < list.length; i += batchSize) {
      let batch = list.slice(i, i + batchSize);
      for (let attempt = 1; batch.length > 0; attempt++) {
        const ids = batch.map((c) => c.id);
        // The generations first: any change committed after this read bumps them, and is caught below.
        const generations = await ratingGenerations(db, ids);
        const [assignments, entities, elements] = await Promise.all([listAssignments(db, ids), listEntities(db, ids), listCustomerCustomElements(db, ids)]);
        const outcome = await db.transaction(async (tx) => {
          // Customers another process is rating are skipped now and waited for in the last pass.
          const mine = pass === 'share' ? new Set(await tryLockCustomers(tx, ids)) : new Set(ids);
          if (pass === 'wait') await lockCustomers(tx, ids);
          const skipped = batch.filter((c) => !mine.has(c.id));
          // A customer waited for was mostly rated by the process that held it: rated again only if still needed.
          const due = pass === 'wait' ? new Set(await customersNeedingRating(tx, options.through ?? '0001-01-01', ids)) : mine;
          const rated: { customerId: string; through: string; generation: number; items: number; unrated: number }[] = [];
          await createItemStaging(tx);
          // Items go to the database in COPYs of about 10,000, across customers: few statements, bounded memory.
          let pending: BillingItem[] = [];
          const stage = async (items: readonly BillingItem[], force = false): Promise<void> => {
            for (const item of items) pending.push(item);
            if (pending.length >= 10_000 || (force && pending.length)) {
              await stageItems(tx, pending);
              pending = [];
            }
          };
          for (const c of batch.filter((b) => mine.has(b.id) && due.has(b.id))) {
            const timeZone = c.timezone ?? settings.timezone;
            const tomorrow = addDays(localDateOf(options.now.getTime(), timeZone), 1);
            const through = options.through ? maxDate(options.through, tomorrow) : tomorrow;
            const context = {
              customerId: c.id,
              timeZone,
              assignments: assignments.filter((a) => a.customerId === c.id),
              plans,
              entities: entities.filter((e) => e.customerId === c.id),
              customElements: elements.filter((e) => e.customerId === c.id),
              through,
            };
            const rater = customerCallRater(context);
            let items = 0;
            let unrated = 0;
            for await (const calls of ratableCallsInOrder(tx, c.id)) {
              const part = rater.rate(calls);
              await stage(part.items);
              items += part.items.length;
              unrated += part.unrated.length;
            }
            const days = rateCustomerDays(context);
            await stage(days.items);
            // The embedded database answers on this thread without a turn of the event loop: a batch
            // would otherwise keep a server's requests (and its timers) waiting until it commits.
            await setImmediate();
            rated.push({ customerId: c.id, through, generation: generations.get(c.id) ?? 0, items: items + days.items.length, unrated });
          }
          await stage([], true);
          const now = await ratingGenerations(tx, ids);
          const current = rated.filter((r) => now.get(r.customerId) === r.generation);
          const written = await replaceOpenItemsByStaged(tx, current.map((r) => r.customerId));
          summary.itemsWritten += written.inserted;
          summary.itemsDeleted += written.deleted;
          summary.items += current.reduce((n, r) => n + r.items, 0);
          summary.noPlanCalls += current.reduce((n, r) => n + r.unrated, 0);
          // A generation bumped after the check above (its transaction commits later) fails this
          // conditional update: that customer stays dirty although its items were written.
          const marked = new Set(await markRated(tx, current));
          return { changed: new Set(rated.filter((r) => !marked.has(r.customerId)).map((r) => r.customerId)), skipped, done: batch.length - skipped.length };
        });
        later.push(...outcome.skipped);
        summary.customers += outcome.done - outcome.changed.size;
        batch = batch.filter((c) => outcome.changed.has(c.id));
        if (attempt >= attemptsPerBatch) {
          summary.customers += batch.length;
          summary.leftDirty += batch.length;
          break;
        }
      }
      options.progress?.('rating', summary.customers, customers.length);
    }
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
