import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../src/domain/calendar.ts';
import { computeInvoice } from '../../src/domain/computeInvoice.ts';
import { builtInPlanTemplates, copyPlan } from '../../src/domain/plan.ts';
import { rateCustomer } from '../../src/domain/rateCustomer.ts';

const plan = copyPlan(builtInPlanTemplates['pay-as-you-go'], {
  callRates: [{ category: 'video', direction: 'outbound', startupCharge: '0.50', perMinute: '0.035' }],
});

function invoiceWithTax(taxRatePercent: string | undefined, currency = 'EUR') {
  const definition = { ...plan, currency };
  const rated = rateCustomer({
    customerId: 'c', timeZone: 'UTC', assignments: [{ id: 'a', customerId: 'c', planId: 'p', from: '2026-10-01' }],
    plans: new Map([['p', { planId: 'p', version: 1, definition }]]), entities: [], customElements: [], through: '2026-11-01',
    calls: [
      { callId: '1', externalId: '1', startedAt: parseInstant('2026-10-05T09:00:00Z')!, durationSeconds: 61, category: 'video', direction: 'outbound' },
      { callId: '2', externalId: '2', startedAt: parseInstant('2026-10-05T10:00:00Z')!, durationSeconds: 150, category: 'video', direction: 'outbound' },
    ],
  });
  return computeInvoice({ currency, timeZone: 'UTC', from: '2026-10-01', to: '2026-11-01', items: rated.items, priorItems: [], priorCharges: [], planVersion: () => definition, taxRatePercent });
}

describe('tax line (docs/billing-rules.md §7)', () => {
  it('is its own line on the sum of the rounded lines, rounded half up once', () => {
    const invoice = invoiceWithTax('25');
    // Net 1.18 (1.175 rounded); 25 % of 1.18 = 0.295 → 0.30; total 1.48.
    expect(invoice.lines.map((l) => [l.kind, l.quantity, l.amount])).toEqual([
      ['call-charges', '5', '1.18'],
      ['tax', '25', '0.30'],
    ]);
    expect(invoice.lines[1]!.description).toBe('Tax 25 % of 1.18');
    expect(invoice.total).toBe('1.48');
  });

  it('is absent without a rate or with a rate of 0', () => {
    expect(invoiceWithTax(undefined).lines.map((l) => l.kind)).toEqual(['call-charges']);
    expect(invoiceWithTax('0').total).toBe('1.18');
  });

  it('rounds to the currency: JPY has no decimals', () => {
    // Net: 0.50 + 2 × 0.035 = 0.57 and 0.605 → 1.175 → 1 yen; 10 % → 0.1 → 0.
    const invoice = invoiceWithTax('10', 'JPY');
    expect(invoice.lines.map((l) => [l.kind, l.amount])).toEqual([['call-charges', '1'], ['tax', '0']]);
    expect(invoice.total).toBe('1');
  });
});
