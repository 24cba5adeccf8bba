import { describe, expect, it } from 'vitest';
import { validateProviderConfig } from '../../src/services/providerConfig.ts';
import { configProblems } from '../support/configProblems.ts';

// Issue 8 §6 "Bounds": each value is accepted just inside its range and refused just outside, with
// the key's path and the whole rule. `plan set` validates with the same plan schema (planLifecycle.ts).

type Config = Record<string, unknown>;

const settings = (value: Record<string, unknown>): Config => ({ settings: value });
const plan = (fields: Record<string, unknown>): Config => ({ plans: [{ id: 'p', copyOf: 'pay-as-you-go', ...fields }] });
const pool = (ports: unknown, overagePerPortMinute: unknown = '0.10'): Config => plan({ portPool: { ports, overagePerPortMinute } });
const included = (minutesPerMonth: unknown, overagePerMinute: unknown = '0.05'): Config => plan({ includedMinutes: { minutesPerMonth, overagePerMinute } });
const rate = (startupCharge: unknown, perMinute: unknown): Config => plan({ callRates: [{ category: '*', direction: '*', startupCharge, perMinute }] });
const planElement = (unitPrice: unknown, quantity: unknown): Config => plan({ customElements: [{ name: 'Support', unitPrice, quantity, recurrence: 'monthly' }] });
const customerElement = (unitPrice: unknown, quantity: unknown): Config => ({ customers: [{ id: 'c', name: 'C', customElements: [{ id: 'x', name: 'Setup', date: '2026-10-01', unitPrice, quantity }] }] });

const problemsOf = (config: Config): string[] => configProblems(config);

const delayRule = 'must be an integer from 0 to 43200';
const digits = 'with at most 12 digits before the point and 10 after';

