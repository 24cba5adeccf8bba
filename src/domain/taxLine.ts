import { formatInCurrency, roundToMinorUnit } from './currency.ts';
import type { InvoiceLine } from './invoiceLine.ts';
import { amountOf, isZero, multiply, prorate, sumAmounts } from './money.ts';

/**
 * docs/billing-rules.md §7: tax is its own line, rounded once, on the exact sum of the other (rounded) lines.
 * Undefined when there is no rate or nothing to tax.
 */
export function taxLine(lines: readonly InvoiceLine[], ratePercent: string | undefined, currency: string, period: string): InvoiceLine | undefined {
  const taxed = lines.filter((l) => l.kind !== 'tax');
  if (!ratePercent || isZero(amountOf(ratePercent)) || taxed.length === 0) return undefined;
  const net = sumAmounts(taxed.map((l) => amountOf(l.amount)));
  const tax = prorate(multiply(net, amountOf(ratePercent)), 1, 100);
  return { kind: 'tax', description: `Tax ${ratePercent} % of ${formatInCurrency(net, currency)}`, quantity: ratePercent, unit: 'percent', amount: formatInCurrency(roundToMinorUnit(tax, currency), currency), period };
}

