import { assignmentOn, type Assignment } from './assignment.ts';
import type { BillingItem, CallItem } from './billingItem.ts';
import { billedMinutes, isBillable, type CallCategory, type CallDirection } from './call.ts';
import { addDays, daysInMonth, datesOf, localDateOf, minDate, monthOf, startOfLocalDate, type EpochMs, type LocalDate } from './calendar.ts';
import { poolAttributor, proratedPoolMinutes, type PoolAttribution } from './includedMinutesPool.ts';
import { add, amountOf, formatExact, isPositive, multiply } from './money.ts';
import { applicableCallRate, type PlanDefinition } from './plan.ts';
import type { Entity } from './entity.ts';

/** The locked plan version in force, as rating uses it (docs/billing-rules.md §3: never an unlocked draft). */
export interface RatedPlan {
  planId: string;
  version: number;
  definition: PlanDefinition;
}

/** A matched call as rating needs it. `invoiced` calls get no new item but still consume the pool first. */
export interface RatableCall {
  callId: string;
  externalId: string;
  startedAt: EpochMs;
  durationSeconds: number;
  category: CallCategory;
  direction: CallDirection;
  invoiced?: boolean;
}

export interface CustomerCustomElement {
  id: string;
  customerId: string;
  name: string;
  date: LocalDate;
  unitPrice: string;
  quantity: string;
}

export interface CustomerRatingInput {
  customerId: string;
  timeZone: string;
  assignments: readonly Assignment[];
  plans: ReadonlyMap<string, RatedPlan>;
  calls: readonly RatableCall[];
  entities: readonly Entity[];
  customElements: readonly CustomerCustomElement[];
  /** Day-based items (plan days, service days) are made for dates before this one. */
  through: LocalDate;
}

export type UnratedReason = 'no-plan';

export interface CustomerRatingResult {
  items: BillingItem[];
  /** Billable calls with no plan in force at their start (untracked, docs/billing-rules.md §2). */
  unrated: { callId: string; reason: UnratedReason }[];
  /** Customer one-offs dated where no plan is in force: no currency to charge them in (docs/billing-rules.md §3). */
  notInvoiceable: { elementId: string; reason: 'no-plan' }[];
}

/** The order in which calls are rated and consume a pool (docs/billing-rules.md §6.2): by start, then externalId. */
export function compareCalls(a: RatableCall, b: RatableCall): number {
  return a.startedAt - b.startedAt || (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0);
}

/** Whether an entity existed at any time of a local day. */
function entityExistsOn(entity: Entity, dayStart: EpochMs, nextDayStart: EpochMs): boolean {
  return entity.createdAt < nextDayStart && (entity.deletedAt === undefined || entity.deletedAt > dayStart);
}

/** What rating needs of a customer besides its calls. */
export type CustomerRatingContext = Omit<CustomerRatingInput, 'calls'>;

/** A customer's calls rated part by part: the parts must continue one order (`compareCalls`). */
export interface CustomerCallRater {
  rate(calls: readonly RatableCall[]): Pick<CustomerRatingResult, 'items' | 'unrated'>;
}

/**
 * Generates one customer's billing data (docs/billing-rules.md §5-§6): rated calls with pool attribution, plan days,
 * service days and custom elements. Pure: the same input always gives the same items.
 */
export function rateCustomer(input: CustomerRatingInput): CustomerRatingResult {
  const calls = customerCallRater(input).rate([...input.calls].sort(compareCalls));
  const other = rateCustomerDays(input);
  return { items: [...calls.items, ...other.items], unrated: calls.unrated, notInvoiceable: other.notInvoiceable };
}

/**
 * Rates a customer's calls as they come, in `compareCalls` order, holding no more than the pools'
 * remaining minutes: a customer with millions of calls is rated page by page, with the very items
 * that rating them all at once gives.
 */
