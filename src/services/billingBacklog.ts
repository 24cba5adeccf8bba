import type { Sql } from '../storage/database.ts';
import { countBillingBacklog } from '../storage/ratingStateStore.ts';

/** How far rating lags behind the call data: what the next billing run has to do. */
export async function billingBacklog(db: Sql): Promise<{ callsPendingMatching: number; customersToRate: number }> {
  return countBillingBacklog(db);
}
