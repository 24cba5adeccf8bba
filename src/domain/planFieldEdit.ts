import { BillingError } from './billingError.ts';
import { hasHiddenCharacters, messageSafeText } from './messageSafeText.ts';
import { ownValue } from './ownValue.ts';
import type { PlanDefinition } from './plan.ts';
import { isReservedKey } from './reservedKeys.ts';

/** The top-level fields of a plan definition that an operator may edit. */
export const editablePlanFields = ['name', 'currency', 'monthlyFee', 'portPool', 'includedMinutes', 'callRates', 'services', 'customElements'] as const;

export interface PlanFieldEdit {
  definition: PlanDefinition;
  oldValue: unknown;
  newValue: unknown;
}

const fieldPathHint = 'write it like monthlyFee, portPool.ports, services.pexip-vmr or callRates.0.perMinute';

function segmentsOf(path: string): string[] {
  // `services.cms-space` and `callRates.0.perMinute` (or `callRates[0].perMinute`) address one value.
  const segments = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  if (segments.some((s) => s === '')) throw new BillingError('invalid-argument', `"${path}" is not a field path; ${fieldPathHint}.`);
  // A hidden character in a path would become a key of the stored plan and of its history, which the
  // database cannot hold (a NUL) or a person cannot read.
  if (hasHiddenCharacters(path)) throw new BillingError('invalid-argument', `"${messageSafeText(path)}" is not a field path: it holds a control or invisible character; ${fieldPathHint}.`, { field: 'field' });
  const reserved = segments.find(isReservedKey);
  if (reserved !== undefined) throw new BillingError('invalid-argument', `Plan field "${path}": "${reserved}" is a reserved name and cannot be a field, a service type or a key; ${fieldPathHint}.`);
  if (!(editablePlanFields as readonly string[]).includes(segments[0]!)) {
    throw new BillingError('invalid-argument', `"${segments[0]}" is not a plan field; the fields are ${editablePlanFields.join(', ')}.`);
  }
  return segments;
}

/** A list position as written in a path: digits only ("1e0", " 1" and "0x1" are not positions). */
function listIndexOf(path: string, segment: string, list: readonly unknown[], allowEnd: boolean): number {
  const index = /^(0|[1-9]\d{0,8})$/.test(segment) ? Number(segment) : NaN;
  if (Number.isNaN(index)) throw new BillingError('invalid-argument', `Plan field "${path}": "${segment}" is not a position in the list (0, 1, 2…).`);
  if (index > list.length || (!allowEnd && index === list.length)) throw new BillingError('invalid-argument', `Plan field "${path}" does not exist: index ${segment} is outside the list of ${list.length}.`);
  return index;
}

/**
 * Sets one field of a plan by path and returns the new definition with the old and new value (for
 * the plan's history). `null` at a service type removes the service, so that "not listed" — not
 * available — can be restored. Validity of the result is checked by the caller's schema. Every step
 * reads the plan's own fields only, so no path reaches Object.prototype.
 */
export function editPlanField(definition: PlanDefinition, path: string, value: unknown): PlanFieldEdit {
  const segments = segmentsOf(path);
  const edited = structuredClone(definition) as unknown as Record<string, unknown>;
  let parent: Record<string, unknown> | unknown[] = edited;
  for (const segment of segments.slice(0, -1)) {
    const next: unknown = Array.isArray(parent) ? parent[listIndexOf(path, segment, parent, false)] : ownValue(parent, segment);
    if (next === null || typeof next !== 'object') throw new BillingError('invalid-argument', `Plan field "${path}" does not exist: "${segment}" holds no fields (set the whole value instead).`);
    parent = next as Record<string, unknown> | unknown[];
  }
  const last = segments[segments.length - 1]!;
  if (Array.isArray(parent)) {
    const index = listIndexOf(path, last, parent, true);
    const oldValue = parent[index] ?? null;
    if (value === null) parent.splice(index, 1);
    else parent[index] = value;
    return { definition: edited as unknown as PlanDefinition, oldValue, newValue: value };
  }
  const oldValue = ownValue(parent, last) ?? null;
  if (value === null && segments.length === 2 && segments[0] === 'services') delete parent[last];
  else parent[last] = value;
  return { definition: edited as unknown as PlanDefinition, oldValue, newValue: value };
}
