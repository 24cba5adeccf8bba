import { BillingError } from './billingError.ts';
import { sumInvoiceLines } from './computeInvoice.ts';
import { formatInCurrency, roundToMinorUnit } from './currency.ts';
import type { InvoiceLine } from './invoiceLine.ts';
import { amountOf, isDecimalString, multiply } from './money.ts';
import { taxLine } from './taxLine.ts';

export interface ManualLineInput {
  description: string;
  /** Decimal string; default 1. */
  quantity?: string;
  /** Price per unit; the amount is quantity × unit price, rounded once half up (docs/billing-rules.md §7). */
  unitPrice: string;
  /** 'YYYY-MM' or 'YYYY-MM-DD'; default the invoice's first month. */
  period?: string;
}

export interface RevisedLines {
  lines: InvoiceLine[];
  total: string;
}

/** Re-taxes lines after an edit: the tax line keeps the rate it was made with and follows the net. */
function retaxed(lines: readonly InvoiceLine[], currency: string): RevisedLines {
  const oldTax = lines.find((l) => l.kind === 'tax');
  const net = lines.filter((l) => l.kind !== 'tax');
  const tax = oldTax ? taxLine(net, oldTax.quantity, currency, oldTax.period) : undefined;
  const revised = tax ? [...net, tax] : net;
  return { lines: revised, total: sumInvoiceLines(revised, currency) };
}

/** docs/billing-rules.md §8: a draft can be edited with manual adjustment lines (negative prices give credits). */
export function addManualLine(lines: readonly InvoiceLine[], input: ManualLineInput, currency: string, defaultPeriod: string): RevisedLines {
  const quantity = input.quantity ?? '1';
  if (!input.description.trim()) throw new BillingError('invalid-argument', 'A manual line needs a description.', { field: 'description', value: input.description });
  if (!isDecimalString(quantity)) throw new BillingError('invalid-argument', `The quantity "${quantity}" is not a decimal number.`, { field: 'quantity', value: quantity });
  if (!isDecimalString(input.unitPrice)) throw new BillingError('invalid-argument', `The unit price "${input.unitPrice}" is not a decimal number such as 12.50 or -5.`, { field: 'unitPrice', value: input.unitPrice });
  const period = input.period ?? defaultPeriod;
  if (!/^\d{4}-\d{2}(-\d{2})?$/.test(period)) throw new BillingError('invalid-argument', `The period "${period}" is neither YYYY-MM nor YYYY-MM-DD.`, { field: 'period', value: period });
  const amount = formatInCurrency(roundToMinorUnit(multiply(amountOf(quantity), amountOf(input.unitPrice)), currency), currency);
  const manual: InvoiceLine = { kind: 'manual', description: input.description.trim(), quantity, unit: 'unit', unitPrice: input.unitPrice, amount, period };
  return retaxed([...lines.filter((l) => l.kind !== 'tax'), manual, ...lines.filter((l) => l.kind === 'tax')], currency);
}

/** Removes a manual line by its 1-based position; computed lines come from items and stay. */
export function removeManualLine(lines: readonly InvoiceLine[], position: number, currency: string): RevisedLines {
  const line = lines[position - 1];
  if (!line) throw new BillingError('invalid-argument', `The draft has no line ${position}; it has ${lines.length}.`, { field: 'line', value: String(position) });
  if (line.kind !== 'manual') throw new BillingError('invalid-argument', `Line ${position} is a ${line.kind} line computed from billing data; only manual lines can be removed (delete and generate the draft again to recompute it).`, { field: 'line', value: String(position) });
  return retaxed(lines.filter((_, i) => i !== position - 1), currency);
}
