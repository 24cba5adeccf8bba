import type { Customer } from '../domain/customer.ts';
import type { Invoice } from '../domain/invoice.ts';
import { spreadsheetSafeCsv } from './spreadsheetSafeCsv.ts';

/** The header of the invoice CSV; `from`/`to` are the invoice range as in the invoice JSON (`to` exclusive). */
export const invoiceCsvColumns = [
  'invoiceId', 'invoiceNumber', 'status', 'customerId', 'customerName', 'currency', 'from', 'to',
  'position', 'kind', 'description', 'period', 'quantity', 'unit', 'unitPrice', 'amount', 'calls', 'late', 'planId',
] as const;

/**
 * docs/billing-rules.md §8 "Export": one row per invoice line, amounts exactly as the invoice holds them (each line
 * rounded once), so the `amount` column sums to the invoice total. Every row repeats the invoice's
 * identity so that exports of several invoices can be concatenated and still be read.
 */
export function invoiceCsv(invoice: Invoice, customer: Pick<Customer, 'id' | 'name'>): string {
  return spreadsheetSafeCsv(
    invoiceCsvColumns,
    invoice.lines.map((l, i) => [
      invoice.id, invoice.number, invoice.status, customer.id, customer.name, invoice.currency, invoice.from, invoice.to,
      i + 1, l.kind, l.description, l.period, l.quantity, l.unit, l.unitPrice, l.amount, l.calls, l.late === true, l.planId,
    ]),
  );
}
