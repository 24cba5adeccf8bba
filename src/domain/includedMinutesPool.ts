import { amountOf, prorate, roundHalfUpToInteger, sumAmounts } from './money.ts';

/** A call's share of a month's included-minutes pool (docs/billing-rules.md §6.2). */
export interface PoolAttribution {
  includedMinutes: number;
  overageMinutes: number;
}

/**
 * docs/billing-rules.md §6.2: calls consume the pool in order of start (then externalId). `calls` must already be in
 * that order; the result is index-aligned with it.
 */
export function attributePoolMinutes(calls: readonly { billedMinutes: number }[], poolMinutes: number): PoolAttribution[] {
  const next = poolAttributor(poolMinutes);
  return calls.map(({ billedMinutes }) => next(billedMinutes));
}

/**
 * The same attribution one call at a time, for calls that arrive in order in parts (a customer's
 * calls rated page by page): each call's billed minutes in, its share out.
 */
export function poolAttributor(poolMinutes: number): (billedMinutes: number) => PoolAttribution {
  let left = Math.max(0, poolMinutes);
  return (billedMinutes) => {
    const included = Math.min(left, billedMinutes);
    left -= included;
    return { includedMinutes: included, overageMinutes: billedMinutes - included };
  };
}

/** docs/billing-rules.md §6.2: overage minutes of a month. */
export function overageMinutes(usedMinutes: number, poolMinutes: number): number {
  return Math.max(0, usedMinutes - poolMinutes);
}

/** The days of a month covered under one plan version, and that version's monthly pool. */
export interface PoolDays {
  minutesPerMonth: number;
  days: number;
}

/**
 * docs/billing-rules.md §5, §6.2: a month's included-minutes pool, each version's pool prorated by its covered days,
 * summed exactly and rounded half up to whole minutes once. The one home of this rule: rating's
 * attribution, the invoice's overage and the usage report all take the pool from here.
 */
export function proratedPoolMinutes(parts: readonly PoolDays[], daysInMonth: number): number {
  return roundHalfUpToInteger(sumAmounts(parts.map((p) => prorate(amountOf(String(p.minutesPerMonth)), p.days, daysInMonth))));
}

/** docs/billing-rules.md §6.2: the minutes calls use of a pool, their billed minutes, whether or not a call rate applies. */
export function usedPoolMinutes(calls: readonly { billedMinutes: number }[]): number {
  return calls.reduce((m, c) => m + c.billedMinutes, 0);
}