export function customerCallRater(input: Pick<CustomerRatingContext, 'customerId' | 'timeZone' | 'assignments' | 'plans'>): CustomerCallRater {
  const { customerId, timeZone, assignments, plans } = input;
  const planOf = (a: Assignment): RatedPlan | undefined => plans.get(a.planId);
  // Per (assignment plan, month): what is left of its pool, taken by the calls in order.
  const pools = new Map<string, (billedMinutes: number) => PoolAttribution>();
  let previous: RatableCall | undefined;
  return {
    rate(calls) {
      const items: BillingItem[] = [];
      const unrated: CustomerRatingResult['unrated'] = [];
      for (const call of calls) {
        if (previous && compareCalls(previous, call) > 0) throw new Error(`rating ${customerId}: calls out of order (${previous.externalId} before ${call.externalId})`);
        previous = call;
        if (!isBillable(call.durationSeconds)) continue;
        const date = localDateOf(call.startedAt, timeZone);
        const assignment = assignmentOn(assignments, date);
        const plan = assignment && planOf(assignment);
        if (!assignment || !plan) {
          if (!call.invoiced) unrated.push({ callId: call.callId, reason: 'no-plan' });
          continue;
        }
        const minutes = billedMinutes(call.durationSeconds);
        let share: PoolAttribution | undefined;
        if (plan.definition.includedMinutes) {
          const month = monthOf(date);
          const key = `${plan.planId}|${month}`;
          let take = pools.get(key);
          if (!take) pools.set(key, (take = poolAttributor(poolMinutesForAttribution(plan, month, assignments))));
          // Invoiced calls take their share too (first come, first served), but get no new item.
          share = take(minutes);
        }
        if (call.invoiced) continue;
        const rate = applicableCallRate(plan.definition.callRates, call.category, call.direction);
        const amount = rate ? add(amountOf(rate.startupCharge), multiply(amountOf(rate.perMinute), minutes)) : amountOf('0');
        const item: CallItem = {
          kind: 'call',
          key: `call:${call.callId}`,
          customerId,
          date,
          currency: plan.definition.currency,
          planId: plan.planId,
          planVersion: plan.version,
          callId: call.callId,
          externalId: call.externalId,
          startedAt: call.startedAt,
          billedMinutes: minutes,
          category: call.category,
          direction: call.direction,
          amount: formatExact(amount),
          rateFound: rate !== undefined,
          includedMinutes: share ? share.includedMinutes : null,
          overageMinutes: share ? share.overageMinutes : null,
        };
        items.push(item);
      }
      return { items, unrated };
    },
  };
}

/** A customer's billing data that does not come from calls: plan days, service days, one-offs. */
export function rateCustomerDays(input: CustomerRatingContext): Pick<CustomerRatingResult, 'items' | 'notInvoiceable'> {
  const { customerId, timeZone, assignments, plans } = input;
  const items: BillingItem[] = [];
  const planOf = (a: Assignment): RatedPlan | undefined => plans.get(a.planId);

  // Day-based items: plan days and service days, and `once` elements at each assignment's start.
  for (const assignment of assignments) {
    const plan = planOf(assignment);
    if (!plan) continue;
    const end = minDate(assignment.to, input.through);
    if (end === undefined || assignment.from >= end) continue;
    const currency = plan.definition.currency;
    const base = { customerId, currency, planId: plan.planId, planVersion: plan.version };
    plan.definition.customElements.forEach((element, index) => {
      if (element.recurrence !== 'once') return;
      items.push({ ...base, kind: 'custom-element', key: `plan-once:${assignment.id}:${index}`, date: assignment.from, name: element.name, unitPrice: element.unitPrice, quantity: element.quantity });
    });
    const pricedServices = Object.entries(plan.definition.services).filter(([, price]) => isPositive(amountOf(price)));
    const serviceEntities = input.entities.filter((e) => pricedServices.some(([type]) => type === e.serviceType));
    for (const date of datesOf(assignment.from, end)) {
      items.push({ ...base, kind: 'plan-day', key: `plan-day:${date}`, date, assignmentId: assignment.id });
      if (serviceEntities.length === 0) continue;
      const dayStart = startOfLocalDate(date, timeZone);
      const nextDayStart = startOfLocalDate(addDays(date, 1), timeZone);
      for (const entity of serviceEntities) {
        if (!entityExistsOn(entity, dayStart, nextDayStart)) continue;
        items.push({ ...base, kind: 'service-day', key: `service-day:${entity.id}:${date}`, date, entityId: entity.id, serviceType: entity.serviceType, monthlyPrice: plan.definition.services[entity.serviceType]! });
      }
    }
  }

  // The customer's dated one-offs, in the currency of the plan in force on their date.
  const notInvoiceable: CustomerRatingResult['notInvoiceable'] = [];
  for (const element of input.customElements) {
    const assignment = assignmentOn(assignments, element.date);
    const plan = assignment && planOf(assignment);
    if (!plan) {
      notInvoiceable.push({ elementId: element.id, reason: 'no-plan' });
      continue;
    }
    items.push({ kind: 'custom-element', key: `custom:${element.id}`, customerId, date: element.date, currency: plan.definition.currency, planId: plan.planId, planVersion: plan.version, name: element.name, unitPrice: element.unitPrice, quantity: element.quantity });
  }

  return { items, notInvoiceable };
}

/** The month's pool prorated over every day of the month on which an assignment of this plan is in force. */
function poolMinutesForAttribution(plan: RatedPlan, month: string, assignments: readonly Assignment[]): number {
  const pool = plan.definition.includedMinutes;
  if (!pool) return 0;
  const monthStart = `${month}-01`;
  const monthEnd = addDays(monthStart, daysInMonth(month));
  let days = 0;
  for (const a of assignments) {
    if (a.planId !== plan.planId) continue;
    const from = a.from > monthStart ? a.from : monthStart;
    const to = minDate(a.to, monthEnd)!;
    for (const _ of datesOf(from, to)) days++;
  }
  return proratedPoolMinutes([{ minutesPerMonth: pool.minutesPerMonth, days }], daysInMonth(month));
}

