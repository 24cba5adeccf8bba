import type { InvoicePreview } from '../services/invoicePreview.ts';
import { terminalSafeText } from './terminalSafeText.ts';
import { countText } from './countText.ts';

/** A previewed invoice as a person reads it: the lines and totals that generation would make, and (on request) the items behind them. */
export function invoicePreviewText(preview: InvoicePreview): string {
  const customer = terminalSafeText(preview.customerId);
  if (preview.currency === null) {
    const charges = (preview.notInvoiceable ?? []).map((c) => `  ${c.date}  ${terminalSafeText(c.name)}  ${c.amount}`);
    return [`Customer ${customer}: one-off charges no invoice can take (no plan on their date, so no currency); assign a plan that covers them:`, ...charges].join('\n');
  }
  const head = `Customer ${customer}, ${preview.currency}, ${preview.from} to ${preview.to}: the invoice that generating now would make (nothing is stored)`;
  const rows = preview.lines.map((l, i) => [`${i + 1}.`.padStart(4) + ` ${l.period}`, l.kind, terminalSafeText(l.description) + (l.late ? ' [late]' : ''), `${l.quantity} ${l.unit}${l.calls === undefined ? '' : ` (${countText(l.calls, 'call')})`}`, l.amount]);
  const widths = [0, 1, 2, 3, 4].map((i) => Math.max(0, ...rows.map((r) => r[i]!.length)));
  const body = rows.map((r) => r.map((cell, i) => (i === 4 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  '));
  const labelWidth = widths.slice(0, 4).reduce((a, b) => a + b + 2, 0);
  const amountWidth = Math.max(widths[4]!, preview.total!.length);
  const sum = (label: string, amount: string): string => `${label.padEnd(labelWidth)}${amount.padStart(amountWidth)} ${preview.currency}`;
  const totals = preview.tax === null ? [sum('Total', preview.total!)] : [sum('Subtotal', preview.subtotal!), sum('Tax', preview.tax), sum('Total', preview.total!)];
  const items = preview.items ? ['Items (values to 6 decimals; the lines they count in by number):', ...preview.items.map((it) => `  ${it.date}  ${it.kind}  ${terminalSafeText(it.description)}  ${it.amount}  ${it.lines.length ? `line ${it.lines.join(', ')}` : 'no line'}`)] : [];
  return [head, ...body, ...totals, ...items].join('\n');
}