describe('sane bounds of the configuration', () => {
  it.each<[string, Config]>([
    ['settlementDelayMinutes 0', settings({ settlementDelayMinutes: 0 })],
    ['settlementDelayMinutes 43200 (30 days)', settings({ settlementDelayMinutes: 43_200 })],
    ['taxRatePercent "0"', settings({ taxRatePercent: '0' })],
    ['taxRatePercent "100"', settings({ taxRatePercent: '100' })],
    ['taxRatePercent "99.9999999999"', settings({ taxRatePercent: '99.9999999999' })],
    ['monthlyFee "0"', plan({ monthlyFee: '0' })],
    ['monthlyFee with 12 + 10 digits', plan({ monthlyFee: '999999999999.9999999999' })],
    ['service "-1" (not available)', plan({ services: { 'pexip-vmr': '-1' } })],
    ['service "-1.00" (not available)', plan({ services: { 'pexip-vmr': '-1.00' } })],
    ['service "0" (free)', plan({ services: { 'pexip-vmr': '0' } })],
    ['call rate 0 / 0.0000000001', rate('0', '0.0000000001')],
    ['ports 0', pool(0)],
    ['ports 100000', pool(100_000)],
    ['overagePerPortMinute "0"', pool(20, '0')],
    ['minutesPerMonth 0', included(0)],
    ['minutesPerMonth 1000000000', included(1_000_000_000)],
    ['overagePerMinute "0"', included(3000, '0')],
    ['a plan custom element credit "-49.00" × 1', planElement('-49.00', 1)],
    ['a plan custom element quantity "0"', planElement('49.00', '0')],
    ['a one-off credit "-15" × "2.5"', customerElement('-15', '2.5')],
    ['monthlyFee 25, a YAML number', plan({ monthlyFee: 25 })],
    ['a call rate 0.1 per minute, a YAML number', rate(0, 0.1)],
  ])('accepts %s', (_, config) => {
    expect(problemsOf(config)).toEqual([]);
  });

  it('takes an exact YAML number in a money field as its decimal string, and refuses one that may have lost digits with a hint', () => {
    const config = validateProviderConfig(plan({ monthlyFee: 25, callRates: [{ category: '*', direction: '*', startupCharge: 0, perMinute: 0.0000001 }] }));
    expect(config.plans![0]).toMatchObject({ monthlyFee: '25', callRates: [{ startupCharge: '0', perMinute: '0.0000001' }] });
    expect(problemsOf(plan({ monthlyFee: Number("123456789012.1234567") }))).toEqual([
      `plans[0].monthlyFee: must be a decimal number written as a string, ≥ 0, ${digits}, such as "0.05"; a plain number keeps at most 15 significant digits exactly, so write this one in quotes`,
    ]);
    expect(problemsOf(plan({ monthlyFee: -25 }))).toEqual([`plans[0].monthlyFee: must be a decimal number written as a string, ≥ 0, ${digits}, such as "0.05"`]);
  });

  it.each<[string, Config, string]>([
    ['settlementDelayMinutes -1', settings({ settlementDelayMinutes: -1 }), `settings.settlementDelayMinutes: ${delayRule}`],
    ['settlementDelayMinutes 43201', settings({ settlementDelayMinutes: 43_201 }), `settings.settlementDelayMinutes: ${delayRule}`],
    ['settlementDelayMinutes 2^53 - 1', settings({ settlementDelayMinutes: 9007199254740991 }), `settings.settlementDelayMinutes: ${delayRule}`],
    ['settlementDelayMinutes 1.5', settings({ settlementDelayMinutes: 1.5 }), `settings.settlementDelayMinutes: ${delayRule}`],
    ['settlementDelayMinutes "60"', settings({ settlementDelayMinutes: '60' }), `settings.settlementDelayMinutes: ${delayRule}`],
    ['taxRatePercent "-0.01"', settings({ taxRatePercent: '-0.01' }), `settings.taxRatePercent: must be a decimal number written as a string, from 0 to 100, ${digits}, such as "25"`],
    ['taxRatePercent "100.0000000001"', settings({ taxRatePercent: '100.0000000001' }), 'settings.taxRatePercent: must be a decimal number written as a string, from 0 to 100'],
    ['taxRatePercent "1e3"', settings({ taxRatePercent: '1e3' }), 'settings.taxRatePercent: must be a decimal number'],
    ['monthlyFee "-0.01"', plan({ monthlyFee: '-0.01' }), `plans[0].monthlyFee: must be a decimal number written as a string, ≥ 0, ${digits}`],
    ['monthlyFee with 13 digits', plan({ monthlyFee: '1000000000000' }), 'plans[0].monthlyFee: must be a decimal number'],
    ['monthlyFee with 11 decimals', plan({ monthlyFee: '0.00000000001' }), 'plans[0].monthlyFee: must be a decimal number'],
    ['service "-0.5"', plan({ services: { 'pexip-vmr': '-0.5' } }), `plans[0].services.pexip-vmr: must be a decimal number written as a string, "-1" (not available) or ≥ 0, ${digits}`],
    ['service "-2"', plan({ services: { 'pexip-vmr': '-2' } }), 'plans[0].services.pexip-vmr: must be a decimal number written as a string, "-1" (not available) or ≥ 0'],
    ['startupCharge "-0.01"', rate('-0.01', '0'), 'plans[0].callRates[0].startupCharge: must be a decimal number written as a string, ≥ 0'],
    ['perMinute "-0.0000000001"', rate('0', '-0.0000000001'), 'plans[0].callRates[0].perMinute: must be a decimal number written as a string, ≥ 0'],
    ['ports -1', pool(-1), 'plans[0].portPool.ports: must be an integer from 0 to 100000'],
    ['ports 100001', pool(100_001), 'plans[0].portPool.ports: must be an integer from 0 to 100000'],
    ['overagePerPortMinute "-0.10"', pool(20, '-0.10'), 'plans[0].portPool.overagePerPortMinute: must be a decimal number written as a string, ≥ 0'],
    ['minutesPerMonth -1', included(-1), 'plans[0].includedMinutes.minutesPerMonth: must be an integer from 0 to 1000000000'],
    ['minutesPerMonth 1000000001', included(1_000_000_001), 'plans[0].includedMinutes.minutesPerMonth: must be an integer from 0 to 1000000000'],
    ['overagePerMinute "-0.05"', included(3000, '-0.05'), 'plans[0].includedMinutes.overagePerMinute: must be a decimal number written as a string, ≥ 0'],
    ['a plan custom element quantity -1', planElement('49.00', -1), 'plans[0].customElements[0].quantity: must be a decimal number written as a string, ≥ 0'],
    ['a plan custom element price with 13 digits', planElement('-1000000000000', 1), 'plans[0].customElements[0].unitPrice: must be a decimal number written as a string, with at most 12 digits'],
    ['a one-off quantity "-2"', customerElement('15', '-2'), 'customers[0].customElements[0].quantity: must be a decimal number written as a string, ≥ 0'],
  ])('refuses %s with the key path and the rule', (_, config, problem) => {
    const problems = problemsOf(config);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });
});
