import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BillingItem, CallItem } from '../../src/domain/billingItem.ts';
import type { CallCategory, CallDirection } from '../../src/domain/call.ts';
import { monthOf } from '../../src/domain/calendar.ts';
import { callsSummable, type CallMinutes, type CallSum } from '../../src/domain/callSum.ts';
import { computeInvoice } from '../../src/domain/computeInvoice.ts';
import { amountOf, formatExact, sumAmounts } from '../../src/domain/money.ts';
import { builtInPlanTemplates, copyPlan, type PlanDefinition } from '../../src/domain/plan.ts';
import { rateCustomer, type RatableCall } from '../../src/domain/rateCustomer.ts';

// Generation sums the calls of plans without pools in the database instead of reading them
// (docs/adr/0028-invoice-lines-from-sums.md): the invoice must come out as from the calls one by one.

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
const pooled = copyPlan(plan('Second', '0.0333'), { includedMinutes: { minutesPerMonth: 300, overagePerMinute: '0.05' } });
const plans = new Map([['p1', { planId: 'p1', version: 1, definition: plan('First', '0.035') }], ['p2', { planId: 'p2', version: 1, definition: pooled }]]);

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
      pool: { planId: group[0]!.planId, month: monthOf(group[0]!.date), minutes: group.reduce((m, c) => m + c.billedMinutes, 0), newestVersion: Math.max(...group.map((c) => c.planVersion)) },
    };
  });
}

/** The calls of earlier invoices as the database gives them: billed minutes and newest version per plan and month. */
function minutes(calls: readonly CallItem[]): CallMinutes[] {
  return summed(calls).map((s) => s.pool).reduce<CallMinutes[]>((all, m) => {
    const same = all.find((a) => a.planId === m.planId && a.month === m.month);
    if (same) {
      same.minutes += m.minutes;
      same.newestVersion = Math.max(same.newestVersion, m.newestVersion);
    } else all.push({ ...m });
    return all;
  }, []);
}

const isCall = (i: BillingItem): i is CallItem => i.kind === 'call';

describe('invoice lines from summed calls', () => {
  it('are the lines of the calls one by one: two plans in the month, one with a pool, calls without a rate, calls of the month before, calls of an earlier invoice', () => {
    fc.assert(
      fc.property(callsArb, fc.constantFrom('UTC', 'Europe/Oslo'), fc.integer({ min: 2, max: 30 }), fc.integer({ min: 1, max: 31 }), (calls, timeZone, switchDay, cutDay) => {
        const day = (d: number): string => `2026-10-${String(d).padStart(2, '0')}`;
        const items = rateCustomer({
          customerId: 'c', timeZone, plans, calls, entities: [], customElements: [], through: TO,
          assignments: [{ id: 'a1', customerId: 'c', planId: 'p1', from: '2026-09-01', to: day(switchDay) }, { id: 'a2', customerId: 'c', planId: 'p2', from: day(switchDay) }],
        }).items.filter((i) => i.date < TO);
        // An earlier invoice took the items dated before the cut; this one takes the rest.
        const prior = items.filter((i) => i.date < day(cutDay));
        const taken = items.filter((i) => i.date >= day(cutDay));
        const input = { currency: 'EUR', timeZone, from: day(cutDay), to: TO, priorCharges: [], planVersion: (planId: string) => plans.get(planId)!.definition };
        const oneByOne = computeInvoice({ ...input, items: taken, priorItems: prior });
        const fromSums = computeInvoice({
          ...input,
          items: taken.filter((i) => !isCall(i)), callSums: summed(taken.filter(isCall)),
          priorItems: prior.filter((i) => !isCall(i)), priorCallMinutes: minutes(prior.filter(isCall)),
        });
        expect(fromSums.lines).toEqual(oneByOne.lines);
        expect(fromSums.total).toBe(oneByOne.total);
      }),
      { numRuns: 200 },
    );
  });

  it('are only for plans that no version gives a port pool', () => {
    expect(callsSummable([plan('A', '0.01'), plan('A', '0.02')])).toBe(true);
    expect(callsSummable([plan('A', '0.01'), builtInPlanTemplates['included-minutes']])).toBe(true);
    expect(callsSummable([plan('A', '0.01'), builtInPlanTemplates['concurrent-calls']])).toBe(false);
  });
});
