import type { EpochMs } from './calendar.ts';

export const slotMs = 60_000;

/** A billable call's port occupancy `[start, end)`: its start and billed minutes × 60 s (docs/billing-rules.md §6.3). */
export interface PortOccupancy {
  start: EpochMs;
  end: EpochMs;
}

/**
 * docs/billing-rules.md §6.3: how long a rated call occupies a port, `[startedAt, startedAt + billed minutes × 60 s)`.
 * The one home of this rule: the invoice's port overage, the usage report's peak and the peak-ports
 * series all take a call's occupancy from here, so they can never count a call differently.
 */
export function portOccupancy(call: { startedAt: EpochMs; billedMinutes: number }): PortOccupancy {
  return { start: call.startedAt, end: call.startedAt + call.billedMinutes * slotMs };
}

/** Consecutive calendar-minute slots `[slotStart, slotStart + slots × 60 s)` sharing one peak (> 0). */
export interface PeakRun {
  slotStart: EpochMs;
  slots: number;
  peak: number;
}

/** A window of instants `[start, end)` whose slots are counted (the covered days of a month). */
export interface InstantWindow {
  start: EpochMs;
  end: EpochMs;
}

/**
 * docs/billing-rules.md §6.3: for every calendar-minute slot, the highest number of calls occupying a port at any
 * instant of it. One sort of the 2n boundaries and one sweep: O(n log n). Slots between boundaries
 * repeat the running count, so they come out as runs instead of one entry per minute.
 */
export function peakPortsPerMinute(occupancies: Iterable<PortOccupancy>): PeakRun[] {
  const times: number[] = [];
  const deltas: number[] = [];
  for (const o of occupancies) {
    if (o.end <= o.start) continue;
    times.push(o.start, o.end);
    deltas.push(1, -1);
  }
  const order = Array.from(times.keys()).sort((a, b) => times[a]! - times[b]!);
  const runs: PeakRun[] = [];
  const emit = (slotStart: number, slots: number, peak: number): void => {
    if (peak <= 0 || slots <= 0) return;
    const last = runs[runs.length - 1];
    if (last && last.peak === peak && last.slotStart + last.slots * slotMs === slotStart) last.slots += slots;
    else runs.push({ slotStart, slots, peak });
  };
  let count = 0;
  let slot = Number.NaN; // index of the slot being accumulated
  let slotPeak = 0;
  for (let i = 0; i < order.length; ) {
    const t = times[order[i]!]!;
    const s = Math.floor(t / slotMs);
    if (s !== slot) {
      if (!Number.isNaN(slot)) {
        emit(slot * slotMs, 1, slotPeak);
        emit((slot + 1) * slotMs, s - slot - 1, count);
      }
      slot = s;
      // The count in force from the slot's start until t; at t itself only the count after t counts.
      slotPeak = t === s * slotMs ? 0 : count;
    }
    // All boundaries at one instant apply together: an ending call frees its port for a starting one.
    while (i < order.length && times[order[i]!] === t) count += deltas[order[i++]!]!;
    if (count > slotPeak) slotPeak = count;
  }
  if (!Number.isNaN(slot)) emit(slot * slotMs, 1, slotPeak);
  return runs;
}

/** Σ max(0, peak − ports) over the slots of `runs` that lie in `windows` (docs/billing-rules.md §6.3 overage port-minutes). */
export function overagePortMinutes(runs: readonly PeakRun[], ports: number, windows: readonly InstantWindow[]): number {
  let total = 0;
  for (const run of runs) {
    const excess = run.peak - ports;
    if (excess <= 0) continue;
    const runEnd = run.slotStart + run.slots * slotMs;
    for (const w of windows) {
      const start = Math.max(run.slotStart, Math.ceil(w.start / slotMs) * slotMs);
      const end = Math.min(runEnd, Math.floor(w.end / slotMs) * slotMs);
      if (end > start) total += excess * ((end - start) / slotMs);
    }
  }
  return total;
}

/** The highest peak among runs within the windows (0 when none): the usage report's "peak ports". */
export function highestPeak(runs: readonly PeakRun[], windows: readonly InstantWindow[]): number {
  let peak = 0;
  for (const run of runs) {
    const runEnd = run.slotStart + run.slots * slotMs;
    if (run.peak > peak && windows.some((w) => w.start < runEnd && w.end > run.slotStart)) peak = run.peak;
  }
  return peak;
}
