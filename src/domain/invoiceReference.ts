import { BillingError } from './billingError.ts';
import { messageSafeText } from './messageSafeText.ts';

/**
 * How a user names an invoice on the command line: its id, or the number it was given at
 * approval. Ids are UUIDs and always hold letters or hyphens; a number is digits only (an optional
 * leading `#`, as in "#12"). So the two never collide and no flag is needed.
 */
export type InvoiceReference = { id: string } | { number: number };

export function parseInvoiceReference(text: string): InvoiceReference {
  const trimmed = text.trim();
  const digits = /^#?(\d+)$/.exec(trimmed);
  if (!digits) {
    if (trimmed === '') throw new BillingError('invalid-argument', 'The invoice is missing: give its id or the number of an approved invoice.', { field: 'invoice', value: text, remedy: 'list-invoices' });
    return { id: trimmed };
  }
  const number = Number(digits[1]);
  if (!Number.isSafeInteger(number) || number < 1) throw new BillingError('invalid-argument', `"${text}" is no invoice number: numbers start at 1.`, { field: 'invoice', value: text, remedy: 'list-invoices' });
  return { number };
}

/** The reference as the user wrote it back in a message: "number 12" or "id \"…\"". */
export function invoiceReferenceText(reference: InvoiceReference): string {
  return 'number' in reference ? `number ${reference.number}` : `id "${messageSafeText(reference.id)}"`;
}
