import { localDateOf } from '../domain/calendar.ts';
import { applicableCallRate } from '../domain/plan.ts';
import { listCustomers } from '../storage/customerStore.ts';
import type { Sql } from '../storage/database.ts';
import { invoiceCalls } from '../storage/invoiceCallsQuery.ts';
import type { RatedInvoiceCall } from '../domain/ratedInvoiceCall.ts';
import type { InvoiceDocument } from '../storage/invoiceSnapshotStore.ts';
import type { Approval } from '../storage/invoiceStore.ts';
import type { Invoice } from '../domain/invoice.ts';
import { loadPlanVersions } from '../storage/planStore.ts';
import { readSettings } from '../storage/settingsStore.ts';

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

// The invoice's dates are the customer's calendar dates, so its issue date is too.
function issueDateOf(invoice: Invoice, timeZone: string): string {
  const stamp = invoice.approvedAt ?? invoice.createdAt;
  return stamp ? localDateOf(Date.parse(stamp), timeZone) : invoice.to;
}

/**
 * What an invoice's documents show, read from the data as it is now: the provider block of the
 * settings, the customer's current name and billing details, the rated calls with their call rows.
 * Drafts are exported from this, and approval freezes it. `calls: false` leaves the calls out where
 * no document needs them.
 */
export async function liveInvoiceDocument(db: Sql, invoice: Invoice, options: { calls: boolean }): Promise<InvoiceDocument> {
  const [row] = await listCustomers(db, [invoice.customerId]);
  const customer = row ?? { id: invoice.customerId, name: invoice.customerId, timezone: null, billingAddress: null, email: null, taxId: null, customerReference: null };
  const settings = await readSettings(db);
  const timeZone = customer.timezone ?? settings.timezone;
  return {
    format: 2,
    invoice,
    customer,
    provider: settings.provider ?? null,
    timeZone,
    issueDate: issueDateOf(invoice, timeZone),
    calls: options.calls ? await ratedCalls(db, invoice.id) : [],
  };
}

/** The document of a draft as approved: its number, approval time and issue date set. */
export function approvedDocument(draft: InvoiceDocument, approval: Approval): InvoiceDocument {
  const invoice: Invoice = { ...draft.invoice, status: 'approved', number: approval.number, approvedAt: approval.approvedAt, approvedBy: approval.approvedBy };
  return { ...draft, invoice, issueDate: issueDateOf(invoice, draft.timeZone) };
}
