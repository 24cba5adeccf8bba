import type { BillingItem, PlanDayItem } from './billingItem.ts';
import { addDays, datesOf, firstDayOfMonth, monthOf, nextMonth, startOfLocalDate, type EpochMs, type LocalDate, type YearMonth } from './calendar.ts';
import { slotMs, type InstantWindow, type PeakRun } from './peakPorts.ts';
import type { PlanDefinition } from './plan.ts';

/** One step of a chart series: from `at` on (until the next point, or the window's end) the peak is `ports`. */
export interface SeriesPoint {
  at: EpochMs;
  ports: number;
}

export interface PeakPortsSeries {
  /** Steps in time order: the first at the window's first slot, then one wherever the value changes (drops to 0 too). */
  points: SeriesPoint[];
  /** The highest per-minute peak in the window (0 when none). */
  peak: number;
}

/** The instants of a calendar month in a time zone: `[local midnight of the 1st, local midnight of the next 1st)`. */
export function monthWindow(month: YearMonth, timeZone: string): InstantWindow {
  return { start: startOfLocalDate(firstDayOfMonth(month), timeZone), end: startOfLocalDate(firstDayOfMonth(nextMonth(month)), timeZone) };
}

/**
 * docs/billing-rules.md §6.3 / §9: the per-minute peak ports of `runs` (from `peakPortsPerMinute`) within a window, as
 * a step series that a chart can draw: the slots that lie in the window count (as for overage, `overagePortMinutes`); the first point is
 * at the window's first slot (0 when no call occupies a port then), and a point follows wherever the
 * value changes, including drops to 0. `runs` must be in time order and not overlap (as they come).
 */
export function peakPortsSeries(runs: readonly PeakRun[], window: InstantWindow): PeakPortsSeries {
  const start = Math.ceil(window.start / slotMs) * slotMs;
  const end = Math.floor(window.end / slotMs) * slotMs;
  const points: SeriesPoint[] = [];
  let peak = 0;
  if (end <= start) return { points, peak };
  const step = (at: EpochMs, ports: number): void => {
    if (points.length && points[points.length - 1]!.ports === ports) return;
    points.push({ at, ports });
  };
  let cursor = start;
  for (const run of runs) {
    const from = Math.max(run.slotStart, start);
    const to = Math.min(run.slotStart + run.slots * slotMs, end);
    if (to <= from) continue;
    if (from > cursor) step(cursor, 0);
    step(from, run.peak);
    if (run.peak > peak) peak = run.peak;
    cursor = to;
  }
  if (cursor < end) step(cursor, 0);
  return { points, peak };
}

/** The port pool of a month: the largest pool among the plans in force on its days, or null when none has one. */
export function monthPortPool(items: readonly BillingItem[], month: YearMonth, planVersion: (planId: string, version: number) => PlanDefinition): number | null {
  const ports = items
    .filter((i): i is PlanDayItem => i.kind === 'plan-day' && monthOf(i.date) === month)
    .flatMap((d) => {
      const pool = planVersion(d.planId, d.planVersion).portPool;
      return pool ? [pool.ports] : [];
    });
  return ports.length ? Math.max(...ports) : null;
}

/** The highest value of each local hour of each day of a month (23 or 25 hours on DST days): for a text chart. */
export interface DayHours {
  date: LocalDate;
  hours: number[];
}

/**
 * Maxima of a step series per local hour, day by day over the month (customer's time zone). An hour
 * is `[local midnight + k h, local midnight + (k + 1) h)`, the last one cut at the next midnight.
 */
export function hourlyPeaks(series: readonly SeriesPoint[], month: YearMonth, timeZone: string): DayHours[] {
  const window = monthWindow(month, timeZone);
  const days: DayHours[] = [];
  const buckets: { start: EpochMs; end: EpochMs; day: number; hour: number }[] = [];
  for (const date of datesOf(firstDayOfMonth(month), firstDayOfMonth(nextMonth(month)))) {
    const dayStart = startOfLocalDate(date, timeZone);
    const dayEnd = startOfLocalDate(addDays(date, 1), timeZone);
    const hours: number[] = [];
    for (let t = dayStart; t < dayEnd; t += 3_600_000) {
      buckets.push({ start: t, end: Math.min(t + 3_600_000, dayEnd), day: days.length, hour: hours.length });
      hours.push(0);
    }
    days.push({ date, hours });
  }
  let b = 0;
  series.forEach((point, i) => {
    const stepEnd = i + 1 < series.length ? series[i + 1]!.at : window.end;
    if (point.ports <= 0) return;
    while (b < buckets.length && buckets[b]!.end <= point.at) b++;
    for (let k = b; k < buckets.length && buckets[k]!.start < stepEnd; k++) {
      const bucket = buckets[k]!;
      const hours = days[bucket.day]!.hours;
      if (point.ports > hours[bucket.hour]!) hours[bucket.hour] = point.ports;
    }
  });
  return days;
}
