import { CallMatcher, type MatchingRule } from '../domain/callMatcher.ts';
import { startOfLocalDate } from '../domain/calendar.ts';
import type { Sql } from '../storage/database.ts';
import { listCustomers, listEntities, listMatchingRules } from '../storage/customerStore.ts';
import { readSettings } from '../storage/settingsStore.ts';
import { listSources } from '../storage/sourceStore.ts';
import { matchingGeneration } from '../storage/callStore.ts';

/** The rules' generation each loaded matcher was built from. */
const generationOf = new WeakMap<CallMatcher, number>();

/** The customers' configured matching rules (of one kind, or all), validity resolved in each customer's time zone. */
async function configuredRules(db: Sql, kind?: MatchingRule['kind']): Promise<MatchingRule[]> {
  const settings = await readSettings(db);
  const zones = new Map((await listCustomers(db)).map((c) => [c.id, c.timezone ?? settings.timezone]));
  const rules: MatchingRule[] = [];
  for (const r of await listMatchingRules(db)) {
    if (kind !== undefined && r.kind !== kind) continue;
    const tz = zones.get(r.customerId) ?? settings.timezone;
    rules.push({
      id: r.id,
      customerId: r.customerId,
      kind: r.kind,
      value: r.value,
      from: r.rangeFrom ?? undefined,
      to: r.rangeTo ?? undefined,
      validFrom: r.validFrom ? startOfLocalDate(r.validFrom, tz) : undefined,
      validTo: r.validTo ? startOfLocalDate(r.validTo, tz) : undefined,
    });
  }
  return rules;
}

/**
 * A matcher of the customers' domain rules only, for `domainOwner` (what adapters ask of a call's
 * domains): the same rules and validity as matching, without loading every alias and entity.
 */
export async function loadDomainMatcher(db: Sql): Promise<CallMatcher> {
  return new CallMatcher(await configuredRules(db, 'domain'));
}

/** Builds the matcher of all customers' rules and entity aliases, validity resolved in each customer's time zone. */
export async function loadCallMatcher(db: Sql): Promise<CallMatcher> {
  // Read before the rules: a change committed after this read makes the matcher look stale, never current.
  const generation = await matchingGeneration(db);
  const rules = await configuredRules(db);
  for (const e of await listEntities(db)) {
    if (!e.alias) continue;
    rules.push({ id: `entity:${e.id}`, customerId: e.customerId, kind: 'alias', value: e.alias, validFrom: e.createdAt, validTo: e.deletedAt });
  }
  // A source's default customer is a `source` rule of that customer (docs/billing-rules.md §2: the last step).
  for (const s of await listSources(db)) {
    if (s.defaultCustomer) rules.push({ id: `source:${s.id}`, customerId: s.defaultCustomer, kind: 'source', value: s.id });
  }
  const matcher = new CallMatcher(rules);
  generationOf.set(matcher, generation);
  return matcher;
}

/**
 * The matcher to store matches with in transaction `tx`: `matcher` while the rules are those it was
 * built from, else one loaded anew. The rules' generation stays held until `tx` ends, so no rule
 * change commits in between.
 */
export async function currentCallMatcher(tx: Sql, matcher: CallMatcher): Promise<CallMatcher> {
  const generation = await matchingGeneration(tx, true);
  return generationOf.get(matcher) === generation ? matcher : loadCallMatcher(tx);
}
