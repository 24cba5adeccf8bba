import { describe, expect, it } from 'vitest';
import type { CmsRecord } from '../../../src/ingest/cisco-cms/cmsRecord.ts';
import { groupCmsLegs } from '../../../src/ingest/cisco-cms/groupCmsLegs.ts';

const record = (correlatorIndex: number, type: CmsRecord['type'], ids: { legId?: string; callId?: string }): CmsRecord => ({
  session: 's', correlatorIndex, type, time: Date.UTC(2024, 2, 1, 10), id: ids.legId ?? ids.callId ?? 'x', fields: {}, ...ids,
});

function elapsedMs(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('groupCmsLegs', () => {
  it('groups each leg with the callStart/callEnd of its calls, legs sorted', () => {
    const legs = groupCmsLegs([
      record(1, 'callStart', { callId: 'c1' }),
      record(2, 'callLegStart', { legId: 'l2', callId: 'c1' }),
      record(3, 'callLegStart', { legId: 'l1', callId: 'c2' }),
      record(4, 'recordingStart', { legId: 'l2', callId: 'c9' }),
      record(5, 'callLegEnd', { legId: 'l2' }),
      record(6, 'callEnd', { callId: 'c1' }),
      record(7, 'callEnd', { callId: 'c9' }),
    ]);
    expect(legs.map((l) => ({ legId: l.legId, leg: l.legRecords.map((r) => r.correlatorIndex), call: l.callRecords.map((r) => r.correlatorIndex) }))).toEqual([
      { legId: 'l1', leg: [3], call: [] },
      { legId: 'l2', leg: [2, 4, 5], call: [1, 6] },
    ]);
  });

  it('per call, only its first callStart and last callEnd go with each leg: many legs of one call stay linear', () => {
    const legs = 3_000;
    const records = [
      ...Array.from({ length: legs }, (_, i) => record(i, 'callLegEnd', { legId: `l${i}`, callId: 'c' })),
      // A hostile body may repeat the call's start under new correlator indexes.
      ...Array.from({ length: legs }, (_, i) => ({ ...record(legs + i, 'callStart', { callId: 'c' }), time: Date.UTC(2024, 2, 1, 10) - i })),
      record(3 * legs, 'callEnd', { callId: 'c' }),
      record(3 * legs + 1, 'callEnd', { callId: 'c' }),
    ];
    const grouped = groupCmsLegs(records);
    expect(grouped).toHaveLength(legs);
    // The earliest callStart (the last one listed, an hour before the others' minutes) and the latest callEnd.
    for (const leg of grouped) expect(leg.callRecords.map((r) => r.correlatorIndex)).toEqual([2 * legs - 1, 3 * legs + 1]);
  });

  it('a leg with tens of thousands of records is grouped in linear time (was quadratic: 20,000 took 7 s)', () => {
    const oneLeg = (n: number) => Array.from({ length: n }, (_, i) => record(i, i % 2 ? 'callLegUpdate' : 'callStart', i % 2 ? { legId: 'l', callId: 'c' } : { callId: 'c' }));
    const small = oneLeg(50_000);
    const large = oneLeg(200_000);
    expect(groupCmsLegs(large)[0]!.legRecords).toHaveLength(100_000);
    // Interleaved, so that a burst of load on a shared machine slows both sizes alike.
    const smallMs: number[] = [];
    const largeMs: number[] = [];
    for (let run = 0; run < 5; run++) {
      smallMs.push(elapsedMs(() => groupCmsLegs(small)));
      largeMs.push(elapsedMs(() => groupCmsLegs(large)));
    }
    // Linear is 4; these runs take tens of milliseconds, where caches and the garbage collector add
    // noise up to about 6. Quadratic would be 16.
    expect(median(largeMs) / median(smallMs)).toBeLessThan(8);
  });
});
