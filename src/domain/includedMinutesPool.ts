/** A call's share of a month's included-minutes pool (spec §6.2). */
export interface PoolAttribution {
  includedMinutes: number;
  overageMinutes: number;
}

/**
 * Spec §6.2: calls consume the pool in order of start (then externalId). `calls` must already be in
 * that order; the result is index-aligned with it.
 */
export function attributePoolMinutes(calls: readonly { billedMinutes: number }[], poolMinutes: number): PoolAttribution[] {
  let left = Math.max(0, poolMinutes);
  return calls.map(({ billedMinutes }) => {
    const included = Math.min(left, billedMinutes);
    left -= included;
    return { includedMinutes: included, overageMinutes: billedMinutes - included };
  });
}

/** Spec §6.2: overage minutes of a month. */
export function overageMinutes(usedMinutes: number, poolMinutes: number): number {
  return Math.max(0, usedMinutes - poolMinutes);
}
