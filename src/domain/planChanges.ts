import { fieldChanges } from './fieldChanges.ts';
import type { PlanDefinition } from './plan.ts';

/** One changed field of a plan, as its history records it (docs/billing-rules.md §3). */
export interface PlanFieldChange {
  field: keyof PlanDefinition;
  oldValue: unknown;
  newValue: unknown;
}

/** The fields that differ between two definitions of a plan, in schema order. */
export function planChanges(before: PlanDefinition, after: PlanDefinition): PlanFieldChange[] {
  return fieldChanges(before, after) as PlanFieldChange[];
}
