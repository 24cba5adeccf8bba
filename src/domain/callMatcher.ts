import { digitsOf, hostPartOf, normalizeAlias, userPartOf } from './aliasNormalization.ts';
import type { EpochMs } from './calendar.ts';

/** Kinds of matching rules, in the order of docs/billing-rules.md §2 (end rules by priority, then tenant, then source). */
export type MatchingRuleKind = 'alias' | 'number-range' | 'domain' | 'regex' | 'tenant' | 'source';

/**
 * A matching rule with its validity already resolved to instants `[validFrom, validTo)`
 * (an entity's alias is a rule valid during `[createdAt, deletedAt)`).
 */
export interface MatchingRule {
  /** Stable identifier recorded on the match ("acme/domain/acme.example", "entity:vmr-1001"). */
  id: string;
  customerId: string;
  kind: MatchingRuleKind;
  /** alias, domain, regex, tenant or source value; for number-range, unused. */
  value: string;
  /** number-range bounds, equal length, digits only. */
  from?: string;
  to?: string;
  validFrom?: EpochMs;
  validTo?: EpochMs;
}

export type MatchOutcome =
  | { status: 'matched'; customerId: string; ruleId: string }
  | { status: 'ambiguous'; customerIds: string[]; ruleIds: string[] }
  | { status: 'no-customer' };

/** What matching needs to know of a call. */
export interface MatchableCall {
  startedAt: EpochMs;
  localAlias?: string;
  remoteAlias?: string;
  tenant?: string;
  source: string;
}

interface RangeEntry {
  rule: MatchingRule;
  from: string;
  to: string;
}

interface RangeIndex {
  entries: RangeEntry[]; // sorted by `from`
  maxToUpTo: string[]; // maxToUpTo[i] = max(entries[0..i].to): lets a lookup stop early
}

function isValidAt(rule: MatchingRule, at: EpochMs): boolean {
  return (rule.validFrom === undefined || at >= rule.validFrom) && (rule.validTo === undefined || at < rule.validTo);
}

function push<K>(map: Map<K, MatchingRule[]>, key: K, rule: MatchingRule): void {
  const list = map.get(key);
  if (list) list.push(rule);
  else map.set(key, [rule]);
}

/**
 * Matches calls to customers by the rules of docs/billing-rules.md §2. Built once over all rules, it answers each call
 * with hash look-ups (alias, domain suffixes, tenant, source), a binary search (number ranges) and a
 * scan of the regular expressions only.
 */
export class CallMatcher {
  private readonly aliases = new Map<string, MatchingRule[]>();
  private readonly domains = new Map<string, MatchingRule[]>();
  private readonly ranges = new Map<number, RangeIndex>();
  private readonly regexes: { rule: MatchingRule; pattern: RegExp }[] = [];
  private readonly tenants = new Map<string, MatchingRule[]>();
  private readonly sources = new Map<string, MatchingRule[]>();

  constructor(rules: Iterable<MatchingRule>) {
    const rangeEntries = new Map<number, RangeEntry[]>();
    for (const rule of rules) {
      switch (rule.kind) {
        case 'alias':
          push(this.aliases, normalizeAlias(rule.value), rule);
          break;
        case 'domain':
          push(this.domains, rule.value.trim().toLowerCase(), rule);
          break;
        case 'regex':
          this.regexes.push({ rule, pattern: new RegExp(`^(?:${rule.value})$`, 'u') });
          break;
        case 'tenant':
          push(this.tenants, rule.value, rule);
          break;
        case 'source':
          push(this.sources, rule.value, rule);
          break;
        case 'number-range': {
          const from = rule.from ?? '';
          const to = rule.to ?? '';
          const list = rangeEntries.get(from.length) ?? [];
          list.push({ rule, from, to });
          rangeEntries.set(from.length, list);
          break;
        }
      }
    }
    for (const [length, entries] of rangeEntries) {
      entries.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
      const maxToUpTo: string[] = [];
      let max = '';
      for (const e of entries) {
        if (e.to > max) max = e.to;
        maxToUpTo.push(max);
      }
      this.ranges.set(length, { entries, maxToUpTo });
    }
  }

