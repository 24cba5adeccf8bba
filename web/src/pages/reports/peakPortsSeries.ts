import type { PeakPortsReport } from '../../api/schemas';

export interface PeakPortsRow {
  /** Milliseconds since the epoch: the start of the step. */
  t: number;
  ports: number;
  /** [pool, peak] where the peak is above the pool, else [pool, pool]: the shaded overage band. */
  overage: [number, number];
}

/** The report's steps as chart rows, with a last row at the month's end so the last step is drawn to it. */
export function peakPortsRows(report: PeakPortsReport): PeakPortsRow[] {
  const pool = report.ports ?? 0;
  const row = (t: number, ports: number): PeakPortsRow => ({ t, ports, overage: [pool, Math.max(pool, ports)] });
  const rows = report.points.map((p) => row(Date.parse(p.at), p.ports));
  const last = report.points.at(-1);
  rows.push(row(Date.parse(report.to), last?.ports ?? 0));
  return rows;
}

/** The port-minutes above the pool: each step's ports over the pool times the minutes it lasts. */
export function overagePortMinutes(report: PeakPortsReport): number {
  if (report.ports === null) return 0;
  let total = 0;
  report.points.forEach((p, i) => {
    const end = Date.parse(report.points[i + 1]?.at ?? report.to);
    total += Math.max(0, p.ports - report.ports!) * Math.round((end - Date.parse(p.at)) / 60_000);
  });
  return total;
}

/** The minutes during which the peak was above the pool. */
export function minutesAbovePool(report: PeakPortsReport): number {
  if (report.ports === null) return 0;
  let total = 0;
  report.points.forEach((p, i) => {
    if (p.ports > report.ports!) total += Math.round((Date.parse(report.points[i + 1]?.at ?? report.to) - Date.parse(p.at)) / 60_000);
  });
  return total;
}

/** The instant (ms) of local midnight starting a day (YYYY-MM-DD) in a time zone. */
export function startOfDay(day: string, timeZone: string): number {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const offset = (t: number) => {
    const parts = Object.fromEntries(format.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) - t;
  };
  const wall = Date.parse(`${day}T00:00:00Z`);
  return wall - offset(wall - offset(wall));
}

export interface PeakDay {
  day: string;
  from: number;
  to: number;
  peak: number;
}

/** Each day of the month with its peak (days in the report's time zone). */
export function peakDays(report: PeakPortsReport, days: string[]): PeakDay[] {
  const monthEnd = Date.parse(report.to);
  return days.map((day, i) => {
    const from = startOfDay(day, report.timeZone);
    const to = i + 1 < days.length ? startOfDay(days[i + 1]!, report.timeZone) : monthEnd;
    let peak = 0;
    report.points.forEach((p, j) => {
      const start = Date.parse(p.at);
      const end = Date.parse(report.points[j + 1]?.at ?? report.to);
      if (start < to && end > from) peak = Math.max(peak, p.ports);
    });
    return { day, from, to, peak };
  });
}

/** The rows drawn between two instants: the step in force at the start, those inside, and one at the end. */
export function rowsBetween(rows: PeakPortsRow[], from: number, to: number): PeakPortsRow[] {
  const inside = rows.filter((r) => r.t > from && r.t < to);
  const before = [...rows].reverse().find((r) => r.t <= from) ?? rows[0]!;
  const after = [...rows].reverse().find((r) => r.t < to) ?? before;
  return [{ ...before, t: from }, ...inside, { ...after, t: to }];
}
