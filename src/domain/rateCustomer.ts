import { assignmentOn, type Assignment } from './assignment.ts';
import type { BillingItem, CallItem } from './billingItem.ts';
import { billedMinutes, isBillable, type CallCategory, type CallDirection } from './call.ts';
import { addDays, daysInMonth, datesOf, localDateOf, minDate, monthOf, startOfLocalDate, type EpochMs, type LocalDate } from './calendar.ts';
import { attributePoolMinutes, proratedPoolMinutes } from './includedMinutesPool.ts';
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

function compareCalls(a: RatableCall, b: RatableCall): number {
  return a.startedAt - b.startedAt || (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0);
}

/** Whether an entity existed at any time of a local day. */
function entityExistsOn(entity: Entity, dayStart: EpochMs, nextDayStart: EpochMs): boolean {
  return entity.createdAt < nextDayStart && (entity.deletedAt === undefined || entity.deletedAt > dayStart);
}

/**
 * Generates one customer's billing data (docs/billing-rules.md §5-§6): rated calls with pool attribution, plan days,
 * service days and custom elements. Pure: the same input always gives the same items.
 */
export function rateCustomer(input: CustomerRatingInput): CustomerRatingResult {
  const { customerId, timeZone, assignments, plans } = input;
  const items: BillingItem[] = [];
  const unrated: CustomerRatingResult['unrated'] = [];
  const planOf = (a: Assignment): RatedPlan | undefined => plans.get(a.planId);

  // Calls: charge by rate; group per (assignment plan, month) for the pool.
  const poolGroups = new Map<string, { plan: RatedPlan; month: string; calls: RatableCall[]; items: (CallItem | undefined)[] }>();
  for (const call of [...input.calls].sort(compareCalls)) {
    if (!isBillable(call.durationSeconds)) continue;
    const date = localDateOf(call.startedAt, timeZone);
    const assignment = assignmentOn(assignments, date);
    const plan = assignment && planOf(assignment);
    if (!assignment || !plan) {
      if (!call.invoiced) unrated.push({ callId: call.callId, reason: 'no-plan' });
      continue;
    }
    const minutes = billedMinutes(call.durationSeconds);
    let item: CallItem | undefined;
    if (!call.invoiced) {
      const rate = applicableCallRate(plan.definition.callRates, call.category, call.direction);
      const amount = rate ? add(amountOf(rate.startupCharge), multiply(amountOf(rate.perMinute), minutes)) : amountOf('0');
      item = {
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
        includedMinutes: null,
        overageMinutes: null,
      };
      items.push(item);
    }
    if (plan.definition.includedMinutes) {
      const month = monthOf(date);
      const key = `${plan.planId}|${month}`;
      const group = poolGroups.get(key) ?? { plan, month, calls: [], items: [] };
      group.calls.push(call);
      group.items.push(item);
      poolGroups.set(key, group);
    }
  }

  for (const group of poolGroups.values()) {
    const pool = poolMinutesForAttribution(group.plan, group.month, assignments);
    const shares = attributePoolMinutes(group.calls.map((c) => ({ billedMinutes: billedMinutes(c.durationSeconds) })), pool);
    group.items.forEach((item, i) => {
      if (!item) return;
      item.includedMinutes = shares[i]!.includedMinutes;
      item.overageMinutes = shares[i]!.overageMinutes;
    });
  }

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

  return { items, unrated, notInvoiceable };
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