  /** Rules of the highest priority that match one end of a call at instant `at`. */
  private matchEnd(rawEnd: string | undefined, at: EpochMs): MatchingRule[] {
    if (!rawEnd) return [];
    const end = normalizeAlias(rawEnd);
    if (end === '') return [];
    const byAlias = (this.aliases.get(end) ?? []).filter((r) => isValidAt(r, at));
    if (byAlias.length) return byAlias;
    const byRange = this.matchRange(digitsOf(userPartOf(end)), at);
    if (byRange.length) return byRange;
    const host = hostPartOf(end);
    if (host !== undefined) {
      const byDomain = this.domainRules(host, at);
      if (byDomain.length) return byDomain;
    }
    return this.regexes.filter(({ rule, pattern }) => isValidAt(rule, at) && pattern.test(end)).map(({ rule }) => rule);
  }

  /** The `domain` rules valid at `at` that cover a host: the host itself or any domain above it. */
  private domainRules(host: string, at: EpochMs): MatchingRule[] {
    const found: MatchingRule[] = [];
    for (let suffix: string | undefined = host; suffix; suffix = suffix.includes('.') ? suffix.slice(suffix.indexOf('.') + 1) : undefined) {
      for (const r of this.domains.get(suffix) ?? []) if (isValidAt(r, at)) found.push(r);
    }
    return found;
  }

  /**
   * docs/billing-rules.md §2: the customer whose domain rules cover a domain at instant `at`, as matching decides it:
   * only rules valid then, and no one when rules of two customers cover it (ambiguous). What adapters
   * use to tell a customer's own end and internal calls apart.
   */
  domainOwner(domain: string, at: EpochMs): string | undefined {
    const host = hostPartOf(`@${domain.trim().toLowerCase()}`);
    if (host === undefined) return undefined;
    const customers = new Set(this.domainRules(host, at).map((r) => r.customerId));
    return customers.size === 1 ? [...customers][0] : undefined;
  }

  private matchRange(digits: string, at: EpochMs): MatchingRule[] {
    const index = digits ? this.ranges.get(digits.length) : undefined;
    if (!index) return [];
    // Last entry whose `from` ≤ digits (same length, so string order is numeric order).
    let lo = 0;
    let hi = index.entries.length - 1;
    let last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (index.entries[mid]!.from <= digits) {
        last = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    const found: MatchingRule[] = [];
    for (let i = last; i >= 0 && index.maxToUpTo[i]! >= digits; i--) {
      const e = index.entries[i]!;
      if (e.to >= digits && isValidAt(e.rule, at)) found.push(e.rule);
    }
    return found;
  }

  /** docs/billing-rules.md §2: local end, remote end, tenant, source; the first step that finds a customer decides. */
  match(call: MatchableCall): MatchOutcome {
    const steps: (() => MatchingRule[])[] = [
      () => this.matchEnd(call.localAlias, call.startedAt),
      () => this.matchEnd(call.remoteAlias, call.startedAt),
      () => (call.tenant ? (this.tenants.get(call.tenant) ?? []).filter((r) => isValidAt(r, call.startedAt)) : []),
      () => (this.sources.get(call.source) ?? []).filter((r) => isValidAt(r, call.startedAt)),
    ];
    for (const step of steps) {
      const rules = step();
      if (rules.length === 0) continue;
      const customers = [...new Set(rules.map((r) => r.customerId))];
      if (customers.length === 1) return { status: 'matched', customerId: customers[0]!, ruleId: rules[0]!.id };
      return { status: 'ambiguous', customerIds: customers.sort(), ruleIds: rules.map((r) => r.id) };
    }
    return { status: 'no-customer' };
  }
}
