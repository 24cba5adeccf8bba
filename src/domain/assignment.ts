import { BillingError } from './billingError.ts';
import type { LocalDate } from './calendar.ts';

/** A customer's plan for the dates `[from, to)` (customer's time zone; `to` undefined = open-ended). */
export interface Assignment {
  id: string;
  customerId: string;
  planId: string;
  from: LocalDate;
  to?: LocalDate;
}

function overlaps(a: Assignment, b: Assignment): boolean {
  return (b.to === undefined || a.from < b.to) && (a.to === undefined || b.from < a.to);
}

/** docs/billing-rules.md §3: a customer's ranges never overlap; throws naming both assignments otherwise. */
export function assertNoOverlappingAssignments(assignments: readonly Assignment[]): void {
  // Sort by customer, then date (not by the concatenated string: "acme"+"2026…" would sort after
  // "acme2025"+"2025…", splitting acme's assignments so that the loop below never compares them).
  const compare = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  const sorted = [...assignments].sort((a, b) => compare(a.customerId, b.customerId) || compare(a.from, b.from));
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j]!.customerId === sorted[i]!.customerId; j++) {
      const a = sorted[i]!;
      const b = sorted[j]!;
      if (a.id !== b.id && overlaps(a, b)) {
        throw new BillingError(
          'overlapping-assignment',
          `Customer "${a.customerId}" would have two plans at once: "${a.planId}" from ${a.from} to ${a.to ?? 'open end'} and "${b.planId}" from ${b.from} to ${b.to ?? 'open end'}. End one assignment before the other starts.`,
        );
      }
    }
  }
}

/** The assignment in force on a date, if any. */
export function assignmentOn(assignments: readonly Assignment[], date: LocalDate): Assignment | undefined {
  return assignments.find((a) => a.from <= date && (a.to === undefined || date < a.to));
}
