import { minorUnitsOf, roundToMinorUnit } from './currency.ts';
import { amountOf, amountsEqual, decimalPlacesOf, divide, formatExact, formatFixed, isZero, multiply, roundAwayOrToward, roundHalfUp, type Amount } from './money.ts';

/** The most decimals a unit price is given with; beyond it a line shows no unit price. */
const maxDecimals = 20;
/** A price per unit with at most this many decimals is shown exactly (a rate such as 0.0125 a minute). */
const exactDecimals = 6;

/**
 * The unit price an invoice line shows (docs/adr/0013-invoice-lines-and-generation.md): the price of
 * one unit of the line's quantity (a day, an entity-day, a minute, a port-minute) such that
 * quantity × unit price, rounded half up to the currency's minor unit, is the line's amount — so a
 * reader can check every line. `stated` is the price of the plan or the user where the amount is
 * exactly quantity × that price; it is kept as written. Otherwise (a monthly price prorated by days,
 * calls at several rates, a month's overage net of what earlier invoices charged) it is exact / quantity
 * exactly when it has at most six decimals, else with the fewest decimals (no fewer than the
 * currency's) that give the amount back. Undefined when the
 * quantity is zero (nothing to divide by).
 */
export function lineUnitPrice(exact: Amount, quantity: string, currency: string, stated?: string): string | undefined {
  const q = amountOf(quantity);
  if (isZero(q)) return undefined;
  if (stated !== undefined && amountsEqual(multiply(q, amountOf(stated)), exact)) return stated;
  const amount = roundToMinorUnit(exact, currency);
  const perUnit = divide(exact, q);
  const minor = minorUnitsOf(currency);
  const exactText = formatExact(perUnit);
  if (decimalPlacesOf(exactText) <= exactDecimals) return formatFixed(perUnit, Math.max(minor, decimalPlacesOf(exactText)));
  const gives = (price: Amount): boolean => amountsEqual(roundToMinorUnit(multiply(q, price), currency), amount);
  for (let decimals = minor; decimals <= maxDecimals; decimals++) {
    const price = roundHalfUp(perUnit, decimals);
    if (gives(price)) return formatFixed(price, decimals);
  }
  // An amount exactly half-way between minor units is only reached from its own side.
  for (const direction of ['up', 'down'] as const) {
    const price = roundAwayOrToward(perUnit, maxDecimals, direction);
    if (gives(price)) return formatFixed(price, maxDecimals);
  }
  return undefined;
}
