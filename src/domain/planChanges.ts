import type { PlanDefinition } from './plan.ts';

/** One changed field of a plan, as its history records it (spec §3). */
export interface PlanFieldChange {
  field: keyof PlanDefinition;
  oldValue: unknown;
  newValue: unknown;
}

/** JSON with object keys sorted, so that equal values compare equal whatever their key order (jsonb reorders keys). */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/** The fields that differ between two definitions of a plan, in schema order. */
export function planChanges(before: PlanDefinition, after: PlanDefinition): PlanFieldChange[] {
  const fields = Object.keys({ ...before, ...after }) as (keyof PlanDefinition)[];
  return fields
    .filter((f) => canonicalJson(before[f]) !== canonicalJson(after[f]))
    .map((f) => ({ field: f, oldValue: before[f] ?? null, newValue: after[f] ?? null }));
}
