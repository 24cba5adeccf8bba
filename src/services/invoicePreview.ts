import { assignmentOn } from '../domain/assignment.ts';
import { BillingError } from '../domain/billingError.ts';
import type { BillingItemKind } from '../domain/billingItem.ts';
import { addDays, firstDayOfMonth, isValidLocalDate, localDateOf, monthOf, type LocalDate } from '../domain/calendar.ts';
import { sumInvoiceLines } from '../domain/computeInvoice.ts';
import type { InvoiceLine } from '../domain/invoiceLine.ts';
import { itemValue } from '../domain/itemValue.ts';
import { amountOf, formatExact, multiply, roundHalfUp } from '../domain/money.ts';
import type { Database } from '../storage/database.ts';
import { listCustomerCustomElements } from '../storage/customerStore.ts';
import { lastInvoiceEnds } from '../storage/invoiceStore.ts';
import { listAssignments, loadPlanVersions } from '../storage/planStore.ts';
import { readSettings } from '../storage/settingsStore.ts';
import { assertRange, computeDrafts, rateThrough } from './invoicing.ts';
import { knownCustomers } from './knownCustomers.ts';

/**
 * An open item behind a previewed invoice. Its value is shown to at most 6 decimals for reading; lines
 * are computed from the exact values and rounded once each, so items never add up to a line's rounding.
 */
export interface PreviewItem {
  date: LocalDate;
  kind: BillingItemKind;
  description: string;
  amount: string;
  /** Positions (from 1) of the lines the item counts in; empty when it makes no line (a call no rate applies to). */
  lines: number[];
}

/** A one-off charge dated where the customer has no plan: no currency, so no invoice can take it (docs/billing-rules.md §3). */
export interface NotInvoiceableCharge {
  date: LocalDate;
  name: string;
  amount: string;
}

/**
 * The invoice that generating now would make for one customer and currency: the same lines and total
 * (tax included) as `invoice generate` for the range, computed by the same code and stored nowhere.
 * A row with a null currency holds only the customer's charges that no invoice can take.
 */
export interface InvoicePreview {
  customerId: string;
  currency: string | null;
  from: LocalDate;
  to: LocalDate;
  lines: InvoiceLine[];
  /** Sum of the lines before tax. */
  subtotal: string | null;
  /** The tax line's amount; null when there is no tax. */
  tax: string | null;
  total: string | null;
  /** The open items the invoice would take (on request). */
  items?: PreviewItem[];
  notInvoiceable?: NotInvoiceableCharge[];
}

export interface PreviewRequest {
  customerIds?: readonly string[];
  /** Default: where the customer's last invoice ends, else the first day of the current month. */
  from?: LocalDate;
  /** Default: tomorrow in the customer's time zone, so that everything up to today is in. */
  to?: LocalDate;
  now: Date;
  items?: boolean;
}

/**
 * The non-invoiced items (docs/billing-rules.md §9) as the preview of the next invoices: per
 * customer and currency, what `invoice generate` with the same range would produce now. The
 * settlement delay is not applied: a preview may look at a period that cannot be invoiced yet.
 */
export async function previewInvoices(db: Database, request: PreviewRequest): Promise<InvoicePreview[]> {
  for (const [field, value] of [['from', request.from], ['to', request.to]] as const) {
    if (value !== undefined && !isValidLocalDate(value)) throw new BillingError('invalid-argument', `The ${field === 'from' ? 'start' : 'end'} date "${value}" is not a date YYYY-MM-DD.`, { field, value });
  }
  if (request.from !== undefined && request.to !== undefined) assertRange(request.from, request.to);
  const settings = await readSettings(db);
  const customers = await knownCustomers(db, request.customerIds);
  const ranges = new Map<string, { from: LocalDate; to: LocalDate }>();
  const lastEnds = await lastInvoiceEnds(db, customers.map((c) => c.id));
  for (const c of customers) {
    const today = localDateOf(request.now.getTime(), c.timezone ?? settings.timezone);
    const to = request.to ?? addDays(today, 1);
    let from = request.from ?? lastEnds.get(c.id) ?? firstDayOfMonth(monthOf(today));
    if (from >= to) from = addDays(to, -1);
    ranges.set(c.id, { from, to });
  }
  const byEnd = new Map<LocalDate, string[]>();
  for (const [id, range] of ranges) byEnd.set(range.to, [...(byEnd.get(range.to) ?? []), id]);
  for (const [to, ids] of byEnd) await rateThrough(db, ids, to, request.now);
  const assignments = await listAssignments(db, customers.map((c) => c.id));
  const oneOffs = await listCustomerCustomElements(db, customers.map((c) => c.id));

  const previews: InvoicePreview[] = [];
  for (const c of customers) {
    const { from, to } = ranges.get(c.id)!;
    // One snapshot for every read, as generation reads the items; read only and without row locks, so a
    // preview neither waits for a generation nor writes (a lock takes a transaction id and a WAL flush at commit).
    const drafts = await db.transaction(async (tx) => {
      await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      // Without the items, the calls of plans without a port pool are summed by the database, as generation sums them.
      return computeDrafts(tx, { customerId: c.id, timeZone: c.timezone ?? settings.timezone, from, to, taxRatePercent: settings.taxRatePercent, sumCalls: !request.items });
    });
    const versions = request.items ? await loadPlanVersions(db, drafts.flatMap((d) => d.taken.map((t) => ({ planId: t.item.planId, version: t.item.planVersion })))) : undefined;
    for (const { currency, computation, taken } of drafts) {
      const taxed = computation.lines.filter((l) => l.kind !== 'tax');
      const tax = computation.lines.find((l) => l.kind === 'tax');
      const preview: InvoicePreview = { customerId: c.id, currency, from, to, lines: computation.lines, subtotal: sumInvoiceLines(taxed, currency), tax: tax?.amount ?? null, total: computation.total };
      if (versions) {
        const positions = new Map<object, number[]>();
        computation.lineItems.forEach((items, index) => {
          for (const item of items) positions.set(item, [...(positions.get(item) ?? []), index + 1]);
        });
        preview.items = taken.map(({ item }) => {
          const value = itemValue(item, versions.get(`${item.planId}@${item.planVersion}`)!);
          return { date: item.date, kind: item.kind, description: value.description, amount: formatExact(roundHalfUp(value.amount, 6)), lines: positions.get(item) ?? [] };
        });
      }
      previews.push(preview);
    }
    const own = assignments.filter((a) => a.customerId === c.id);
    const stranded = oneOffs.filter((e) => e.customerId === c.id && !assignmentOn(own, e.date));
    if (stranded.length) {
      previews.push({
        customerId: c.id, currency: null, from, to, lines: [], subtotal: null, tax: null, total: null,
        notInvoiceable: stranded.map((e) => ({ date: e.date, name: e.name, amount: formatExact(multiply(amountOf(e.unitPrice), amountOf(e.quantity))) })),
      });
    }
  }

  return previews;
}
