import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../src/domain/assignment.ts';
import type { CallItem } from '../../src/domain/billingItem.ts';
import { parseInstant } from '../../src/domain/calendar.ts';
import { computeInvoice } from '../../src/domain/computeInvoice.ts';
import { proratedPoolMinutes, usedPoolMinutes } from '../../src/domain/includedMinutesPool.ts';
import { monthlyUsage } from '../../src/domain/monthlyUsage.ts';
import { peakPortsPerMinute, portOccupancy } from '../../src/domain/peakPorts.ts';
import { peakPortsSeries } from '../../src/domain/peakPortsSeries.ts';
import { builtInPlanTemplates, copyPlan } from '../../src/domain/plan.ts';
import { rateCustomer, type RatableCall } from '../../src/domain/rateCustomer.ts';

const at = (iso: string): number => parseInstant(iso)!;

describe('one home for each rule: rating, the invoice and the reports count alike', () => {
  it('a call occupies a port for its billed minutes from its start; a call that never connected occupies none', () => {
    expect(portOccupancy({ startedAt: at('2026-10-05T10:00:30Z'), billedMinutes: 2 })).toEqual({ start: at('2026-10-05T10:00:30Z'), end: at('2026-10-05T10:02:30Z') });
    expect(peakPortsPerMinute([portOccupancy({ startedAt: at('2026-10-05T10:00:00Z'), billedMinutes: 0 })])).toEqual([]);
  });

  it('the pool is prorated per plan version and rounded once: 3000 a month for 15 of 31 days is 1452 (spec example 3)', () => {
    expect(proratedPoolMinutes([{ minutesPerMonth: 3000, days: 15 }], 31)).toBe(1452);
    // Two versions in one month: 1000 × 10/30 + 2000 × 5/30 = 666.67 → 667, not 333 + 333 = 666.
    expect(proratedPoolMinutes([{ minutesPerMonth: 1000, days: 10 }, { minutesPerMonth: 2000, days: 5 }], 30)).toBe(667);
    expect(usedPoolMinutes([{ billedMinutes: 1000 }, { billedMinutes: 600 }])).toBe(1600);
  });

  it('rating, the invoice, the usage report and the peak-ports series agree on pool and ports of one month', () => {
    const definition = copyPlan(builtInPlanTemplates['included-minutes'], { portPool: { ports: 1, overagePerPortMinute: '0.10' } });
    const assignments: Assignment[] = [{ id: 'a1', customerId: 'c', planId: 'p', from: '2026-10-17', to: undefined }];
    const calls: RatableCall[] = [
      { callId: '1', externalId: 'x1', startedAt: at('2026-10-20T10:00:00Z'), durationSeconds: 1000 * 60, category: 'video', direction: 'inbound' },
      { callId: '2', externalId: 'x2', startedAt: at('2026-10-20T10:30:00Z'), durationSeconds: 600 * 60 - 30, category: 'video', direction: 'inbound' },
    ];
    const { items } = rateCustomer({ customerId: 'c', timeZone: 'UTC', assignments, plans: new Map([['p', { planId: 'p', version: 1, definition }]]), calls, entities: [], customElements: [], through: '2026-11-01' });
    const callItems = items.filter((i): i is CallItem => i.kind === 'call');
    // Rating's attribution: the calls' included minutes add up to the prorated pool.
    expect(callItems.map((c) => [c.includedMinutes, c.overageMinutes])).toEqual([[1000, 0], [452, 148]]);

    const invoice = computeInvoice({ currency: 'EUR', timeZone: 'UTC', from: '2026-10-01', to: '2026-11-01', items, priorItems: [], priorCharges: [], planVersion: () => definition });
    expect(invoice.lines.filter((l) => l.kind !== 'monthly-fee').map((l) => [l.kind, l.description, l.quantity])).toEqual([
      ['included-minutes-overage', 'Included minutes: 1600 used of 1452, overage', '148'],
      ['port-overage', 'Port pool of 1: overage port-minutes', '600'],
    ]);

    const [usage] = monthlyUsage('c', items, () => definition, 'UTC');
    expect([usage!.poolMinutes, usage!.poolUsedMinutes, usage!.overageMinutes, usage!.peakPorts]).toEqual([1452, 1452, 148, 2]);

    const series = peakPortsSeries(peakPortsPerMinute(callItems.map(portOccupancy)), { start: at('2026-10-01T00:00:00Z'), end: at('2026-11-01T00:00:00Z') });
    expect(series.peak).toBe(2);
    expect(series.points.filter((p) => p.ports === 2).map((p) => new Date(p.at).toISOString())).toEqual(['2026-10-20T10:30:00.000Z']);
  });
});
