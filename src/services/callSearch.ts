import type { Database } from '../storage/database.ts';
import { searchCalls, type CallPosition, type CallSearchFilter, type FoundCall } from '../storage/callSearchQuery.ts';
import { knownCustomers } from './knownCustomers.ts';

export type { CallPosition, CallSearchFilter, FoundCall };

/**
 * Calls by customer, source, start range, alias, match status and whether they are invoiced, newest
 * first, one page after `after`. An unknown customer is refused rather than answered with no calls.
 */
export async function findCalls(db: Database, filter: CallSearchFilter, page: { limit: number; after?: CallPosition }): Promise<{ calls: FoundCall[]; next: CallPosition | undefined }> {
  if (filter.customerId !== undefined) await knownCustomers(db, [filter.customerId]);
  const rows = await searchCalls(db, filter, { limit: page.limit + 1, after: page.after });
  const calls = rows.slice(0, page.limit);
  const last = calls[calls.length - 1];
  return { calls, next: rows.length > page.limit && last ? { startedAt: last.startedAt, id: last.id } : undefined };
}
