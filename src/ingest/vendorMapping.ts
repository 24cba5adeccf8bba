import type { CallCategory, CallDirection } from '../domain/call.ts';

/**
 * A leg is excluded — not a billable participant, counted and kept out of `calls` — when one of its
 * vendor fields equals (`equals`) or matches (`matches`, a regular expression) a value.
 */
export interface ExclusionRule {
  /** The vendor's field name as the adapter's format note documents it (e.g. `subType`, `role`). */
  field: string;
  equals?: string;
  matches?: string;
  /** Why, as counted in the source statistics ("recorder leg", "IVR only", …). */
  reason: string;
}

/**
 * Spec-facing translation of a vendor's vocabulary: each adapter ships defaults in
 * `src/ingest/<vendor>/defaultMapping.ts`, and the configuration file's `mappings.<format>` overrides
 * them key by key (rules: the configured list replaces the default list when given).
 */
export interface VendorMapping {
  /** Vendor call type / protocol / media / subtype value → confbill category. */
  categories: Record<string, CallCategory>;
  /** Vendor direction value → confbill direction. */
  directions: Record<string, CallDirection>;
  exclude: ExclusionRule[];
}

export type VendorMappingOverride = Partial<VendorMapping>;

export function mergeVendorMapping(defaults: VendorMapping, override: VendorMappingOverride | undefined): VendorMapping {
  if (!override) return defaults;
  return {
    categories: { ...defaults.categories, ...override.categories },
    directions: { ...defaults.directions, ...override.directions },
    exclude: override.exclude ?? defaults.exclude,
  };
}

/** Each `matches` pattern compiled once (patterns come from the mapping: a handful): every leg of a file is checked against the same rules. */
const compiledMatches = new Map<string, RegExp>();

function expressionOf(pattern: string): RegExp {
  let expression = compiledMatches.get(pattern);
  if (!expression) {
    expression = new RegExp(pattern, 'u');
    compiledMatches.set(pattern, expression);
  }
  return expression;
}

/** The first exclusion rule that a leg's vendor fields meet, if any. */
export function exclusionOf(rules: readonly ExclusionRule[], fields: Readonly<Record<string, string | undefined | null>>): ExclusionRule | undefined {
  return rules.find((rule) => {
    // Own fields only: a rule on "constructor" must not find Object.prototype's.
    const value = Object.hasOwn(fields, rule.field) ? fields[rule.field] : undefined;
    if (value === undefined || value === null) return false;
    if (rule.equals !== undefined) return value === rule.equals;
    if (rule.matches !== undefined) return expressionOf(rule.matches).test(value);
    return false;
  });
}
