import { BillingError } from '../domain/billingError.ts';
import { messageSafeText } from '../domain/messageSafeText.ts';
import type { Sql } from '../storage/database.ts';
import { listCustomers } from '../storage/customerStore.ts';
import type { Customer } from '../domain/customer.ts';

/**
 * The customers a command names (all when none are named); a name that is no customer is refused,
 * never answered with an empty result that looks like "nothing to report".
 */
export async function knownCustomers(db: Sql, ids?: readonly string[]): Promise<Customer[]> {
  const customers = await listCustomers(db, ids);
  const found = new Set(customers.map((c) => c.id));
  const missing = [...new Set((ids ?? []).filter((id) => !found.has(id)))];
  if (missing.length) throw new BillingError('not-found', `No customer with id ${missing.map((m) => `"${messageSafeText(m)}"`).join(', ')}.`, { field: 'customer', value: missing[0], remedy: 'list-customers' });
  return customers;
}
