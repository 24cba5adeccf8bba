import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBillingError } from '../../src/domain/billingError.ts';
import { formatInCurrency, minorUnitsOf, roundToMinorUnit } from '../../src/domain/currency.ts';
import {
  add,
  amountOf,
  compareAmounts,
  decimalPlacesOf,
  formatExact,
  formatFixed,
  multiply,
  prorate,
  roundHalfUp,
  roundHalfUpToInteger,
  subtract,
  sumAmounts,
} from '../../src/domain/money.ts';

// docs/billing-rules.md §7: money is exact decimal, rates have up to 6 decimals, lines round half up (away from zero
// for negative amounts) to the currency's ISO 4217 minor unit.

const SCALE = 6;
const TEN = 10n;

/** The decimal string of `scaled / 10^decimals` ("-1175", 3 → "-1.175"). */
function decimalStringOf(scaled: bigint, decimals: number): string {
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(decimals + 1, '0');
  const body = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative ? `-${body}` : body;
}

/** A random decimal string with 0 to 6 decimals, and its value scaled by 10^6 as a BigInt. */
const decimalArb = fc
  .tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: SCALE }))
  .map(([units, decimals]) => ({ text: decimalStringOf(units, decimals), scaled: units * TEN ** BigInt(SCALE - decimals) }));

/** Reference rounding half away from zero of `scaled / 10^6` to `decimals` places, as a string. */
function referenceRound(scaled: bigint, decimals: number): string {
  const divisor = TEN ** BigInt(SCALE - decimals);
  const magnitude = scaled < 0n ? -scaled : scaled;
  let q = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) q += 1n;
  return decimalStringOf(scaled < 0n && q !== 0n ? -q : q, decimals);
}

describe('money: rounding examples (docs/billing-rules.md §7, worked example 2)', () => {
  it('0.57 + 0.605 is exactly 1.175 and rounds half up to 1.18, not 1.17', () => {
    const sum = add(amountOf('0.57'), amountOf('0.605'));
    expect(formatExact(sum)).toBe('1.175');
    expect(formatFixed(roundHalfUp(sum, 2), 2)).toBe('1.18');
    expect(formatInCurrency(roundToMinorUnit(sum, 'EUR'), 'EUR')).toBe('1.18');
    // Binary floating point would have given 1.17: the reason money never passes through floats.
    expect((0.57 + 0.605).toFixed(2)).toBe('1.17');
  });

  it('negative ties round away from zero: -1.175 → -1.18, -0.005 → -0.01, -0.004 → 0.00', () => {
    expect(formatFixed(roundHalfUp(amountOf('-1.175'), 2), 2)).toBe('-1.18');
    expect(formatInCurrency(roundToMinorUnit(subtract(amountOf('0.57'), amountOf('1.745')), 'EUR'), 'EUR')).toBe('-1.18');
    expect(formatInCurrency(roundToMinorUnit(amountOf('-0.005'), 'EUR'), 'EUR')).toBe('-0.01');
    expect(formatInCurrency(roundToMinorUnit(amountOf('-0.004'), 'EUR'), 'EUR')).toBe('0.00');
    expect(formatFixed(roundHalfUp(amountOf('-1.174999'), 2), 2)).toBe('-1.17');
  });

  it('minor units: EUR/USD/NOK 2, JPY 0, KWD 3', () => {
    expect(['EUR', 'USD', 'NOK', 'JPY', 'KWD'].map(minorUnitsOf)).toEqual([2, 2, 2, 0, 3]);
  });

  it('JPY rounds to whole yen and formats without decimals', () => {
    expect(formatInCurrency(roundToMinorUnit(amountOf('1234.5'), 'JPY'), 'JPY')).toBe('1235');
    expect(formatInCurrency(roundToMinorUnit(amountOf('1234.499999'), 'JPY'), 'JPY')).toBe('1234');
    expect(formatInCurrency(roundToMinorUnit(amountOf('-0.5'), 'JPY'), 'JPY')).toBe('-1');
    expect(formatInCurrency(roundToMinorUnit(multiply(amountOf('12.5'), 3), 'JPY'), 'JPY')).toBe('38');
    expect(formatInCurrency(amountOf('1200'), 'JPY')).toBe('1200');
  });

  it('KWD rounds to 3 decimals and always shows three', () => {
    expect(formatInCurrency(roundToMinorUnit(amountOf('1.2345'), 'KWD'), 'KWD')).toBe('1.235');
    expect(formatInCurrency(roundToMinorUnit(amountOf('1.23449'), 'KWD'), 'KWD')).toBe('1.234');
    expect(formatInCurrency(roundToMinorUnit(amountOf('-2.0005'), 'KWD'), 'KWD')).toBe('-2.001');
    expect(formatInCurrency(amountOf('1.2'), 'KWD')).toBe('1.200');
    expect(formatInCurrency(amountOf('0'), 'KWD')).toBe('0.000');
  });

  it('an unknown currency is refused with code unknown-currency', () => {
    for (const code of ['XXZ', 'eur', 'EURO', '']) {
      let caught: unknown;
      try {
        roundToMinorUnit(amountOf('1'), code);
      } catch (error) {
        caught = error;
      }
      expect(isBillingError(caught) && caught.code).toBe('unknown-currency');
    }
  });

  it('amountOf refuses floats-as-strings that are not plain decimals', () => {
    for (const bad of ['1e3', '1.', '.5', ' 1', '1,5', 'NaN', '']) expect(() => amountOf(bad)).toThrow(RangeError);
    expect(formatExact(amountOf('-0.50'))).toBe('-0.5');
  });

  it('a monthly amount prorated over days: 100 × 15/31 = 48.387… → 48.39; pool 3000 × 15/31 → 1452', () => {
    expect(formatInCurrency(roundToMinorUnit(prorate(amountOf('100.00'), 15, 31), 'EUR'), 'EUR')).toBe('48.39');
    expect(roundHalfUpToInteger(prorate(amountOf('3000'), 15, 31))).toBe(1452);
    expect(formatExact(prorate(amountOf('31.00'), 1, 31))).toBe('1');
  });
});

