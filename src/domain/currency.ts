import currencyCodes from 'currency-codes';
import { BillingError } from './billingError.ts';
import { formatFixed, roundHalfUp, type Amount } from './money.ts';

/** ISO 4217 minor units of a currency code (EUR 2, JPY 0, KWD 3). */
export function minorUnitsOf(currency: string): number {
  const entry = /^[A-Z]{3}$/.test(currency) ? currencyCodes.code(currency) : undefined;
  if (!entry) throw new BillingError('unknown-currency', `"${currency}" is not an ISO 4217 currency code.`);
  return entry.digits;
}

export function isKnownCurrency(currency: string): boolean {
  return /^[A-Z]{3}$/.test(currency) && currencyCodes.code(currency) !== undefined;
}

/** Rounds an exact amount half up to the currency's minor unit (the rounding of an invoice line). */
export function roundToMinorUnit(amount: Amount, currency: string): Amount {
  return roundHalfUp(amount, minorUnitsOf(currency));
}

/** The string form of an amount in a currency: exactly its minor-unit digits ("1.20", "1200"). */
export function formatInCurrency(amount: Amount, currency: string): string {
  return formatFixed(amount, minorUnitsOf(currency));
}
