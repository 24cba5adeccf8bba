import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlanDayItem } from '../../src/domain/billingItem.ts';
import { peakPortsPerMinute, slotMs, type PortOccupancy } from '../../src/domain/peakPorts.ts';
import { hourlyPeaks, monthPortPool, monthWindow, peakPortsSeries, type SeriesPoint } from '../../src/domain/peakPortsSeries.ts';
import { builtInPlanTemplates, type PlanDefinition } from '../../src/domain/plan.ts';

const t = (iso: string): number => Date.parse(iso);
const call = (start: string, seconds: number): PortOccupancy => ({ start: t(start), end: t(start) + Math.ceil(seconds / 60) * 60_000 });
const iso = (points: readonly SeriesPoint[]) => points.map((p) => [new Date(p.at).toISOString().slice(0, 16), p.ports]);
const utcDay = { start: t('2026-10-05T00:00:00Z'), end: t('2026-10-06T00:00:00Z') };

describe('peak ports as a chart series (docs/billing-rules.md §6.3, §9)', () => {
  it('steps where the value changes, drops to 0 included (spec example 4)', () => {
    const runs = peakPortsPerMinute([call('2026-10-05T10:00:00Z', 300), call('2026-10-05T10:00:00Z', 300), call('2026-10-05T10:02:00Z', 120), call('2026-10-05T10:03:30Z', 30)]);
    const series = peakPortsSeries(runs, utcDay);
    expect(iso(series.points)).toEqual([
      ['2026-10-05T00:00', 0],
      ['2026-10-05T10:00', 2],
      ['2026-10-05T10:02', 3],
      ['2026-10-05T10:03', 4],
      ['2026-10-05T10:04', 3],
      ['2026-10-05T10:05', 0],
    ]);
    expect(series.peak).toBe(4);
  });

  it('starts with the value at the window start and gives one point per gap between separate calls', () => {
    const runs = peakPortsPerMinute([call('2026-10-05T00:00:00Z', 120), call('2026-10-05T00:05:00Z', 60), call('2026-10-05T00:06:00Z', 60)]);
    // The third call starts as the second ends: one port throughout 00:05-00:07, a single step.
    expect(iso(peakPortsSeries(runs, utcDay).points)).toEqual([
      ['2026-10-05T00:00', 1],
      ['2026-10-05T00:02', 0],
      ['2026-10-05T00:05', 1],
      ['2026-10-05T00:07', 0],
    ]);
  });

  it('clips runs to the window: calls of the day before still count from the first slot, nothing after the end', () => {
    const runs = peakPortsPerMinute([call('2026-10-04T23:58:00Z', 300), call('2026-10-05T23:58:00Z', 300), call('2026-10-06T00:01:00Z', 60), call('2026-10-06T00:01:00Z', 60), call('2026-10-06T00:01:00Z', 60)]);
    const series = peakPortsSeries(runs, utcDay);
    expect(iso(series.points)).toEqual([
      ['2026-10-05T00:00', 1],
      ['2026-10-05T00:03', 0],
      ['2026-10-05T23:58', 1], // lasts to the window's end; no point after it
    ]);
    expect(series.peak).toBe(1); // the 3 ports of 00:01 on the next day are outside
  });

  it('gives one 0 point for a window without calls, and nothing for an empty window', () => {
    expect(peakPortsSeries([], utcDay)).toEqual({ points: [{ at: utcDay.start, ports: 0 }], peak: 0 });
    expect(peakPortsSeries([], { start: utcDay.start, end: utcDay.start })).toEqual({ points: [], peak: 0 });
  });

  it('in a DST month in Europe/Oslo: the month is 745 hours, the 25-hour day has two 02 hours', () => {
    const window = monthWindow('2026-10', 'Europe/Oslo');
    expect(new Date(window.start).toISOString()).toBe('2026-09-30T22:00:00.000Z');
    expect(new Date(window.end).toISOString()).toBe('2026-10-31T23:00:00.000Z');
    expect((window.end - window.start) / 3_600_000).toBe(31 * 24 + 1);
    const runs = peakPortsPerMinute([
      call('2026-09-30T21:58:00Z', 300), // 23:58 CEST on Sep 30: clipped at Oslo midnight
      call('2026-10-25T00:30:00Z', 600), // 02:30 CEST
      call('2026-10-25T01:30:00Z', 600), // 02:30 CET, an hour later
      call('2026-10-25T01:35:00Z', 120),
      call('2026-10-31T22:58:00Z', 300), // 23:58 CET on Oct 31: until the window's end
    ]);
    const series = peakPortsSeries(runs, window);
    expect(iso(series.points)).toEqual([
      ['2026-09-30T22:00', 1],
      ['2026-09-30T22:03', 0],
      ['2026-10-25T00:30', 1],
      ['2026-10-25T00:40', 0],
      ['2026-10-25T01:30', 1],
      ['2026-10-25T01:35', 2],
      ['2026-10-25T01:37', 1],
      ['2026-10-25T01:40', 0],
      ['2026-10-31T22:58', 1],
    ]);
    expect(series.peak).toBe(2);

    const days = hourlyPeaks(series.points, '2026-10', 'Europe/Oslo');
    expect(days).toHaveLength(31);
    expect(days[0]).toEqual({ date: '2026-10-01', hours: [1, ...Array(23).fill(0)] });
    expect(days[24]!.date).toBe('2026-10-25');
    expect(days[24]!.hours).toEqual([0, 0, 1, 2, ...Array(21).fill(0)]); // 00, 01, 02 CEST, 02 CET, 03 … 23
    expect(days[30]!.hours).toEqual([...Array(23).fill(0), 1]);
    expect(days.filter((d) => d.hours.length !== 24).map((d) => [d.date, d.hours.length])).toEqual([['2026-10-25', 25]]);
    // March: the 23-hour day.
    expect(hourlyPeaks([], '2026-03', 'Europe/Oslo').filter((d) => d.hours.length !== 24).map((d) => [d.date, d.hours.length])).toEqual([['2026-03-29', 23]]);
  });

  it('the month port pool is the largest pool of the plans on its days, or null', () => {
    const plans: Record<string, PlanDefinition> = {
      small: { ...builtInPlanTemplates['concurrent-calls'], portPool: { ports: 2, overagePerPortMinute: '0.10' } },
      big: { ...builtInPlanTemplates['concurrent-calls'], portPool: { ports: 5, overagePerPortMinute: '0.10' } },
      none: builtInPlanTemplates['pay-as-you-go'],
    };
    const day = (planId: string, date: string): PlanDayItem => ({ kind: 'plan-day', key: `plan-day:${date}`, customerId: 'c', date, currency: 'EUR', planId, planVersion: 1, assignmentId: planId });
    const version = (planId: string) => plans[planId]!;
    expect(monthPortPool([day('small', '2026-10-01'), day('big', '2026-10-20'), day('big', '2026-11-01')], '2026-10', version)).toBe(5);
    expect(monthPortPool([day('small', '2026-10-01'), day('big', '2026-11-01')], '2026-10', version)).toBe(2);
    expect(monthPortPool([day('none', '2026-10-01')], '2026-10', version)).toBeNull();
  });

  it('property: the value of every slot of the window, read off the steps, is the slot peak of the runs', () => {
    const base = t('2026-10-05T10:00:00Z');
    const occupancy = fc.tuple(fc.integer({ min: -600, max: 3 * 3600 }), fc.integer({ min: 1, max: 900 })).map(([s, d]) => ({ start: base + s * 1000, end: base + s * 1000 + Math.ceil(d / 60) * 60_000 }));
    const windowArb = fc.tuple(fc.integer({ min: 0, max: 180 }), fc.integer({ min: 0, max: 180 })).map(([a, b]) => ({ start: base + Math.min(a, b) * slotMs, end: base + Math.max(a, b) * slotMs }));
    fc.assert(
      fc.property(fc.array(occupancy, { maxLength: 20 }), windowArb, (occupancies, window) => {
        const runs = peakPortsPerMinute(occupancies);
        const { points, peak } = peakPortsSeries(runs, window);
        const runValue = (slot: number) => runs.find((r) => r.slotStart <= slot && slot < r.slotStart + r.slots * slotMs)?.peak ?? 0;
        let expectedPeak = 0;
        for (let slot = window.start; slot < window.end; slot += slotMs) {
          const step = [...points].reverse().find((p) => p.at <= slot);
          expect(step?.ports).toBe(runValue(slot));
          expectedPeak = Math.max(expectedPeak, runValue(slot));
        }
        expect(peak).toBe(expectedPeak);
        points.forEach((p, i) => i > 0 && expect(p.ports).not.toBe(points[i - 1]!.ports));
        if (window.end > window.start) expect(points[0]!.at).toBe(window.start);
      }),
    );
  });
});
