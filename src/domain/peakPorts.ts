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
 * instant of it. The starts and the ends are sorted apart (typed arrays: a numeric sort without a
 * comparator or an object per boundary; a month of one busy customer is millions of boundaries) and
 * merged in one sweep: O(n log n). Slots between boundaries repeat the running count, so they come out
 * as runs instead of one entry per minute.
 */
export function peakPortsPerMinute(occupancies: Iterable<PortOccupancy>): PeakRun[] {
  const list = Array.isArray(occupancies) ? (occupancies as readonly PortOccupancy[]) : [...occupancies];
  const allStarts = new Float64Array(list.length);
  const allEnds = new Float64Array(list.length);
  let n = 0;
  for (const o of list) {
    if (o.end <= o.start) continue;
    allStarts[n] = o.start;
    allEnds[n++] = o.end;
  }
  const starts = sortedTimes(allStarts.subarray(0, n));
  const ends = sortedTimes(allEnds.subarray(0, n));
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
  let i = 0; // next start
  let j = 0; // next end; every call ends after it starts, so the last boundary is an end
  while (j < n) {
    const t = i < n && starts[i]! < ends[j]! ? starts[i]! : ends[j]!;
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
    while (i < n && starts[i] === t) {
      count++;
      i++;
    }
    while (j < n && ends[j] === t) {
      count--;
      j++;
    }
    if (count > slotPeak) slotPeak = count;
  }
  if (!Number.isNaN(slot)) emit(slot * slotMs, 1, slotPeak);
  return runs;
}

/** Buckets of one slot's times at most this long are sorted by insertion, longer ones by the typed-array sort. */
const insertionSortMax = 48;

/**
 * `times` in ascending order. A typed array's own sort costs about half a microsecond a value, so
 * times within a span of slots not much longer than their number (a month of calls) are first
 * dealt into one bucket per slot (a counting sort) and then each bucket is sorted; sparse or
 * non-finite times take the typed array's sort.
 */
function sortedTimes(times: Float64Array): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < times.length; k++) {
    min = Math.min(min, times[k]!);
    max = Math.max(max, times[k]!);
  }
  if (times.length < 2 || !Number.isFinite(min) || !Number.isFinite(max)) return times.sort();
  const firstSlot = Math.floor(min / slotMs);
  const slots = Math.floor(max / slotMs) - firstSlot + 1;
  if (slots > 4 * times.length + 1024) return times.sort();
  const offsets = new Int32Array(slots + 1);
  for (let k = 0; k < times.length; k++) offsets[Math.floor(times[k]! / slotMs) - firstSlot + 1]!++;
  for (let b = 0; b < slots; b++) offsets[b + 1]! += offsets[b]!;
  const next = offsets.slice(0, slots);
  const sorted = new Float64Array(times.length);
  for (let k = 0; k < times.length; k++) {
    const t = times[k]!;
    sorted[next[Math.floor(t / slotMs) - firstSlot]!++] = t;
  }
  for (let b = 0; b < slots; b++) {
    const from = offsets[b]!;
    const to = offsets[b + 1]!;
    if (to - from > insertionSortMax) {
      sorted.subarray(from, to).sort();
      continue;
    }
    for (let k = from + 1; k < to; k++) {
      const t = sorted[k]!;
      let m = k - 1;
      while (m >= from && sorted[m]! > t) {
        sorted[m + 1] = sorted[m]!;
        m--;
      }
      sorted[m + 1] = t;
    }
  }
  return sorted;
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
