import { BillingError } from './billingError.ts';
import type { PlanDefinition } from './plan.ts';

/** The top-level fields of a plan definition that an operator may edit. */
export const editablePlanFields = ['name', 'currency', 'monthlyFee', 'portPool', 'includedMinutes', 'callRates', 'services', 'customElements'] as const;

export interface PlanFieldEdit {
  definition: PlanDefinition;
  oldValue: unknown;
  newValue: unknown;
}

function segmentsOf(path: string): string[] {
  // `services.cms-space` and `callRates.0.perMinute` (or `callRates[0].perMinute`) address one value.
  const segments = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  if (segments.some((s) => s === '')) throw new BillingError('invalid-argument', `"${path}" is not a field path; write it like monthlyFee, portPool.ports, services.pexip-vmr or callRates.0.perMinute.`);
  if (!(editablePlanFields as readonly string[]).includes(segments[0]!)) {
    throw new BillingError('invalid-argument', `"${segments[0]}" is not a plan field; the fields are ${editablePlanFields.join(', ')}.`);
  }
  return segments;
}

/**
 * Sets one field of a plan by path and returns the new definition with the old and new value (for
 * the plan's history). `null` at a service type removes the service, so that "not listed" — not
 * available — can be restored. Validity of the result is checked by the caller's schema.
 */
export function editPlanField(definition: PlanDefinition, path: string, value: unknown): PlanFieldEdit {
  const segments = segmentsOf(path);
  const edited = structuredClone(definition) as unknown as Record<string, unknown>;
  let parent: Record<string, unknown> | unknown[] = edited;
  for (const segment of segments.slice(0, -1)) {
    const next: unknown = Array.isArray(parent) ? parent[Number(segment)] : parent[segment];
    if (next === null || typeof next !== 'object') throw new BillingError('invalid-argument', `Plan field "${path}" does not exist: "${segment}" holds no fields (set the whole value instead).`);
    parent = next as Record<string, unknown> | unknown[];
  }
  const last = segments[segments.length - 1]!;
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw new BillingError('invalid-argument', `Plan field "${path}": index ${last} is outside the list of ${parent.length}.`);
    const oldValue = parent[index] ?? null;
    if (value === null) parent.splice(index, 1);
    else parent[index] = value;
    return { definition: edited as unknown as PlanDefinition, oldValue, newValue: value };
  }
  const oldValue = parent[last] ?? null;
  if (value === null && segments.length === 2 && segments[0] === 'services') delete parent[last];
  else parent[last] = value;
  return { definition: edited as unknown as PlanDefinition, oldValue, newValue: value };
}
