import type { MatchOutcome } from '../domain/callMatcher.ts';
import type { Sql } from '../storage/database.ts';
import { listCustomers } from '../storage/customerStore.ts';
import { loadCallMatcher } from './matchingRules.ts';

/** Which customer a call with this alias would match, by which rule, and the customers' names. */
export type AliasMatchTest = MatchOutcome & { alias: string; at: string; source: string | null; customers: { id: string; name: string }[] };

/**
 * "Which customer would this alias match?": the rules, entities and sources' default customers in
 * force, applied as matching applies them (docs/billing-rules.md §2) to a call whose local end is
 * `alias`, started at `at`, from `source` when given.
 */
export async function testAliasMatch(db: Sql, query: { alias: string; at: Date; source?: string }): Promise<AliasMatchTest> {
  const matcher = await loadCallMatcher(db);
  const outcome = matcher.match({ startedAt: query.at.getTime(), localAlias: query.alias, source: query.source ?? '' });
  const ids = outcome.status === 'matched' ? [outcome.customerId] : outcome.status === 'ambiguous' ? outcome.customerIds : [];
  const customers = ids.length ? (await listCustomers(db, ids)).map((c) => ({ id: c.id, name: c.name })) : [];
  return { ...outcome, alias: query.alias, at: query.at.toISOString(), source: query.source ?? null, customers };
}
