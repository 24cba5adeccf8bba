import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../src/domain/assignment.ts';
import { parseInstant } from '../../src/domain/calendar.ts';
import { builtInPlanTemplates, copyPlan } from '../../src/domain/plan.ts';
import { compareCalls, customerCallRater, rateCustomer, rateCustomerDays, type RatableCall } from '../../src/domain/rateCustomer.ts';

const definition = copyPlan(builtInPlanTemplates['included-minutes'], {});
const plans = new Map([['p', { planId: 'p', version: 1, definition }]]);
const assignments: Assignment[] = [{ id: 'a1', customerId: 'c', planId: 'p', from: '2026-10-10', to: undefined }];
const context = { customerId: 'c', timeZone: 'Europe/Oslo', assignments, plans, entities: [], customElements: [], through: '2026-12-01' };
const october = parseInstant('2026-10-01T00:00:00Z')!;

// Calls over two months, some before the plan, some invoiced, many starting at the same instant.
const callsArb = fc.array(
  fc.record({
    minute: fc.integer({ min: 0, max: 60 * 24 * 61 }),
    durationSeconds: fc.integer({ min: 0, max: 3000 * 60 }),
    externalId: fc.string({ minLength: 1, maxLength: 3 }),
    invoiced: fc.boolean(),
  }),
  { maxLength: 60 },
);

describe('rating a customer in parts', () => {
  it('gives the items of rating all calls at once, wherever the parts are cut', () => {
    fc.assert(
      fc.property(callsArb, fc.array(fc.integer({ min: 0, max: 60 })), (specs, cuts) => {
        const calls: RatableCall[] = specs.map((s, i) => ({ callId: String(i + 1), externalId: s.externalId, startedAt: october + (s.minute - (s.minute % 7)) * 60_000, durationSeconds: s.durationSeconds, category: 'video', direction: 'inbound', invoiced: s.invoiced }));
        const sorted = [...calls].sort(compareCalls);
        const at = [...new Set([0, ...cuts.map((c) => Math.min(c, sorted.length)), sorted.length])].sort((a, b) => a - b);
        const rater = customerCallRater(context);
        const parts = at.slice(1).map((end, i) => rater.rate(sorted.slice(at[i], end)));
        const inParts = [...parts.flatMap((p) => p.items), ...rateCustomerDays(context).items];
        const whole = rateCustomer({ ...context, calls });
        expect(inParts).toEqual(whole.items);
        expect(parts.flatMap((p) => p.unrated)).toEqual(whole.unrated);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses calls that do not continue the order of those before', () => {
    const rater = customerCallRater(context);
    const call = (externalId: string, startedAt: number): RatableCall => ({ callId: externalId, externalId, startedAt, durationSeconds: 60, category: 'video', direction: 'inbound' });
    rater.rate([call('b', october + 60_000)]);
    expect(() => rater.rate([call('a', october + 60_000)])).toThrow(/out of order/);
  });
});
