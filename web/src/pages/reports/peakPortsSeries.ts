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
