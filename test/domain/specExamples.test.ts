import { describe, expect, it } from 'vitest';
import { billedMinutes } from '../../src/domain/call.ts';
import { CallMatcher, type MatchingRule } from '../../src/domain/callMatcher.ts';
import { computeInvoice } from '../../src/domain/computeInvoice.ts';
import { parseInstant } from '../../src/domain/calendar.ts';
import { peakPortsPerMinute, overagePortMinutes } from '../../src/domain/peakPorts.ts';
import { builtInPlanTemplates, copyPlan, type PlanDefinition } from '../../src/domain/plan.ts';
import { rateCustomer, type RatableCall } from '../../src/domain/rateCustomer.ts';
import type { Entity } from '../../src/domain/entity.ts';
import type { Assignment } from '../../src/domain/assignment.ts';

// The worked examples of billing-rules.md, computed by the pure core (UTC, EUR, October 2026).
const at = (iso: string): number => parseInstant(iso)!;

function invoiceFor(definition: PlanDefinition, calls: RatableCall[], options: { assignmentFrom?: string; entities?: Entity[] } = {}) {
  const assignments: Assignment[] = [{ id: 'a1', customerId: 'c', planId: 'p', from: options.assignmentFrom ?? '2026-10-01', to: undefined }];
  const rated = rateCustomer({
    customerId: 'c', timeZone: 'UTC', assignments, plans: new Map([['p', { planId: 'p', version: 1, definition }]]),
    calls, entities: options.entities ?? [], customElements: [], through: '2026-11-01',
  });
  return computeInvoice({ currency: 'EUR', timeZone: 'UTC', from: '2026-10-01', to: '2026-11-01', items: rated.items, priorItems: [], priorCharges: [], planVersion: () => definition });
}

let n = 0;
const call = (startedAt: string, durationSeconds: number, category: RatableCall['category'] = 'video', direction: RatableCall['direction'] = 'outbound'): RatableCall => ({
  callId: String(++n), externalId: `x${n}`, startedAt: at(startedAt), durationSeconds, category, direction,
});

