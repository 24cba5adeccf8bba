import type { Invoice } from '../domain/invoice.ts';
import { terminalSafeText } from './terminalSafeText.ts';
import { countText } from './countText.ts';

/** "approved by NAME at INSTANT" (the approver is unknown for invoices approved before it was recorded). */
export function approvalText(invoice: Pick<Invoice, 'approvedAt' | 'approvedBy'>): string {
  const by = invoice.approvedBy ? `by ${terminalSafeText(invoice.approvedBy)}` : 'by (not recorded)';
  return `approved ${by}${invoice.approvedAt ? ` at ${invoice.approvedAt}` : ''}`;
}

/** An invoice as a person reads it on a terminal. */
export function invoiceText(invoice: Invoice): string {
  const status = invoice.status === 'approved' ? approvalText(invoice) : invoice.status;
  const head = `Invoice ${invoice.number ?? 'DRAFT'} (${invoice.id}) — customer ${terminalSafeText(invoice.customerId)}, ${invoice.from} to ${invoice.to}, ${status}`;
  const rows = invoice.lines.map((l, i) => [
    `${i + 1}.`.padStart(4) + ` ${l.period}`,
    l.kind,
    terminalSafeText(l.description) + (l.late ? ' [late]' : ''),
    `${l.quantity} ${l.unit}${l.unitPrice === undefined ? '' : ` × ${l.unitPrice}`}${l.calls === undefined ? '' : ` (${countText(l.calls, 'call')})`}`,
    l.amount,
  ]);
  const widths = [0, 1, 2, 3, 4].map((i) => Math.max(0, ...rows.map((r) => r[i]!.length)));
  const body = rows.map((r) => r.map((cell, i) => (i === 4 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  '));
  const totalLine = `${'Total'.padEnd(widths.slice(0, 4).reduce((a, b) => a + b + 2, 0))}${invoice.total.padStart(widths[4]!)} ${invoice.currency}`;
  const notes = invoice.notes ? [`Notes: ${terminalSafeText(invoice.notes, { lineBreaks: true })}`] : [];
  return [head, ...body, totalLine, ...notes].join('\n');
}
