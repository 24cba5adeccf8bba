import { Decimal as DecimalJs } from 'decimal.js';

/**
 * Exact decimal amounts. Nothing outside this module knows how an amount is stored: everything goes
 * through these functions, and values cross the boundaries of the core as decimal strings.
 */
const Decimal = DecimalJs.clone({ precision: 60, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -40, toExpPos: 40 });

/** An exact decimal amount (of money, minutes or anything that must not pass through a float). */
export type Amount = DecimalJs;

const decimalPattern = /^-?\d+(\.\d+)?$/;

/** Parses a decimal string such as "0.035"; throws on anything else (numbers are refused on purpose). */
export function amountOf(value: string | bigint): Amount {
  if (typeof value === 'bigint') return new Decimal(value.toString());
  if (!decimalPattern.test(value)) throw new RangeError(`not a decimal number: "${value}"`);
  return new Decimal(value);
}

/** Whether a string is a plain decimal number ("12", "-0.50"). */
export function isDecimalString(value: string): boolean {
  return decimalPattern.test(value);
}

/** An amount from an integer count (minutes, days, ports); refuses non-integers. */
export function amountOfInteger(count: number): Amount {
  if (!Number.isSafeInteger(count)) throw new RangeError(`not an integer: ${count}`);
  return new Decimal(count);
}

export const zero: Amount = new Decimal(0);

export function add(a: Amount, b: Amount): Amount {
  return a.plus(b);
}

export function subtract(a: Amount, b: Amount): Amount {
  return a.minus(b);
}

export function multiply(a: Amount, b: Amount | number): Amount {
  return a.times(typeof b === 'number' ? amountOfInteger(b) : b);
}

/** Sum of amounts, exact. */
export function sumAmounts(amounts: Iterable<Amount>): Amount {
  let total: Amount = zero;
  for (const a of amounts) total = total.plus(a);
  return total;
}

/**
 * `numerator × part / whole`, multiplying before dividing. Exact whenever the result terminates; a
 * non-terminating result is carried to 60 significant digits, which can never fall on a rounding tie.
 */
export function prorate(amount: Amount, part: number, whole: number): Amount {
  if (whole <= 0) throw new RangeError('prorate: whole must be positive');
  return amount.times(part).dividedBy(whole);
}

/** Rounds half up (away from zero for negatives) to `decimals` places. */
export function roundHalfUp(amount: Amount, decimals: number): Amount {
  return amount.toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
}

/** Rounds half up to a whole number and returns it as a JS integer (for minute pools). */
export function roundHalfUpToInteger(amount: Amount): number {
  return amount.toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

/** Fixed-point string with exactly `decimals` places ("1.20", "1200"). */
export function formatFixed(amount: Amount, decimals: number): string {
  const rounded = amount.toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
  return (rounded.isZero() ? rounded.abs() : rounded).toFixed(decimals);
}

/** Shortest exact string of an amount ("0.605", "5"). */
export function formatExact(amount: Amount): string {
  const s = amount.toFixed();
  return s === '-0' ? '0' : s;
}

export function isZero(a: Amount): boolean {
  return a.isZero();
}

export function isPositive(a: Amount): boolean {
  return a.greaterThan(0);
}

export function compareAmounts(a: Amount, b: Amount): number {
  return a.comparedTo(b);
}

/** Number of decimal places a decimal string uses ("0.035" → 3). */
export function decimalPlacesOf(value: string): number {
  const dot = value.indexOf('.');
  return dot < 0 ? 0 : value.length - dot - 1;
}

/** `a / b`, exact where it terminates, else to the module's 60 significant digits. */
export function divide(a: Amount, b: Amount): Amount {
  if (b.isZero()) throw new RangeError('divide: division by zero');
  return a.dividedBy(b);
}

/** Rounds to `decimals` places away from zero (`up`) or toward zero (`down`), never half-way. */
export function roundAwayOrToward(amount: Amount, decimals: number, direction: 'up' | 'down'): Amount {
  return amount.toDecimalPlaces(decimals, direction === 'up' ? Decimal.ROUND_UP : Decimal.ROUND_DOWN);
}

export function amountsEqual(a: Amount, b: Amount): boolean {
  return a.equals(b);
}

/** Significant digits that every float64 keeps exactly: a number written with at most this many is read back unchanged. */
const exactNumberDigits = 15;

/**
 * The decimal string of a number from a YAML or JSON file ("25", "0.1"), or undefined when the number
 * has more significant digits than a float keeps exactly: the digits written may already be lost.
 */
export function decimalStringOfNumber(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const decimal = new Decimal(value);
  return decimal.precision(true) <= exactNumberDigits ? formatExact(decimal) : undefined;
}
