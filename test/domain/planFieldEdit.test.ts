import { describe, expect, it } from 'vitest';
import { builtInPlanTemplates } from '../../src/domain/plan.ts';
import { editPlanField } from '../../src/domain/planFieldEdit.ts';

const payg = builtInPlanTemplates['pay-as-you-go'];

describe('editPlanField', () => {
  it('sets top-level, nested and list fields and reports old and new values', () => {
    expect(editPlanField(payg, 'monthlyFee', '25.00')).toMatchObject({ oldValue: '0', newValue: '25.00', definition: { monthlyFee: '25.00' } });
    const pool = editPlanField(payg, 'portPool', { ports: 20, overagePerPortMinute: '0.10' });
    expect(editPlanField(pool.definition, 'portPool.ports', 30)).toMatchObject({ oldValue: 20, newValue: 30, definition: { portPool: { ports: 30, overagePerPortMinute: '0.10' } } });
    expect(editPlanField(payg, 'callRates[0].perMinute', '0.05').definition.callRates[0]).toMatchObject({ perMinute: '0.05' });
    expect(editPlanField(payg, 'services.pexip-vmr', '6.20').definition.services).toEqual({ ...payg.services, 'pexip-vmr': '6.20' });
    // The original is never changed: edits work on a copy.
    expect(payg.monthlyFee).toBe('0');
  });

  it('null removes a service (back to "not available") and a list entry', () => {
    const withVmr = editPlanField(payg, 'services.pexip-vmr', '6.20').definition;
    const removed = editPlanField(withVmr, 'services.pexip-vmr', null);
    expect(removed.oldValue).toBe('6.20');
    expect('pexip-vmr' in removed.definition.services).toBe(false);
    expect(editPlanField(payg, 'callRates.0', null).definition.callRates).toHaveLength(payg.callRates.length - 1);
  });

  it('refuses unknown fields and paths through plain values', () => {
    expect(() => editPlanField(payg, 'discount', '5')).toThrow(/"discount" is not a plan field/);
    expect(() => editPlanField(payg, 'monthlyFee.cents', '5')).toThrow(/does not exist/);
    expect(() => editPlanField(payg, 'callRates.7.perMinute', '5')).toThrow(/does not exist/);
    expect(() => editPlanField(payg, 'services..x', '5')).toThrow(/not a field path/);
  });
});

describe('a field path with a hidden character', () => {
  it('is refused naming it, before anything is edited (a NUL key could not be stored in the plan history)', () => {
    const plan = builtInPlanTemplates['pay-as-you-go'];
    expect(() => editPlanField(plan, 'services.\u0000', null)).toThrow('"services.\\u0000" is not a field path: it holds a control or invisible character');
  });
});
