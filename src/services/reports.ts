import { formatInCurrency, roundToMinorUnit } from '../domain/currency.ts';
import { itemValue } from '../domain/itemValue.ts';
import { amountOf, formatExact, multiply } from '../domain/money.ts';
import { monthlyUsage, type UsageRow } from '../domain/monthlyUsage.ts';
import { assignmentOn } from '../domain/assignment.ts';
import { itemsOfCustomer, openItems } from '../storage/billingItemStore.ts';
import type { Database } from '../storage/database.ts';
import { listCustomerCustomElements, listCustomers } from '../storage/customerStore.ts';
import { listAssignments, loadPlanVersions } from '../storage/planStore.ts';
import { readSettings } from '../storage/settingsStore.ts';
import { untrackedCalls, type UntrackedCall } from '../storage/reportQueries.ts';

export type { UntrackedCall, UsageRow };

/** Spec §9: calls with no customer, an ambiguous match or no plan at their start, whatever their date. */
export async function untrackedReport(db: Database, filter: { from?: string; to?: string; source?: string } = {}): Promise<UntrackedCall[]> {
  return untrackedCalls(db, filter);
}

export interface NonInvoicedRow {
  customerId: string;
  date: string;
  kind: string;
  description: string;
  /** Null for a one-off charge dated where no plan is in force: it has no currency to be invoiced in. */
  currency: string | null;
  amount: string;
  invoiceable: boolean;
}

/**
 * Spec §9: every billable item in no invoice yet, valued on its own (rounded per row for display),
 * and the customers' one-off charges that no invoice can take (no plan on their date, spec §3).
 */
export async function nonInvoicedReport(db: Database, customerIds?: readonly string[]): Promise<NonInvoicedRow[]> {
  const items = await openItems(db, customerIds);
  const versions = await loadPlanVersions(db, items.map((i) => ({ planId: i.item.planId, version: i.item.planVersion })));
  const rows: NonInvoicedRow[] = items.map(({ item }) => {
    const value = itemValue(item, versions.get(`${item.planId}@${item.planVersion}`)!);
    return { customerId: item.customerId, date: item.date, kind: item.kind, description: value.description, currency: item.currency, amount: formatInCurrency(roundToMinorUnit(value.amount, item.currency), item.currency), invoiceable: true };
  });
  const ids = customerIds ?? (await listCustomers(db)).map((c) => c.id);
  const assignments = await listAssignments(db, ids);
  for (const element of await listCustomerCustomElements(db, ids)) {
    if (assignmentOn(assignments.filter((a) => a.customerId === element.customerId), element.date)) continue;
    rows.push({ customerId: element.customerId, date: element.date, kind: 'custom-element', description: `${element.name} (not invoiceable: no plan on its date)`, currency: null, amount: formatExact(multiply(amountOf(element.unitPrice), amountOf(element.quantity))), invoiceable: false });
  }
  return rows;
}

/** Spec §9: per customer and month, billed minutes by category and direction, pool and peak ports. */
export async function usageReport(db: Database, customerIds?: readonly string[]): Promise<UsageRow[]> {
  const settings = await readSettings(db);
  const rows: UsageRow[] = [];
  for (const c of await listCustomers(db, customerIds)) {
    const items = (await itemsOfCustomer(db, c.id)).map((s) => s.item);
    const versions = await loadPlanVersions(db, items.map((i) => ({ planId: i.planId, version: i.planVersion })));
    rows.push(...monthlyUsage(c.id, items, (planId, version) => versions.get(`${planId}@${version}`)!, c.timezone ?? settings.timezone));
  }
  return rows;
}
