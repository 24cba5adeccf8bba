import type { BillingItem, CallItem, PlanDayItem } from './billingItem.ts';
import { daysInMonth, firstDayOfMonth, monthOf, nextMonth, startOfLocalDate } from './calendar.ts';
import { overageMinutes, proratedPoolMinutes, usedPoolMinutes } from './includedMinutesPool.ts';
import { highestPeak, peakPortsPerMinute, portOccupancy } from './peakPorts.ts';
import type { PlanDefinition } from './plan.ts';

/** One row of the usage report (docs/billing-rules.md §9). */
export interface UsageRow {
  customerId: string;
  month: string;
  calls: number;
  billedMinutes: number;
  byCategoryDirection: { category: string; direction: string; calls: number; billedMinutes: number }[];
  /** The month's prorated included-minutes pool (docs/billing-rules.md §5), or null without one. */
  poolMinutes: number | null;
  /** Billed minutes of calls under an included-minutes plan counted against its pool: min(used, pool) per plan (docs/billing-rules.md §6.2); null without a pool. */
  poolUsedMinutes: number | null;
  /** Minutes over the pool, max(0, used − pool) per plan (docs/billing-rules.md §6.2): what the invoice charges as overage; null without a pool. */
  overageMinutes: number | null;
  /** Highest per-minute peak of ports in use in the month (docs/billing-rules.md §6.3). */
  peakPorts: number;
  ports: number | null;
}

/** docs/billing-rules.md §9 usage per month, from all of a customer's items (invoiced or not). */
export function monthlyUsage(customerId: string, items: readonly BillingItem[], planVersion: (planId: string, version: number) => PlanDefinition, timeZone: string): UsageRow[] {
  const allCalls = items.filter((i): i is CallItem => i.kind === 'call');
  const runs = peakPortsPerMinute(allCalls.map(portOccupancy));
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
    const pool = poolUsage(month, days, calls, planVersion);
    const ports = definitions.flatMap((d) => (d.portPool ? [d.portPool.ports] : []));
    const window = [{ start: startOfLocalDate(firstDayOfMonth(month), timeZone), end: startOfLocalDate(firstDayOfMonth(nextMonth(month)), timeZone) }];
    return {
      customerId,
      month,
      calls: calls.length,
      billedMinutes: calls.reduce((m, i) => m + i.billedMinutes, 0),
      byCategoryDirection: [...groups.values()].sort((a, b) => b.billedMinutes - a.billedMinutes),
      poolMinutes: pool?.poolMinutes ?? null,
      poolUsedMinutes: pool?.usedMinutes ?? null,
      overageMinutes: pool?.overageMinutes ?? null,
      peakPorts: highestPeak(runs, window),
      ports: ports.length ? Math.max(...ports) : null,
    };
  });
}

/**
 * docs/billing-rules.md §6.2 per included-minutes plan of the month, as the invoice settles it: the pool prorated over
 * the plan's days (per plan version), the billed minutes of the calls under the plan, how many of them
 * the pool covers and how many are overage. Summed over the month's plans; undefined when none has a pool.
 */
function poolUsage(month: string, days: readonly PlanDayItem[], calls: readonly CallItem[], planVersion: (planId: string, version: number) => PlanDefinition): { poolMinutes: number; usedMinutes: number; overageMinutes: number } | undefined {
  const planIds = [...new Set([...days, ...calls].map((i) => i.planId))].sort();
  let result: { poolMinutes: number; usedMinutes: number; overageMinutes: number } | undefined;
  for (const planId of planIds) {
    const planDays = days.filter((d) => d.planId === planId);
    const planCalls = calls.filter((c) => c.planId === planId);
    const newest = (planDays.length ? planDays : planCalls).reduce((v, i) => Math.max(v, i.planVersion), 0);
    if (!planVersion(planId, newest).includedMinutes) continue;
    const dayCounts = new Map<number, number>();
    for (const d of planDays) dayCounts.set(d.planVersion, (dayCounts.get(d.planVersion) ?? 0) + 1);
    const pool = proratedPoolMinutes([...dayCounts].map(([version, days]) => ({ minutesPerMonth: planVersion(planId, version).includedMinutes?.minutesPerMonth ?? 0, days })), daysInMonth(month));
    const used = usedPoolMinutes(planCalls);
    const overage = overageMinutes(used, pool);
    result = { poolMinutes: (result?.poolMinutes ?? 0) + pool, usedMinutes: (result?.usedMinutes ?? 0) + used - overage, overageMinutes: (result?.overageMinutes ?? 0) + overage };
  }
  return result;
}
