import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertNoOverlappingAssignments, assignmentOn, type Assignment } from '../../src/domain/assignment.ts';
import { isBillingError } from '../../src/domain/billingError.ts';
import { addDays } from '../../src/domain/calendar.ts';
import { builtInPlanTemplates, copyPlan, isServiceAvailable } from '../../src/domain/plan.ts';

// docs/billing-rules.md §3: a customer is assigned to a plan for [from, to) (to optional = open-ended); a customer's
// ranges never overlap: an overlapping assignment is refused.

const refusal = (assignments: Assignment[]): string | undefined => {
  try {
    assertNoOverlappingAssignments(assignments);
    return undefined;
  } catch (error) {
    return isBillingError(error) ? error.code : 'not a BillingError';
  }
};

describe('plan assignments', () => {
  it('back-to-back ranges are allowed, overlapping ones refused with overlapping-assignment', () => {
    const oct: Assignment = { id: '1', customerId: 'acme', planId: 'p', from: '2026-10-01', to: '2026-11-01' };
    expect(refusal([oct, { id: '2', customerId: 'acme', planId: 'q', from: '2026-11-01' }])).toBeUndefined();
    expect(refusal([oct, { id: '2', customerId: 'acme', planId: 'q', from: '2026-10-31' }])).toBe('overlapping-assignment');
    expect(refusal([oct, { id: '2', customerId: 'acme', planId: 'q', from: '2026-09-01', to: '2026-10-02' }])).toBe('overlapping-assignment');
    expect(refusal([oct, { id: '2', customerId: 'other', planId: 'q', from: '2026-10-01' }])).toBeUndefined();
    // The same assignment listed twice (an update) is not an overlap with itself.
    expect(refusal([oct, { ...oct }])).toBeUndefined();
  });

  it('an overlap is found even when another customer id sorts between the two (acme / acme2025)', () => {
    // Regression: sorting on customerId + from put "acme2025"+"2025-06-01" between acme's two assignments.
    const assignments: Assignment[] = [
      { id: '1', customerId: 'acme', planId: 'p', from: '2024-01-01' },
      { id: '2', customerId: 'acme', planId: 'q', from: '2026-01-01' },
      { id: '3', customerId: 'acme2025', planId: 'p', from: '2025-06-01' },
    ];
    expect(refusal(assignments)).toBe('overlapping-assignment');
    expect(refusal(assignments.slice(1))).toBeUndefined();
  });

  it('assignmentOn picks the assignment in force on a date, [from, to)', () => {
    const assignments: Assignment[] = [
      { id: '1', customerId: 'c', planId: 'p', from: '2026-10-01', to: '2026-10-17' },
      { id: '2', customerId: 'c', planId: 'q', from: '2026-10-17' },
    ];
    expect(assignmentOn(assignments, '2026-09-30')).toBeUndefined();
    expect(assignmentOn(assignments, '2026-10-01')?.id).toBe('1');
    expect(assignmentOn(assignments, '2026-10-16')?.id).toBe('1');
    expect(assignmentOn(assignments, '2026-10-17')?.id).toBe('2');
    expect(assignmentOn(assignments, '2099-01-01')?.id).toBe('2');
  });

  it('property: refused exactly when two assignments of one customer share a date', () => {
    // Customer ids that are prefixes of each other followed by digits, as real ids can be.
    const assignmentArb = fc.record({
      customerId: fc.constantFrom('a', 'a2', 'a20', 'a2026', 'b', 'acme', 'acme2025'),
      start: fc.integer({ min: 0, max: 120 }),
      length: fc.option(fc.integer({ min: 1, max: 60 })),
    });
    fc.assert(
      fc.property(fc.array(assignmentArb, { maxLength: 8 }), fc.constantFrom('2020-01-01', '2025-11-01', '2026-12-01'), (specs, base) => {
        const assignments: Assignment[] = specs.map((s, i) => ({
          id: `as${i}`, customerId: s.customerId, planId: 'p', from: addDays(base, s.start), to: s.length === null ? undefined : addDays(base, s.start + s.length),
        }));
        // Brute force on day numbers: [start, start + length), open-ended = infinity.
        const overlapping = specs.some((x, i) => specs.some((y, j) => i < j && x.customerId === y.customerId && x.start < (y.length === null ? Infinity : y.start + y.length) && y.start < (x.length === null ? Infinity : x.start + x.length)));
        expect(refusal(assignments)).toBe(overlapping ? 'overlapping-assignment' : undefined);
      }),
      { numRuns: 300 },
    );
  });
});

describe('service availability (docs/billing-rules.md §10)', () => {
  it('a listed price ≥ 0 is available, a negative or unlisted one is not', () => {
    const plan = copyPlan(builtInPlanTemplates['pay-as-you-go'], { services: { 'pexip-vmr': '6.20', 'cms-user': '0', 'cms-space': '-1' } });
    expect(['pexip-vmr', 'cms-user', 'cms-space', 'skype-user'].map((t) => isServiceAvailable(plan, t))).toEqual([true, true, false, false]);
  });
});
