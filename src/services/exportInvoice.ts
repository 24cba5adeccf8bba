import { BillingError } from '../domain/billingError.ts';
import { localDateOf } from '../domain/calendar.ts';
import { applicableCallRate } from '../domain/plan.ts';
import { invoiceCallsCsv, type RatedInvoiceCall } from '../export/invoiceCallsCsv.ts';
import { invoiceCsv } from '../export/invoiceCsv.ts';
import { invoicePdf } from '../export/invoicePdf.ts';
import type { CustomerRow } from '../storage/customerStore.ts';
import { listCustomers } from '../storage/customerStore.ts';
import type { Sql } from '../storage/database.ts';
import { invoiceCalls } from '../storage/invoiceCallsQuery.ts';
import { getInvoice, type Invoice } from '../storage/invoiceStore.ts';
import { loadPlanVersions } from '../storage/planStore.ts';
import { readSettings } from '../storage/settingsStore.ts';

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

/** Call items with the start-up charge and per-minute price of the plan version that rated them. */
async function ratedCalls(db: Sql, invoiceId: string): Promise<RatedInvoiceCall[]> {
  const calls = await invoiceCalls(db, invoiceId);
  const plans = await loadPlanVersions(db, calls.map((c) => ({ planId: c.planId, version: c.planVersion })));
  return calls.map((c) => {
    const plan = plans.get(`${c.planId}@${c.planVersion}`);
    const rate = c.rateFound && plan ? applicableCallRate(plan.callRates, c.category, c.direction) : undefined;
    return { ...c, startupCharge: rate?.startupCharge ?? null, perMinute: rate?.perMinute ?? null };
  });
}

/**
 * Spec §8 "Export": an invoice as a PDF a customer can receive, as a CSV of its lines, or as a CSV of
 * its rated calls. Drafts export too; their PDF says DRAFT.
 */
export async function exportInvoice(db: Sql, id: string, format: InvoiceExportFormat): Promise<InvoiceExport> {
  const invoice = await getInvoice(db, id);
  if (!invoice) throw new BillingError('not-found', `No invoice with id "${id}": see \`confbill invoice list\` for the ids.`);
  const [row] = await listCustomers(db, [invoice.customerId]);
  const customer: CustomerRow = row ?? { id: invoice.customerId, name: invoice.customerId, timezone: null };
  const fileName = fileNameOf(invoice, format);
  if (format === 'csv') return { content: Buffer.from(invoiceCsv(invoice, customer), 'utf8'), mediaType: 'text/csv; charset=utf-8', fileName };
  if (format === 'calls-csv') return { content: Buffer.from(invoiceCallsCsv(invoice, customer, await ratedCalls(db, id)), 'utf8'), mediaType: 'text/csv; charset=utf-8', fileName };
  const settings = await readSettings(db);
  // The invoice's dates are the customer's calendar dates, so its issue date is too.
  const stamp = invoice.approvedAt ?? invoice.createdAt;
  const issueDate = stamp ? localDateOf(Date.parse(stamp), customer.timezone ?? settings.timezone) : invoice.to;
  const content = await invoicePdf({ invoice, customer, provider: settings.provider, issueDate });
  return { content, mediaType: 'application/pdf', fileName };
}
