import { daysInMonth, monthOf, startOfLocalDate, firstDayOfMonth, nextMonth } from '../domain/calendar.ts';
import { formatInCurrency, roundToMinorUnit } from '../domain/currency.ts';
import { itemValue } from '../domain/itemValue.ts';
import { amountOf, formatExact, multiply, prorate, roundHalfUpToInteger, sumAmounts } from '../domain/money.ts';
import { assignmentOn } from '../domain/assignment.ts';
import { highestPeak, peakPortsPerMinute } from '../domain/peakPorts.ts';
import type { CallItem } from '../domain/billingItem.ts';
import { itemsOfCustomer, openItems } from '../storage/billingItemStore.ts';
import type { Database } from '../storage/database.ts';
import { listCustomerCustomElements, listCustomers } from '../storage/customerStore.ts';
import { listAssignments, loadPlanVersions } from '../storage/planStore.ts';
import { readSettings } from '../storage/settingsStore.ts';
import { untrackedCalls, type UntrackedCall } from '../storage/reportQueries.ts';

export type { UntrackedCall };

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

export interface UsageRow {
  customerId: string;
  month: string;
  calls: number;
  billedMinutes: number;
  byCategoryDirection: { category: string; direction: string; calls: number; billedMinutes: number }[];
  poolMinutes: number | null;
  peakPorts: number;
  ports: number | null;
}

/** Spec §9: per customer and month, billed minutes by category and direction, pool and peak ports. */
export async function usageReport(db: Database, customerIds?: readonly string[]): Promise<UsageRow[]> {
  const settings = await readSettings(db);
  const customers = await listCustomers(db, customerIds);
  const rows: UsageRow[] = [];
  for (const c of customers) {
    const tz = c.timezone ?? settings.timezone;
    const items = (await itemsOfCustomer(db, c.id)).map((s) => s.item);
    const versions = await loadPlanVersions(db, items.map((i) => ({ planId: i.planId, version: i.planVersion })));
    const months = [...new Set(items.map((i) => monthOf(i.date)))].sort();
    for (const month of months) {
      const calls = items.filter((i): i is CallItem => i.kind === 'call' && monthOf(i.date) === month);
      const days = items.filter((i) => i.kind === 'plan-day' && monthOf(i.date) === month);
      const groups = new Map<string, { category: string; direction: string; calls: number; billedMinutes: number }>();
      for (const call of calls) {
        const key = `${call.category} ${call.direction}`;
        const g = groups.get(key) ?? { category: call.category, direction: call.direction, calls: 0, billedMinutes: 0 };
        g.calls++;
        g.billedMinutes += call.billedMinutes;
        groups.set(key, g);
      }
      const poolDays = days.filter((d) => versions.get(`${d.planId}@${d.planVersion}`)?.includedMinutes);
      const poolMinutes = poolDays.length
        ? roundHalfUpToInteger(sumAmounts(poolDays.map((d) => prorate(amountOf(String(versions.get(`${d.planId}@${d.planVersion}`)!.includedMinutes!.minutesPerMonth)), 1, daysInMonth(month)))))
        : null;
      const portDefs = days.map((d) => versions.get(`${d.planId}@${d.planVersion}`)?.portPool).filter((p) => p);
      const window = [{ start: startOfLocalDate(firstDayOfMonth(month), tz), end: startOfLocalDate(firstDayOfMonth(nextMonth(month)), tz) }];
      const peak = highestPeak(peakPortsPerMinute(items.filter((i): i is CallItem => i.kind === 'call').map((i) => ({ start: i.startedAt, end: i.startedAt + i.billedMinutes * 60_000 }))), window);
      rows.push({
        customerId: c.id,
        month,
        calls: calls.length,
        billedMinutes: calls.reduce((m, i) => m + i.billedMinutes, 0),
        byCategoryDirection: [...groups.values()].sort((a, b) => b.billedMinutes - a.billedMinutes),
        poolMinutes,
        peakPorts: peak,
        ports: portDefs.length ? Math.max(...portDefs.map((p) => p!.ports)) : null,
      });
    }
  }
  return rows;
}
