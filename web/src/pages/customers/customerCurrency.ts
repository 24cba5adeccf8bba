import type { CustomerDetails, PlanSummary } from '../../api/schemas';
import { assignmentOn } from './customerQueries';

/**
 * The currency of a customer's amounts on a day: the one of the plan assigned then, else of the
 * plan in force now, else of any of its plans (a customer has no currency of its own).
 */
export function currencyOn(customer: CustomerDetails, plans: Map<string, PlanSummary> | undefined, day?: string): string | undefined {
  if (!plans) return undefined;
  const onDay = day ? assignmentOn(customer.assignments, day) : undefined;
  const current = customer.assignments.find((a) => a.id === customer.currentAssignmentId);
  for (const a of [onDay, current, ...customer.assignments]) {
    const currency = a && plans.get(a.planId)?.currency;
    if (currency) return currency;
  }
  return undefined;
}