describe('money: properties', () => {
  it('addition is exact: equals BigInt arithmetic on values scaled by 10^6', () => {
    fc.assert(
      fc.property(decimalArb, decimalArb, (a, b) => {
        const sum = add(amountOf(a.text), amountOf(b.text));
        expect(formatFixed(sum, SCALE)).toBe(decimalStringOf(a.scaled + b.scaled, SCALE));
        expect(formatFixed(subtract(amountOf(a.text), amountOf(b.text)), SCALE)).toBe(decimalStringOf(a.scaled - b.scaled, SCALE));
        expect(decimalPlacesOf(formatExact(sum))).toBeLessThanOrEqual(SCALE);
      }),
      { numRuns: 300 },
    );
  });

  it('addition is associative and commutative, and sumAmounts equals the BigInt sum in any order', () => {
    fc.assert(
      fc.property(decimalArb, decimalArb, decimalArb, (a, b, c) => {
        const [x, y, z] = [amountOf(a.text), amountOf(b.text), amountOf(c.text)];
        const left = add(add(x, y), z);
        const right = add(x, add(y, z));
        expect(formatExact(left)).toBe(formatExact(right));
        expect(formatExact(add(x, y))).toBe(formatExact(add(y, x)));
        expect(formatFixed(sumAmounts([z, x, y]), SCALE)).toBe(decimalStringOf(a.scaled + b.scaled + c.scaled, SCALE));
      }),
      { numRuns: 300 },
    );
  });

  it('multiplication by an integer count is exact', () => {
    fc.assert(
      fc.property(decimalArb, fc.integer({ min: 0, max: 100_000 }), (a, count) => {
        expect(formatFixed(multiply(amountOf(a.text), count), SCALE)).toBe(decimalStringOf(a.scaled * BigInt(count), SCALE));
      }),
      { numRuns: 200 },
    );
  });

  it('prorate over a partition of a whole month sums back to the monthly amount', () => {
    const partitionArb = fc
      .integer({ min: 28, max: 31 })
      .chain((n) => fc.array(fc.integer({ min: 1, max: n }), { minLength: 1, maxLength: 12 }).map((cuts) => ({ n, parts: partitionOf(n, cuts) })));
    fc.assert(
      fc.property(decimalArb, partitionArb, (a, { n, parts }) => {
        expect(parts.reduce((s, d) => s + d, 0)).toBe(n);
        const amount = amountOf(a.text);
        const sum = sumAmounts(parts.map((d) => prorate(amount, d, n)));
        // A non-terminating share (e.g. 100 × 15/31) is carried to 60 significant digits, so the
        // sum equals the amount up to far below any minor unit, and exactly at the rates' 6 decimals.
        const error = subtract(sum, amount).abs();
        expect(compareAmounts(error, amountOf('0.' + '0'.repeat(39) + '1'))).toBeLessThan(0);
        expect(formatFixed(roundHalfUp(sum, SCALE), SCALE)).toBe(decimalStringOf(a.scaled, SCALE));
        // Multiplying before dividing: the whole month is the amount itself, exactly.
        expect(formatExact(prorate(amount, n, n))).toBe(formatExact(amount));
        // When every share terminates (here: n divides the amount's units), the sum is exact.
        const divisible = amountOf(decimalStringOf(a.scaled * BigInt(n), SCALE));
        expect(formatExact(sumAmounts(parts.map((d) => prorate(divisible, d, n))))).toBe(formatExact(divisible));
      }),
      { numRuns: 200 },
    );
  });

  it('rounding half up matches a BigInt reference (ties away from zero) and is idempotent', () => {
    fc.assert(
      fc.property(decimalArb, fc.integer({ min: 0, max: SCALE }), (a, decimals) => {
        const once = roundHalfUp(amountOf(a.text), decimals);
        expect(formatFixed(once, decimals)).toBe(referenceRound(a.scaled, decimals));
        expect(formatExact(roundHalfUp(once, decimals))).toBe(formatExact(once));
        for (const currency of ['EUR', 'JPY', 'KWD']) {
          const r = roundToMinorUnit(amountOf(a.text), currency);
          expect(formatExact(roundToMinorUnit(r, currency))).toBe(formatExact(r));
          const text = formatInCurrency(r, currency);
          expect(decimalPlacesOf(text)).toBe(minorUnitsOf(currency));
          expect(text).toBe(referenceRound(a.scaled, minorUnitsOf(currency)));
        }
      }),
      { numRuns: 300 },
    );
  });
});

/** Splits n days into consecutive parts at the given cut points (deduplicated, within 1..n-1). */
function partitionOf(n: number, cuts: number[]): number[] {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < n))].sort((x, y) => x - y);
  const parts: number[] = [];
  let previous = 0;
  for (const p of [...points, n]) {
    parts.push(p - previous);
    previous = p;
  }
  return parts;
}
