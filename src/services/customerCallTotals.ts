import { billedMinutes } from '../domain/call.ts';
import { callCountsByCustomerAndDuration } from '../storage/callStore.ts';
import type { Sql } from '../storage/database.ts';

/** A customer's stored calls and their billed minutes; `customerId` null for calls matched to no one. */
export interface CustomerCallTotal {
  customerId: string | null;
  calls: number;
  billedMinutes: number;
}

/**
 * Per customer, the stored calls (invoiced or not) and their billed minutes by docs/billing-rules.md §1's rule
 * (domain/call.ts `billedMinutes`), not a copy of it in SQL: the demo's summary.
 */
export async function customerCallTotals(db: Sql): Promise<CustomerCallTotal[]> {
  const totals = new Map<string | null, CustomerCallTotal>();
  for (const row of await callCountsByCustomerAndDuration(db)) {
    const total = totals.get(row.customerId) ?? { customerId: row.customerId, calls: 0, billedMinutes: 0 };
    total.calls += row.calls;
    total.billedMinutes += billedMinutes(row.durationSeconds) * row.calls;
    totals.set(row.customerId, total);
  }
  return [...totals.values()];
}
