import type { Problem } from '../../api/ProblemError';
import type { Customer, ProviderSettings } from '../../api/schemas';
import { formatDay, formatInstant } from '../../components/formatDates';
import { customerTimeZone } from './invoiceQueries';

/**
 * A settlement-delay refusal in words: which customer, up to which day, from when (in the customer's
 * time zone, named) generation will be allowed, and why it waits.
 */
export function settlementDelayText(problem: Problem, lastDay: string, customers: readonly Customer[], settings: ProviderSettings | undefined): string {
  const customerId = problem.customerId ?? 'a selected customer';
  const timeZone = customerTimeZone(
    customers.find((c) => c.id === problem.customerId),
    settings,
  );
  const when = problem.allowedAfter ? `${formatInstant(problem.allowedAfter, timeZone)} ${timeZone}` : 'later';
  const delay = settings ? ` (the end of the range plus the settlement delay of ${settings.settlementDelayMinutes} minutes, which leaves time for late call data)` : '';
  return `Invoices for ${customerId} up to ${formatDay(lastDay)} can be generated from ${when}${delay}. Nothing was generated: choose a last day that is further in the past, or come back then.`;
}
