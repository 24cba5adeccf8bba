import type { Invoice } from '../domain/invoice.ts';
import type { Sql } from '../storage/database.ts';
import { invoicePage, type InvoiceFilter, type InvoicePosition } from '../storage/invoiceStore.ts';

export type { InvoicePosition } from '../storage/invoiceStore.ts';

export interface InvoicePageRequest extends InvoiceFilter {
  status?: Invoice['status'];
  /** The position of the last invoice of the previous page; the first page without. */
  after?: InvoicePosition;
  limit: number;
}

/**
 * One page of the invoices `invoice list` shows (some customers or all; ranges sharing a day with
 * from..to; drafts or approved), in the order customer, range start, id, and where the next page
 * starts (undefined on the last page). Read with keyset pagination: the list grows without bound.
 */
export async function pageOfInvoices(db: Sql, request: InvoicePageRequest): Promise<{ invoices: Invoice[]; next: InvoicePosition | undefined }> {
  const { after, limit, ...filter } = request;
  const rows = await invoicePage(db, filter, after, limit + 1);
  const invoices = rows.slice(0, limit);
  const last = invoices[invoices.length - 1];
  return { invoices, next: rows.length > limit && last ? { customerId: last.customerId, from: last.from, id: last.id } : undefined };
}
