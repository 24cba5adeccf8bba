/** One changed field of an object: a plan's history entry, or a line of what `confbill apply` changes. */
export interface FieldChange {
  field: string;
  oldValue: unknown;
  newValue: unknown;
}

/** JSON with object keys sorted, so that equal values compare equal whatever their key order (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/**
 * The fields that differ between two states of an object, in the order of `after` then `before`
 * (undefined and null are the same: absent). Without `before` (a new object) every field of `after`
 * that has a value is listed, old value null.
 */
export function fieldChanges(before: object | undefined, after: object): FieldChange[] {
  const old = (before ?? {}) as Record<string, unknown>;
  const now = after as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(now), ...Object.keys(old)])];
  return fields
    .filter((f) => canonicalJson(Object.hasOwn(old, f) ? old[f] : null) !== canonicalJson(Object.hasOwn(now, f) ? now[f] : null))
    .map((f) => ({ field: f, oldValue: (Object.hasOwn(old, f) ? old[f] : null) ?? null, newValue: (Object.hasOwn(now, f) ? now[f] : null) ?? null }));
}
