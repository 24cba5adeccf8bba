import { roundToMinorUnit } from '../../src/domain/currency.ts';
import type { InvoiceLine } from '../../src/domain/invoiceLine.ts';
import { amountOf, compareAmounts, isZero, multiply, prorate, sumAmounts } from '../../src/domain/money.ts';

/**
 * Issue 9 §7: on every line, quantity × unit price rounded half up to the currency's minor unit is
 * the amount (so |quantity × unit price − amount| ≤ half a minor unit). A tax line's "price" is the
 * taxed net: rate % × the other lines' sum. Only an adjustment of quantity 0 (a month's overage repriced,
 * nothing more to count) has no unit price. Returns one sentence per line that does not add up.
 */
export function lineArithmeticProblems(invoice: { currency: string; lines: readonly InvoiceLine[] }, where = ''): string[] {
  const problems: string[] = [];
  const net = sumAmounts(invoice.lines.filter((l) => l.kind !== 'tax').map((l) => amountOf(l.amount)));
  invoice.lines.forEach((line, i) => {
    const name = `${where}line ${i + 1} (${line.kind} ${line.description})`;
    const amount = amountOf(line.amount);
    if (line.kind === 'tax') {
      const tax = roundToMinorUnit(prorate(multiply(net, amountOf(line.quantity)), 1, 100), invoice.currency);
      if (compareAmounts(tax, amount) !== 0) problems.push(`${name}: ${line.quantity} % of ${net.toFixed()} is not ${line.amount}`);
      return;
    }
    if (line.unitPrice === undefined) {
      if (!(isZero(amountOf(line.quantity)) && line.kind === 'adjustment')) problems.push(`${name}: no unit price`);
      return;
    }
    const product = multiply(amountOf(line.quantity), amountOf(line.unitPrice));
    if (compareAmounts(roundToMinorUnit(product, invoice.currency), amount) !== 0) {
      problems.push(`${name}: ${line.quantity} ${line.unit} × ${line.unitPrice} = ${product.toFixed()}, which is not ${line.amount}`);
    }
  });
  return problems;
}
