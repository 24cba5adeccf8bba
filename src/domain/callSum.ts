import type { CallCategory, CallDirection } from './call.ts';
import type { LocalDate } from './calendar.ts';
import type { DecimalString, PlanDefinition } from './plan.ts';

/**
 * The rated calls of one plan, category, direction and month of an invoice, summed: all that their
 * call-charges line needs (docs/billing-rules.md §8). The database sums them exactly; computeInvoice
 * rounds and formats the line as it does for the calls one by one.
 */
export interface CallSum {
  planId: string;
  category: CallCategory;
  direction: CallDirection;
  /** The month of the calls' local dates (YYYY-MM). */
  month: string;
  /** Calls a rate applied to (calls without one cost nothing and make no line). */
  calls: number;
  /** Their billed minutes. */
  minutes: number;
  /** The exact sum of their charges, not rounded. */
  amount: DecimalString;
  /** The earliest and latest local date among them. */
  firstDate: LocalDate;
  lastDate: LocalDate;
  /** What the group's calls, with a rate or not, take from an included-minutes pool. */
  pool: CallMinutes;
}

/** The calls of one plan and month as an included-minutes pool counts them: their billed minutes and newest plan version. */
export interface CallMinutes {
  planId: string;
  month: string;
  /** Billed minutes of every call, whether or not a call rate applied (docs/billing-rules.md §6.2). */
  minutes: number;
  newestVersion: number;
}

/**
 * Whether a plan's calls may be summed instead of read one by one: when no version of it has a port
 * pool. Its calls then make call-charges lines, which need sums, and use an included-minutes pool by
 * their minutes per month, a sum too; port overage needs each call's start and length.
 */
export function callsSummable(versions: readonly PlanDefinition[]): boolean {
  return versions.every((v) => !v.portPool);
}
