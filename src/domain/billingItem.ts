import type { CallCategory, CallDirection } from './call.ts';
import type { EpochMs, LocalDate } from './calendar.ts';
import type { DecimalString } from './plan.ts';

/**
 * Billing data (docs/billing-rules.md §8): rated items derived from calls, plans, assignments and entities. Each item
 * has a natural `key`, unique per customer, so that regenerating billing data never makes a second
 * item for what an invoice already holds.
 */
interface ItemBase {
  key: string;
  customerId: string;
  /** Local date (customer's time zone) the item belongs to. */
  date: LocalDate;
  currency: string;
  planId: string;
  planVersion: number;
}

/** One rated call (a participant leg), with its exact charge and its share of the pool. */
export interface CallItem extends ItemBase {
  kind: 'call';
  callId: string;
  externalId: string;
  startedAt: EpochMs;
  billedMinutes: number;
  category: CallCategory;
  direction: CallDirection;
  /** Exact call charge (start-up + per-minute), not rounded. */
  amount: DecimalString;
  /** False when no call rate applied (charge 0, flagged `no-rate`). */
  rateFound: boolean;
  includedMinutes: number | null;
  overageMinutes: number | null;
}

/** One day on which a plan assignment was in force: the basis of every monthly amount (docs/billing-rules.md §5). */
export interface PlanDayItem extends ItemBase {
  kind: 'plan-day';
  assignmentId: string;
}

/** One day of one entity of a priced service type (docs/billing-rules.md §6.4). */
export interface ServiceDayItem extends ItemBase {
  kind: 'service-day';
  entityId: string;
  serviceType: string;
  monthlyPrice: DecimalString;
}

/** A `once` plan element or a customer's dated one-off (docs/billing-rules.md §6.5). */
export interface CustomElementItem extends ItemBase {
  kind: 'custom-element';
  name: string;
  unitPrice: DecimalString;
  quantity: DecimalString;
}

export type BillingItem = CallItem | PlanDayItem | ServiceDayItem | CustomElementItem;
export type BillingItemKind = BillingItem['kind'];
