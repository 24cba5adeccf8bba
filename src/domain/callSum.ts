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
}

/**
 * Whether a plan's calls may be summed instead of read one by one: when no version of it has an
 * included-minutes pool or a port pool, its calls only ever make call-charges lines, which need sums
 * (overage is settled over the month's calls of this and earlier invoices, port overage from each
 * call's start and length).
 */
export function callsSummable(versions: readonly PlanDefinition[]): boolean {
  return versions.every((v) => !v.includedMinutes && !v.portPool);
}