describe('spec worked examples', () => {
  it('1. rounding of billed minutes', () => {
    expect([0, 1, 60, 61, 3599].map(billedMinutes)).toEqual([0, 1, 1, 2, 60]);
  });

  it('2. pay as you go', () => {
    const plan = copyPlan(builtInPlanTemplates['pay-as-you-go'], {
      callRates: [
        { category: 'video', direction: 'outbound', startupCharge: '0.50', perMinute: '0.035' },
        { category: '*', direction: '*', startupCharge: '0', perMinute: '0.02' },
      ],
    });
    const invoice = invoiceFor(plan, [call('2026-10-05T09:00:00Z', 61), call('2026-10-05T10:00:00Z', 150), call('2026-10-06T10:00:00Z', 30, 'audio', 'inbound')]);
    expect(invoice.lines.map((l) => [l.kind, l.description, l.calls, l.quantity, l.amount])).toEqual([
      ['call-charges', 'audio inbound', 1, '1', '0.02'],
      ['call-charges', 'video outbound', 2, '5', '1.18'],
    ]);
    expect(invoice.total).toBe('1.20');
  });

  it('3. included minutes, whole month and from 2026-10-17', () => {
    const plan = builtInPlanTemplates['included-minutes'];
    const calls = [call('2026-10-20T10:00:00Z', 3000 * 60), call('2026-10-21T10:00:00Z', 125 * 60)];
    const whole = invoiceFor(plan, calls);
    expect(whole.lines.map((l) => [l.kind, l.quantity, l.amount])).toEqual([
      ['monthly-fee', '31', '100.00'],
      ['included-minutes-overage', '125', '6.25'],
    ]);
    expect(whole.total).toBe('106.25');
    const partial = invoiceFor(plan, calls, { assignmentFrom: '2026-10-17' });
    expect(partial.lines[0]).toMatchObject({ kind: 'monthly-fee', quantity: '15', amount: '48.39' });
    expect(partial.lines[1]!.description).toContain('of 1452');
    expect(partial.lines[1]).toMatchObject({ quantity: String(3125 - 1452) });
  });

  it('4. concurrent calls', () => {
    const runs = peakPortsPerMinute([
      { start: at('2026-10-05T10:00:00Z'), end: at('2026-10-05T10:05:00Z') },
      { start: at('2026-10-05T10:00:00Z'), end: at('2026-10-05T10:05:00Z') },
      { start: at('2026-10-05T10:02:00Z'), end: at('2026-10-05T10:04:00Z') },
      { start: at('2026-10-05T10:03:30Z'), end: at('2026-10-05T10:04:30Z') },
    ]);
    expect(runs.map((r) => [new Date(r.slotStart).toISOString().slice(11, 16), r.slots, r.peak])).toEqual([
      ['10:00', 2, 2], ['10:02', 1, 3], ['10:03', 1, 4], ['10:04', 1, 3],
    ]);
    expect(overagePortMinutes(runs, 2, [{ start: at('2026-10-01T00:00:00Z'), end: at('2026-11-01T00:00:00Z') }])).toBe(4);
    const plan = copyPlan(builtInPlanTemplates['concurrent-calls'], { monthlyFee: '0', portPool: { ports: 2, overagePerPortMinute: '0.10' } });
    const invoice = invoiceFor(plan, [call('2026-10-05T10:00:00Z', 300), call('2026-10-05T10:00:00Z', 300), call('2026-10-05T10:02:00Z', 120), call('2026-10-05T10:03:30Z', 30)]);
    expect(invoice.lines).toEqual([expect.objectContaining({ kind: 'port-overage', quantity: '4', amount: '0.40' })]);
  });

  it('5. services', () => {
    const plan = copyPlan(builtInPlanTemplates['pay-as-you-go'], { services: { 'pexip-vmr': '6.20' } });
    const invoice = invoiceFor(plan, [], {
      entities: [
        { id: 'v1', customerId: 'c', serviceType: 'pexip-vmr', createdAt: at('2026-10-11T10:00:00Z') },
        { id: 'v2', customerId: 'c', serviceType: 'pexip-vmr', createdAt: at('2026-09-01T00:00:00Z'), deletedAt: at('2026-10-05T08:00:00Z') },
      ],
    });
    expect(invoice.lines).toEqual([expect.objectContaining({ kind: 'service', quantity: '26', amount: '5.20' })]);
  });

  it('7. matching', () => {
    const rules: MatchingRule[] = [
      { id: 'A-alias', customerId: 'A', kind: 'alias', value: '1001@vc.provider.example' },
      { id: 'A-dom', customerId: 'A', kind: 'domain', value: 'a.example' },
      { id: 'B-dom', customerId: 'B', kind: 'domain', value: 'b.example' },
      { id: 'A-shared', customerId: 'A', kind: 'domain', value: 'shared.example' },
      { id: 'B-shared', customerId: 'B', kind: 'domain', value: 'shared.example' },
    ];
    const matcher = new CallMatcher(rules);
    const m = (localAlias: string, remoteAlias?: string) => matcher.match({ source: 's', startedAt: 0, localAlias, remoteAlias });
    expect(m('1001@vc.provider.example', 'bob@b.example')).toEqual({ status: 'matched', customerId: 'A', ruleId: 'A-alias' });
    expect(m('meet@vc.provider.example', 'bob@b.example')).toEqual({ status: 'matched', customerId: 'B', ruleId: 'B-dom' });
    expect(m('room@shared.example')).toMatchObject({ status: 'ambiguous', customerIds: ['A', 'B'] });
    expect(m('x@nowhere.example', 'y@nowhere.example')).toEqual({ status: 'no-customer' });
  });

  it('8. late items produce an adjustment line', () => {
    const plan = builtInPlanTemplates['included-minutes'];
    const plans = new Map([['p', { planId: 'p', version: 1, definition: plan }]]);
    const assignments: Assignment[] = [{ id: 'a1', customerId: 'c', planId: 'p', from: '2026-10-01' }];
    const base = { customerId: 'c', timeZone: 'UTC', assignments, plans, entities: [], customElements: [] };
    const october = rateCustomer({ ...base, calls: [call('2026-10-10T10:00:00Z', 3000 * 60)], through: '2026-11-01' });
    const first = computeInvoice({ currency: 'EUR', timeZone: 'UTC', from: '2026-10-01', to: '2026-11-01', items: october.items, priorItems: [], priorCharges: [], planVersion: () => plan });
    expect(first.lines.map((l) => l.kind)).toEqual(['monthly-fee']);
    const lateCall = { ...call('2026-10-20T10:00:00Z', 40 * 60) };
    const now = rateCustomer({ ...base, calls: [{ ...lateCall }], through: '2026-12-01' });
    const novemberItems = now.items.filter((i) => i.kind === 'call' || i.date >= '2026-11-01');
    const second = computeInvoice({ currency: 'EUR', timeZone: 'UTC', from: '2026-11-01', to: '2026-12-01', items: novemberItems, priorItems: october.items, priorCharges: [], planVersion: () => plan });
    expect(second.lines.find((l) => l.kind === 'adjustment')).toMatchObject({ period: '2026-10', quantity: '40', amount: '2.00', late: true });
    expect(second.lines.find((l) => l.kind === 'call-charges')).toBeUndefined();
  });
});
