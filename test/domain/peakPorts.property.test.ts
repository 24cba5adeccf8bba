import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highestPeak, overagePortMinutes, peakPortsPerMinute, slotMs, type PeakRun, type PortOccupancy } from '../../src/domain/peakPorts.ts';

// docs/billing-rules.md §6.3: for each calendar-minute slot [t, t + 60 s), peak(t) = the highest number of calls
// occupying a port at any instant of the slot; at an instant where one call ends and another starts,
// the ending call no longer occupies its port.

const BASE = Date.parse('2026-10-05T10:00:00Z');
const THREE_HOURS_S = 3 * 3600;

/** Intervals with whole-second boundaries within 3 hours of BASE (zero-length ones included: they occupy nothing). */
const intervalArb: fc.Arbitrary<PortOccupancy> = fc
  .tuple(fc.integer({ min: 0, max: THREE_HOURS_S }), fc.integer({ min: 0, max: THREE_HOURS_S }))
  .map(([a, b]) => ({ start: BASE + Math.min(a, b) * 1000, end: BASE + Math.max(a, b) * 1000 }));

/** Mostly short intervals, so that they overlap often and slots have several boundaries. */
const shortIntervalArb: fc.Arbitrary<PortOccupancy> = fc
  .tuple(fc.integer({ min: 0, max: 40 * 60 }), fc.integer({ min: 1, max: 300 }))
  .map(([s, d]) => ({ start: BASE + s * 1000, end: BASE + Math.min(s + d, THREE_HOURS_S) * 1000 }));

const intervalsArb = fc.array(fc.oneof(intervalArb, shortIntervalArb, shortIntervalArb), { maxLength: 25 });

/** Intervals containing the instant x: start ≤ x < end. */
const occupiedAt = (intervals: readonly PortOccupancy[], x: number): number => intervals.filter((o) => o.start <= x && x < o.end).length;

/** Brute force: per slot, the max over the slot's start and every boundary inside it. Only slots with peak > 0. */
function bruteForcePeaks(intervals: readonly PortOccupancy[]): Map<number, number> {
  const peaks = new Map<number, number>();
  const live = intervals.filter((o) => o.end > o.start);
  if (live.length === 0) return peaks;
  const first = Math.floor(Math.min(...live.map((o) => o.start)) / slotMs) * slotMs;
  const last = Math.max(...live.map((o) => o.end));
  const boundaries = live.flatMap((o) => [o.start, o.end]);
  for (let slot = first; slot < last; slot += slotMs) {
    const instants = [slot, ...boundaries.filter((b) => b >= slot && b < slot + slotMs)];
    const peak = Math.max(...instants.map((x) => occupiedAt(live, x)));
    if (peak > 0) peaks.set(slot, peak);
  }
  return peaks;
}

/** The runs expanded to one entry per slot. */
function perSlot(runs: readonly PeakRun[]): Map<number, number> {
  const peaks = new Map<number, number>();
  for (const run of runs) for (let k = 0; k < run.slots; k++) peaks.set(run.slotStart + k * slotMs, run.peak);
  return peaks;
}

