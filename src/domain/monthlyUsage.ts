import type { BillingItem, CallItem, PlanDayItem } from './billingItem.ts';
import { daysInMonth, firstDayOfMonth, monthOf, nextMonth, startOfLocalDate } from './calendar.ts';
import { amountOf, prorate, roundHalfUpToInteger, sumAmounts } from './money.ts';
import { highestPeak, peakPortsPerMinute } from './peakPorts.ts';
import type { PlanDefinition } from './plan.ts';

/** One row of the usage report (spec §9). */
export interface UsageRow {
  customerId: string;
  month: string;
  calls: number;
  billedMinutes: number;
  byCategoryDirection: { category: string; direction: string; calls: number; billedMinutes: number }[];
  /** The month's prorated included-minutes pool (spec §5), or null without one. */
  poolMinutes: number | null;
  /** Highest per-minute peak of ports in use in the month (spec §6.3). */
  peakPorts: number;
  ports: number | null;
}

/** Spec §9 usage per month, from all of a customer's items (invoiced or not). */
export function monthlyUsage(customerId: string, items: readonly BillingItem[], planVersion: (planId: string, version: number) => PlanDefinition, timeZone: string): UsageRow[] {
  const allCalls = items.filter((i): i is CallItem => i.kind === 'call');
  const runs = peakPortsPerMinute(allCalls.map((i) => ({ start: i.startedAt, end: i.startedAt + i.billedMinutes * 60_000 })));
  const months = [...new Set(items.map((i) => monthOf(i.date)))].sort();
  return months.map((month) => {
    const calls = allCalls.filter((i) => monthOf(i.date) === month);
    const days = items.filter((i): i is PlanDayItem => i.kind === 'plan-day' && monthOf(i.date) === month);
    const groups = new Map<string, { category: string; direction: string; calls: number; billedMinutes: number }>();
    for (const call of calls) {
      const key = `${call.category} ${call.direction}`;
      const g = groups.get(key) ?? { category: call.category, direction: call.direction, calls: 0, billedMinutes: 0 };
      g.calls++;
      g.billedMinutes += call.billedMinutes;
      groups.set(key, g);
    }
    const definitions = days.map((d) => planVersion(d.planId, d.planVersion));
    const pools = definitions.flatMap((d) => (d.includedMinutes ? [d.includedMinutes.minutesPerMonth] : []));
    const ports = definitions.flatMap((d) => (d.portPool ? [d.portPool.ports] : []));
    const window = [{ start: startOfLocalDate(firstDayOfMonth(month), timeZone), end: startOfLocalDate(firstDayOfMonth(nextMonth(month)), timeZone) }];
    return {
      customerId,
      month,
      calls: calls.length,
      billedMinutes: calls.reduce((m, i) => m + i.billedMinutes, 0),
      byCategoryDirection: [...groups.values()].sort((a, b) => b.billedMinutes - a.billedMinutes),
      poolMinutes: pools.length ? roundHalfUpToInteger(sumAmounts(pools.map((p) => prorate(amountOf(String(p)), 1, daysInMonth(month))))) : null,
      peakPorts: highestPeak(runs, window),
      ports: ports.length ? Math.max(...ports) : null,
    };
  });
}
