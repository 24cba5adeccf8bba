import type { CallItem } from '../domain/billingItem.ts';
import { BillingError } from '../domain/billingError.ts';
import { formatInstant } from '../domain/calendar.ts';
import { peakPortsPerMinute, portOccupancy } from '../domain/peakPorts.ts';
import { monthPortPool, monthWindow, peakPortsSeries } from '../domain/peakPortsSeries.ts';
import { itemsOfCustomer } from '../storage/billingItemStore.ts';
import type { Sql } from '../storage/database.ts';
import { loadPlanVersions } from '../storage/planStore.ts';
import { readSettings } from '../storage/settingsStore.ts';
import { knownCustomers } from './knownCustomers.ts';

/** The per-minute peak ports of a customer's month as a step series (docs/billing-rules.md §6.3, §9): what a chart draws. */
export interface PeakPortsReport {
  customerId: string;
  month: string;
  timeZone: string;
  /** The month's instants `[from, to)`: local midnights in the customer's time zone. */
  from: string;
  to: string;
  /** The month's port pool (the largest among its plans), or null when no plan of the month has one. */
  ports: number | null;
  /** Steps: from `at` on, until the next point (or `to`), the peak is `ports`. */
  points: { at: string; ports: number }[];
  peak: number;
}

/** docs/billing-rules.md §9: peak ports per minute of one customer and month, against the port pool, from its rated calls (invoiced or not). */
export async function peakPortsSeriesReport(db: Sql, customerId: string, month: string): Promise<PeakPortsReport> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new BillingError('invalid-argument', `The month "${month}" is not a month. Give it as YYYY-MM, such as 2026-10.`, { field: 'month', value: month });
  const customer = (await knownCustomers(db, [customerId]))[0]!;
  const timeZone = customer.timezone ?? (await readSettings(db)).timezone;
  const window = monthWindow(month, timeZone);
  const items = (await itemsOfCustomer(db, customerId)).map((s) => s.item);
  const occupancies = items
    .filter((i): i is CallItem => i.kind === 'call')
    .map(portOccupancy)
    .filter((o) => o.start < window.end && o.end > window.start);
  const series = peakPortsSeries(peakPortsPerMinute(occupancies), window);
  const versions = await loadPlanVersions(db, items.map((i) => ({ planId: i.planId, version: i.planVersion })));
  return {
    customerId,
    month,
    timeZone,
    from: formatInstant(window.start),
    to: formatInstant(window.end),
    ports: monthPortPool(items, month, (planId, version) => versions.get(`${planId}@${version}`)!),
    points: series.points.map((p) => ({ at: formatInstant(p.at), ports: p.ports })),
    peak: series.peak,
  };
}
