import type { Customer } from '../domain/customer.ts';
import type { RatedInvoiceCall } from '../domain/ratedInvoiceCall.ts';
import type { Invoice } from '../domain/invoice.ts';
import { spreadsheetSafeCsv } from './spreadsheetSafeCsv.ts';

export type { RatedInvoiceCall };

export const invoiceCallsCsvColumns = [
  'invoiceId', 'invoiceNumber', 'customerId', 'customerName', 'date', 'startedAt', 'source', 'externalId', 'conferenceId',
  'localAlias', 'remoteAlias', 'category', 'direction', 'durationSeconds', 'billedMinutes', 'planId', 'planVersion',
  'includedMinutes', 'overageMinutes', 'rateFound', 'startupCharge', 'perMinute', 'amount', 'currency',
] as const;

/**
 * docs/billing-rules.md §8 "Export": one row per rated call of the invoice, with its pool attribution (included and
 * overage minutes) and its charge. The charge is the exact, unrounded amount the call was rated at:
 * invoice lines round once per line (docs/billing-rules.md §7), so rounding each call here would make the rows
 * disagree with the lines they add up to.
 */
export function invoiceCallsCsv(invoice: Invoice, customer: Pick<Customer, 'id' | 'name'>, calls: Iterable<RatedInvoiceCall>): string {
  const rows = (function* () {
    for (const c of calls) {
      yield [
        invoice.id, invoice.number, customer.id, customer.name, c.date, c.startedAt, c.source, c.externalId, c.conferenceId,
        c.localAlias, c.remoteAlias, c.category, c.direction, c.durationSeconds, c.billedMinutes, c.planId, c.planVersion,
        c.includedMinutes, c.overageMinutes, c.rateFound, c.startupCharge, c.perMinute, c.amount, c.currency,
      ];
    }
  })();
  return spreadsheetSafeCsv(invoiceCallsCsvColumns, rows);
}
