import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BillingItem, CallItem } from '../../src/domain/billingItem.ts';
import type { CallCategory, CallDirection } from '../../src/domain/call.ts';
import { monthOf } from '../../src/domain/calendar.ts';
import { callsSummable, type CallSum } from '../../src/domain/callSum.ts';
import { computeInvoice } from '../../src/domain/computeInvoice.ts';
import { amountOf, formatExact, sumAmounts } from '../../src/domain/money.ts';
import { builtInPlanTemplates, copyPlan, type PlanDefinition } from '../../src/domain/plan.ts';
import { rateCustomer, type RatableCall } from '../../src/domain/rateCustomer.ts';

// Generation sums the calls of plans without pools in the database instead of reading them
// (docs/adr/0028-invoice-lines-from-sums.md): the invoice must come out as from the calls one by one.

const FROM = '2026-10-01';
const TO = '2026-11-01';

const plan = (name: string, perMinute: string): PlanDefinition =>
  copyPlan(builtInPlanTemplates['pay-as-you-go'], {
    name,
    currency: 'EUR',
    callRates: [
      { category: 'video', direction: 'outbound', startupCharge: '0.50', perMinute },
      { category: 'audio', direction: '*', startupCharge: '0', perMinute: '0.0125' },
      { category: '*', direction: 'inbound', startupCharge: '0.10', perMinute: '0.015' },
    ],
  });
const plans = new Map([['p1', { planId: 'p1', version: 1, definition: plan('First', '0.035') }], ['p2', { planId: 'p2', version: 1, definition: plan('Second', '0.0333') }]]);

const categories: CallCategory[] = ['video', 'audio', 'webrtc', 'gateway'];
const directions: CallDirection[] = ['inbound', 'outbound', 'internal'];
const start = Date.parse('2026-09-28T00:00:00Z');
const callsArb = fc
  .array(fc.record({ minute: fc.integer({ min: 0, max: 36 * 24 * 60 }), durationSeconds: fc.integer({ min: 0, max: 5400 }), category: fc.constantFrom(...categories), direction: fc.constantFrom(...directions) }), { maxLength: 40 })
  .map((specs): RatableCall[] => specs.map((s, i) => ({ callId: `c${i}`, externalId: `x${i}`, startedAt: start + s.minute * 60_000, durationSeconds: s.durationSeconds, category: s.category, direction: s.direction })));

/** What the database gives generation: the calls summed per plan, category, direction and month, exactly. */
function summed(calls: readonly CallItem[]): CallSum[] {
  const groups = new Map<string, CallItem[]>();
  for (const c of calls) {
    const key = `${c.planId}|${c.category}|${c.direction}|${monthOf(c.date)}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()].map((group) => {
    const rated = group.filter((c) => c.rateFound);
    const dates = rated.map((c) => c.date).sort();
    return {
      planId: group[0]!.planId, category: group[0]!.category, direction: group[0]!.direction, month: monthOf(group[0]!.date), calls: rated.length,
      minutes: rated.reduce((m, c) => m + c.billedMinutes, 0), amount: formatExact(sumAmounts(rated.map((c) => amountOf(c.amount)))), firstDate: dates[0] ?? '', lastDate: dates.at(-1) ?? '',
    };
  });
}

describe('invoice lines from summed calls', () => {
  it('are the lines of the calls one by one: two plans in the month, calls without a rate, calls of the month before', () => {
    fc.assert(
      fc.property(callsArb, fc.constantFrom('UTC', 'Europe/Oslo'), fc.integer({ min: 2, max: 30 }), (calls, timeZone, switchDay) => {
        const switchDate = `2026-10-${String(switchDay).padStart(2, '0')}`;
        const items = rateCustomer({
          customerId: 'c', timeZone, plans, calls, entities: [], customElements: [], through: TO,
          assignments: [{ id: 'a1', customerId: 'c', planId: 'p1', from: '2026-09-01', to: switchDate }, { id: 'a2', customerId: 'c', planId: 'p2', from: switchDate }],
        }).items.filter((i) => i.date < TO);
        const input = { currency: 'EUR', timeZone, from: FROM, to: TO, priorItems: [], priorCharges: [], planVersion: (planId: string) => plans.get(planId)!.definition };
        const oneByOne = computeInvoice({ ...input, items });
        const calls_ = items.filter((i): i is CallItem => i.kind === 'call');
        const fromSums = computeInvoice({ ...input, items: items.filter((i: BillingItem) => i.kind !== 'call'), callSums: summed(calls_) });
        expect(fromSums.lines).toEqual(oneByOne.lines);
        expect(fromSums.total).toBe(oneByOne.total);
      }),
      { numRuns: 150 },
    );
  });

  it('are only for plans that no version gives a pool', () => {
    expect(callsSummable([plan('A', '0.01'), plan('A', '0.02')])).toBe(true);
    expect(callsSummable([plan('A', '0.01'), builtInPlanTemplates['included-minutes']])).toBe(false);
    expect(callsSummable([builtInPlanTemplates['concurrent-calls']])).toBe(false);
  });
});
