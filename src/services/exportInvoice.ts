import { invoiceCallsCsv } from '../export/invoiceCallsCsv.ts';
import { invoiceCsv } from '../export/invoiceCsv.ts';
import { invoicePdf } from '../export/invoicePdf.ts';
import type { Sql } from '../storage/database.ts';
import { readFrozenDocument, type InvoiceDocument } from '../storage/invoiceSnapshotStore.ts';
import type { Invoice } from '../domain/invoice.ts';
import { readProviderLogo } from '../storage/providerLogoStore.ts';
import { showInvoice } from './invoicing.ts';
import { liveInvoiceDocument } from './invoiceDocument.ts';

export const invoiceExportFormats = ['pdf', 'csv', 'calls-csv'] as const;
export type InvoiceExportFormat = (typeof invoiceExportFormats)[number];

export function isInvoiceExportFormat(value: string): value is InvoiceExportFormat {
  return (invoiceExportFormats as readonly string[]).includes(value);
}

export interface InvoiceExport {
  content: Buffer;
  mediaType: string;
  /** A file name to offer for downloads: the number, or the id of a draft. */
  fileName: string;
}

function fileNameOf(invoice: Invoice, format: InvoiceExportFormat): string {
  const base = invoice.number === null ? `invoice-draft-${invoice.id}` : `invoice-${invoice.number}`;
  return format === 'pdf' ? `${base}.pdf` : format === 'csv' ? `${base}.csv` : `${base}-calls.csv`;
}

async function render(db: Sql, document: InvoiceDocument, format: InvoiceExportFormat): Promise<InvoiceExport> {
  const { invoice, customer } = document;
  const fileName = fileNameOf(invoice, format);
  if (format === 'csv') return { content: Buffer.from(invoiceCsv(invoice, customer), 'utf8'), mediaType: 'text/csv; charset=utf-8', fileName };
  if (format === 'calls-csv') return { content: Buffer.from(invoiceCallsCsv(invoice, customer, document.calls), 'utf8'), mediaType: 'text/csv; charset=utf-8', fileName };
  // The document names its logo by content hash; stored logos are never changed nor removed (migration 0013).
  const logo = document.provider?.logo ? await readProviderLogo(db, document.provider.logo.sha256) : undefined;
  const content = await invoicePdf({ invoice, customer, provider: document.provider ?? undefined, logo: logo?.content, issueDate: document.issueDate });
  return { content, mediaType: 'application/pdf', fileName };
}

/**
 * docs/billing-rules.md §8 "Export": an invoice as a PDF a customer can receive, as a CSV of its lines, or as a CSV of
 * its rated calls. An approved invoice is rendered from the document frozen at its approval only,
 * so every export gives the same bytes whatever changed since; drafts (their PDF says DRAFT) are
 * rendered from the data as it is now. Invoices approved before snapshots existed have none and are
 * rendered from live data, as they always were (ADR 0006).
 */
export async function exportInvoice(db: Sql, reference: string, format: InvoiceExportFormat): Promise<InvoiceExport> {
  const invoice = await showInvoice(db, reference);
  const id = invoice.id;
  const frozen = invoice.status === 'approved' ? await readFrozenDocument(db, id) : undefined;
  return render(db, frozen ?? (await liveInvoiceDocument(db, invoice, { calls: format === 'calls-csv' })), format);
}
