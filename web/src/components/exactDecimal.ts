import Decimal from 'decimal.js';

/** A decimal string as the API writes and checks money and quantities (at most 15 digits before the point). */
export const decimalPattern = /^-?\d{1,15}(\.\d{1,12})?$/;

/** The exact sum of the API's decimal strings (decimal.js, as the server: no float on money). */
export function decimalSum(values: readonly string[]): string {
  return values.reduce((sum, value) => sum.plus(value), new Decimal(0)).toFixed();
}

/** The exact product of two decimal strings ("49.00" × "2" = "98.00"). */
export function decimalProduct(a: string, b: string): string {
  return new Decimal(a).times(b).toFixed();
}