describe('peak ports per minute (docs/billing-rules.md §6.3)', () => {
  it('boundaries: back-to-back calls never count twice, a slot counts the highest instant', () => {
    const at = (hms: string): number => Date.parse(`2026-10-05T${hms}Z`);
    // A ends at 10:01:00 exactly when B starts: one port in slots 10:00 and 10:01.
    expect(perSlot(peakPortsPerMinute([{ start: at('10:00:00'), end: at('10:01:00') }, { start: at('10:01:00'), end: at('10:02:00') }]))).toEqual(new Map([[at('10:00:00'), 1], [at('10:01:00'), 1]]));
    // A ends at 10:00:30 and B starts at 10:00:30: still one port in the slot.
    expect(perSlot(peakPortsPerMinute([{ start: at('10:00:00'), end: at('10:00:30') }, { start: at('10:00:30'), end: at('10:01:00') }]))).toEqual(new Map([[at('10:00:00'), 1]]));
    // A and B never overlap in time but share the 10:00 slot, B starting a second after A ended.
    expect(perSlot(peakPortsPerMinute([{ start: at('10:00:00'), end: at('10:00:20') }, { start: at('10:00:21'), end: at('10:00:40') }]))).toEqual(new Map([[at('10:00:00'), 1]]));
    // B starts while A still runs: two ports in the slot although only for a second.
    expect(perSlot(peakPortsPerMinute([{ start: at('10:00:00'), end: at('10:00:21') }, { start: at('10:00:20'), end: at('10:00:40') }]))).toEqual(new Map([[at('10:00:00'), 2]]));
    // A long call covering slots without any boundary: they keep its count.
    expect(peakPortsPerMinute([{ start: at('10:00:30'), end: at('10:05:30') }])).toEqual([{ slotStart: at('10:00:00'), slots: 6, peak: 1 }]);
    expect(peakPortsPerMinute([])).toEqual([]);
    expect(peakPortsPerMinute([{ start: at('10:00:00'), end: at('10:00:00') }])).toEqual([]);
  });

  it('(a) equals a brute-force per-slot computation', () => {
    fc.assert(
      fc.property(intervalsArb, (intervals) => {
        const runs = peakPortsPerMinute(intervals);
        expect(perSlot(runs)).toEqual(bruteForcePeaks(intervals));
        // Runs are in order, never overlap, have peak > 0, and adjacent runs with one peak are merged.
        for (let i = 0; i < runs.length; i++) {
          expect(runs[i]!.peak).toBeGreaterThan(0);
          expect(runs[i]!.slots).toBeGreaterThan(0);
          expect(runs[i]!.slotStart % slotMs).toBe(0);
          if (i > 0) {
            const prevEnd = runs[i - 1]!.slotStart + runs[i - 1]!.slots * slotMs;
            expect(runs[i]!.slotStart).toBeGreaterThanOrEqual(prevEnd);
            if (runs[i]!.slotStart === prevEnd) expect(runs[i]!.peak).not.toBe(runs[i - 1]!.peak);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('(b) adding an interval never lowers any slot peak', () => {
    fc.assert(
      fc.property(intervalsArb, fc.oneof(intervalArb, shortIntervalArb), (intervals, extra) => {
        const before = perSlot(peakPortsPerMinute(intervals));
        const after = perSlot(peakPortsPerMinute([...intervals, extra]));
        for (const [slot, peak] of before) expect(after.get(slot) ?? 0).toBeGreaterThanOrEqual(peak);
        // It raises the peak by at most one, and only in slots it touches.
        for (const [slot, peak] of after) {
          const old = before.get(slot) ?? 0;
          expect(peak - old).toBeLessThanOrEqual(1);
          if (peak > old) expect(extra.start < slot + slotMs && extra.end > slot).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('(c) the order of the input does not change the result', () => {
    const withPermutation = intervalsArb.chain((intervals) =>
      fc.tuple(fc.constant(intervals), fc.shuffledSubarray(intervals, { minLength: intervals.length, maxLength: intervals.length })),
    );
    fc.assert(
      fc.property(withPermutation, ([intervals, shuffled]) => {
        const runs = peakPortsPerMinute(intervals);
        expect(peakPortsPerMinute(shuffled)).toEqual(runs);
        expect(peakPortsPerMinute([...intervals].reverse())).toEqual(runs);
      }),
      { numRuns: 200 },
    );
  });

  it('overage port-minutes and the highest peak equal brute-force sums over the slots of a window', () => {
    const windowArb = fc
      .tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 }))
      .filter(([a, b]) => a !== b)
      .map(([a, b]) => ({ start: BASE + Math.min(a, b) * slotMs, end: BASE + Math.max(a, b) * slotMs }));
    fc.assert(
      fc.property(intervalsArb, fc.integer({ min: 0, max: 4 }), fc.array(windowArb, { maxLength: 2 }), (intervals, ports, rawWindows) => {
        // Windows as covered days give them: minute-aligned, non-empty, disjoint, in order.
        const windows = rawWindows.sort((x, y) => x.start - y.start).filter((w, i, all) => i === 0 || w.start >= all[i - 1]!.end);
        const brute = bruteForcePeaks(intervals);
        const inWindow = (slot: number): boolean => windows.some((w) => slot >= w.start && slot + slotMs <= w.end);
        let expected = 0;
        let top = 0;
        for (const [slot, peak] of brute) {
          if (!inWindow(slot)) continue;
          expected += Math.max(0, peak - ports);
          top = Math.max(top, peak);
        }
        const runs = peakPortsPerMinute(intervals);
        expect(overagePortMinutes(runs, ports, windows)).toBe(expected);
        expect(highestPeak(runs, windows)).toBe(top);
      }),
      { numRuns: 200 },
    );
  });
});
