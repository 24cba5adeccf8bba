import { CallMatcher, type MatchingRule } from '../domain/callMatcher.ts';
import { startOfLocalDate } from '../domain/calendar.ts';
import type { Sql } from '../storage/database.ts';
import { listCustomers, listEntities, listMatchingRules } from '../storage/customerStore.ts';
import { readSettings } from '../storage/settingsStore.ts';
import { listSources } from '../storage/sourceStore.ts';
import { matchingGeneration } from '../storage/callStore.ts';

/** The rules' generation each loaded matcher was built from. */
const generationOf = new WeakMap<CallMatcher, number>();

/**
 * Per database this process opened, the newest matcher it loaded (or is loading): a receiver answers
 * hundreds of single-record posts a second, and loading every rule of every customer for each of
 * them made a post cost as much as the rules, not its records.
 */
const sharedMatchers = new WeakMap<object, Promise<CallMatcher>>();

/** The customers' configured matching rules, validity resolved in each customer's time zone. */
async function configuredRules(db: Sql): Promise<MatchingRule[]> {
  const settings = await readSettings(db);
  const zones = new Map((await listCustomers(db)).map((c) => [c.id, c.timezone ?? settings.timezone]));
  const rules: MatchingRule[] = [];
  for (const r of await listMatchingRules(db)) {
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
 * The matcher of the rules in force now, shared by every request of this process on `db`: the one
 * loaded before while the rules' generation has not moved (one small read), else one loaded anew,
 * once for all the requests that asked meanwhile (`knownGeneration`: read by the caller just now). What is stored with it is checked again in the
 * writing transaction (currentCallMatcher), so a change committed after this read is never missed.
 */
export async function sharedCallMatcher(db: Sql, knownGeneration?: number): Promise<CallMatcher> {
  const held = sharedMatchers.get(db);
  // A caller that has just read the generation (readGenerations) saves the read.
  const generation = knownGeneration ?? (await matchingGeneration(db));
  if (held) {
    const matcher = await held.catch(() => undefined);
    if (matcher && (generationOf.get(matcher) ?? -1) >= generation) return matcher;
    // Another request may have started the newer load while this one waited.
    const newer = sharedMatchers.get(db);
    if (newer && newer !== held) return sharedCallMatcher(db, knownGeneration);
  }
  const loading = loadCallMatcher(db);
  sharedMatchers.set(db, loading);
  // A failed load (the database went away) is not kept: the next request tries again.
  loading.catch(() => {
    if (sharedMatchers.get(db) === loading) sharedMatchers.delete(db);
  });
  return loading;
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
