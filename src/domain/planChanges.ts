import type { PlanDefinition } from './plan.ts';

/** One changed field of a plan, as its history records it (spec §3). */
export interface PlanFieldChange {
  field: keyof PlanDefinition;
  oldValue: unknown;
  newValue: unknown;
}

/** The fields that differ between two definitions of a plan, in schema order. */
export function planChanges(before: PlanDefinition, after: PlanDefinition): PlanFieldChange[] {
  const fields = Object.keys({ ...before, ...after }) as (keyof PlanDefinition)[];
  return fields
    .filter((f) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null))
    .map((f) => ({ field: f, oldValue: before[f] ?? null, newValue: after[f] ?? null }));
}
