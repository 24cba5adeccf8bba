import { describe, expect, it } from 'vitest';
import { lineUnitPrice } from '../../src/domain/lineUnitPrice.ts';
import { amountOf, prorate } from '../../src/domain/money.ts';

// Issue 9 §7: the unit price of a line is the price of one unit of its quantity.
describe('lineUnitPrice', () => {
  it('gives a prorated monthly price per day of that month, with the fewest decimals that give the amount back', () => {
    // The line: cms-space at 10.00 a month, 21 entity-days of a 31-day month = 6.774… → 6.77.
    expect(lineUnitPrice(prorate(amountOf('10.00'), 21, 31), '21', 'EUR')).toBe('0.3226'); // 21 × 0.3226 = 6.7746
    expect(lineUnitPrice(prorate(amountOf('25.00'), 31, 31), '31', 'EUR')).toBe('0.8065'); // 31 × 0.8065 = 25.0015
    expect(lineUnitPrice(prorate(amountOf('300.00'), 30, 30), '30', 'EUR')).toBe('10.00'); // exact
    expect(lineUnitPrice(prorate(amountOf('10000'), 17, 31), '17', 'JPY')).toBe('322.6'); // 5483.87 → 5484; 17 × 322.6 = 5484.2
  });

  it('keeps a stated price where it is exact, and shows an exact rate with up to six decimals as it is', () => {
    expect(lineUnitPrice(amountOf('0.0375'), '3', 'EUR', '0.0125')).toBe('0.0125');
    expect(lineUnitPrice(amountOf('0.035'), '1', 'EUR')).toBe('0.035'); // not 0.04, though 1 × 0.04 rounds to 0.04 too
    // Net of an earlier charge at another price: the stated price no longer gives the amount.
    expect(lineUnitPrice(amountOf('-1.10'), '-10', 'EUR', '0.10')).toBe('0.11');
    expect(lineUnitPrice(amountOf('2.00'), '0', 'EUR', '0.10')).toBeUndefined();
  });
});
