import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  assertTimeZone,
  daysBetween,
  daysInMonth,
  datesOf,
  isValidLocalDate,
  isValidTimeZone,
  localDateOf,
  monthsOf,
  nextMonth,
  parseInstant,
  startOfLocalDate,
  type LocalDate,
} from '../../src/domain/calendar.ts';

// docs/billing-rules.md §4: instants are UTC; days and months are calendar days and months in the customer's time
// zone; DST days have 23 or 25 hours and still count as one day.

const HOUR = 3_600_000;
const utc = (iso: string): number => Date.parse(iso);
const dayLengthHours = (date: LocalDate, timeZone: string): number => (startOfLocalDate(addDays(date, 1), timeZone) - startOfLocalDate(date, timeZone)) / HOUR;

describe('calendar: DST days', () => {
  it('Europe/Oslo: 2026-03-29 has 23 hours, 2026-10-25 has 25 hours, the days around them 24', () => {
    expect(dayLengthHours('2026-03-29', 'Europe/Oslo')).toBe(23);
    expect(dayLengthHours('2026-10-25', 'Europe/Oslo')).toBe(25);
    expect(['2026-03-28', '2026-03-30', '2026-10-24', '2026-10-26'].map((d) => dayLengthHours(d, 'Europe/Oslo'))).toEqual([24, 24, 24, 24]);
  });

  it('Europe/Oslo day starts: CET is UTC+1, CEST is UTC+2', () => {
    expect(startOfLocalDate('2026-03-29', 'Europe/Oslo')).toBe(utc('2026-03-28T23:00:00Z'));
    expect(startOfLocalDate('2026-03-30', 'Europe/Oslo')).toBe(utc('2026-03-29T22:00:00Z'));
    expect(startOfLocalDate('2026-10-25', 'Europe/Oslo')).toBe(utc('2026-10-24T22:00:00Z'));
    expect(startOfLocalDate('2026-10-26', 'Europe/Oslo')).toBe(utc('2026-10-25T23:00:00Z'));
  });

  it('America/New_York: 2026-03-08 has 23 hours and 2026-11-01 has 25 hours', () => {
    expect(dayLengthHours('2026-03-08', 'America/New_York')).toBe(23);
    expect(dayLengthHours('2026-11-01', 'America/New_York')).toBe(25);
    expect(dayLengthHours('2026-07-01', 'America/New_York')).toBe(24);
  });

  it('a 25-hour day is still one date: every instant of it has that local date', () => {
    const start = startOfLocalDate('2026-10-25', 'Europe/Oslo');
    for (let h = 0; h < 25; h++) expect(localDateOf(start + h * HOUR, 'Europe/Oslo')).toBe('2026-10-25');
    expect(localDateOf(start + 25 * HOUR, 'Europe/Oslo')).toBe('2026-10-26');
    expect(localDateOf(start - 1, 'Europe/Oslo')).toBe('2026-10-24');
    expect([...datesOf('2026-10-01', '2026-11-01')]).toHaveLength(31);
  });

  it('a day whose midnight does not exist (America/Santiago, 2026-09-06) starts at its first instant', () => {
    // Clocks jump from 00:00 (UTC-4) to 01:00 (UTC-3): the day begins at 01:00 local = 04:00Z.
    expect(startOfLocalDate('2026-09-06', 'America/Santiago')).toBe(utc('2026-09-06T04:00:00Z'));
    expect(dayLengthHours('2026-09-06', 'America/Santiago')).toBe(23);
    expect(localDateOf(utc('2026-09-06T03:59:59.999Z'), 'America/Santiago')).toBe('2026-09-05');
  });
});

describe('calendar: localDateOf around local midnight', () => {
  it('America/New_York (UTC-4 in summer, UTC-5 in winter)', () => {
    expect(localDateOf(utc('2026-10-05T03:59:59.999Z'), 'America/New_York')).toBe('2026-10-04');
    expect(localDateOf(utc('2026-10-05T04:00:00.000Z'), 'America/New_York')).toBe('2026-10-05');
    expect(localDateOf(utc('2026-01-15T04:59:59.999Z'), 'America/New_York')).toBe('2026-01-14');
    expect(localDateOf(utc('2026-01-15T05:00:00.000Z'), 'America/New_York')).toBe('2026-01-15');
    // The last instant of October in New York is already November in UTC.
    expect(localDateOf(utc('2026-11-01T03:30:00Z'), 'America/New_York')).toBe('2026-10-31');
    expect(localDateOf(utc('2026-11-01T03:30:00Z'), 'UTC')).toBe('2026-11-01');
  });

  it('Asia/Tokyo (UTC+9, no DST)', () => {
    expect(localDateOf(utc('2026-10-04T14:59:59.999Z'), 'Asia/Tokyo')).toBe('2026-10-04');
    expect(localDateOf(utc('2026-10-04T15:00:00.000Z'), 'Asia/Tokyo')).toBe('2026-10-05');
    expect(startOfLocalDate('2026-10-05', 'Asia/Tokyo')).toBe(utc('2026-10-04T15:00:00Z'));
    // The first instant of November in Tokyo is still October in UTC.
    expect(localDateOf(utc('2026-10-31T15:00:00Z'), 'Asia/Tokyo')).toBe('2026-11-01');
    expect(localDateOf(utc('2026-10-31T15:00:00Z'), 'UTC')).toBe('2026-10-31');
  });

  it('property: a date starts at startOfLocalDate and the instant before belongs to the day before', () => {
    const zones = ['UTC', 'Europe/Oslo', 'America/New_York', 'Asia/Tokyo', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kolkata'];
    const dateArb = fc.integer({ min: 0, max: 3 * 366 }).map((offset) => addDays('2026-01-01', offset));
    fc.assert(
      fc.property(dateArb, fc.constantFrom(...zones), (date, zone) => {
        const start = startOfLocalDate(date, zone);
        expect(localDateOf(start, zone)).toBe(date);
        expect(localDateOf(start - 1, zone)).toBe(addDays(date, -1));
        const hours = dayLengthHours(date, zone);
        expect(hours).toBeGreaterThanOrEqual(23);
        expect(hours).toBeLessThanOrEqual(25);
      }),
      { numRuns: 200 },
    );
  });
});

describe('calendar: months and days', () => {
  it('daysInMonth, leap years included', () => {
    expect(daysInMonth('2028-02')).toBe(29);
    expect(daysInMonth('2026-02')).toBe(28);
    expect(daysInMonth('2000-02')).toBe(29);
    expect(daysInMonth('2100-02')).toBe(28);
    expect(['2026-01', '2026-04', '2026-10', '2026-11', '2026-12'].map(daysInMonth)).toEqual([31, 30, 31, 30, 31]);
  });

  it('monthsOf lists the months touched by [from, to)', () => {
    expect(monthsOf('2026-10-01', '2026-11-01')).toEqual(['2026-10']);
    expect(monthsOf('2026-10-01', '2026-11-02')).toEqual(['2026-10', '2026-11']);
    expect(monthsOf('2026-10-17', '2027-02-01')).toEqual(['2026-10', '2026-11', '2026-12', '2027-01']);
    expect(monthsOf('2026-10-31', '2026-11-01')).toEqual(['2026-10']);
    expect(monthsOf('2028-02-29', '2028-03-01')).toEqual(['2028-02']);
    expect(monthsOf('2026-10-05', '2026-10-05')).toEqual([]);
    expect(monthsOf('2026-10-05', '2026-10-01')).toEqual([]);
    expect(nextMonth('2026-12')).toBe('2027-01');
  });

  it('daysBetween, datesOf and addDays agree across month, year and leap-day boundaries', () => {
    expect(daysBetween('2026-10-01', '2026-11-01')).toBe(31);
    expect(daysBetween('2028-02-01', '2028-03-01')).toBe(29);
    expect(daysBetween('2026-12-30', '2027-01-02')).toBe(3);
    expect([...datesOf('2028-02-28', '2028-03-02')]).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('validates dates and time zones', () => {
    expect(isValidLocalDate('2028-02-29')).toBe(true);
    expect(isValidLocalDate('2026-02-29')).toBe(false);
    expect(isValidLocalDate('2026-2-01')).toBe(false);
    expect(isValidLocalDate('2026-13-01')).toBe(false);
    expect(isValidTimeZone('Europe/Oslo')).toBe(true);
    expect(isValidTimeZone('Europe/Atlantis')).toBe(false);
    expect(() => assertTimeZone('Mars/Olympus')).toThrow(/IANA/);
  });
});

describe('calendar: parseInstant', () => {
  it('accepts ISO instants with Z or an offset', () => {
    expect(parseInstant('2026-10-05T10:00:00Z')).toBe(utc('2026-10-05T10:00:00Z'));
    expect(parseInstant('2026-10-05T10:00:00.250Z')).toBe(utc('2026-10-05T10:00:00.250Z'));
    expect(parseInstant('2026-10-05T12:00:00+02:00')).toBe(utc('2026-10-05T10:00:00Z'));
    expect(parseInstant('2026-10-05T12:00:00+0200')).toBe(utc('2026-10-05T10:00:00Z'));
    expect(parseInstant('2026-10-05T05:00-05:00')).toBe(utc('2026-10-05T10:00:00Z'));
  });

  it('refuses strings without an offset, and anything that is not an instant', () => {
    for (const value of [
      '2026-10-05T10:00:00',
      '2026-10-05T10:00',
      '2026-10-05',
      '2026-10-05 10:00:00',
      '2026-10-05T10:00:00[Europe/Oslo]',
      '2026-02-30T10:00:00Z',
      '2026-10-05T25:00:00Z',
      '1791194400000',
      '',
    ]) {
      expect(parseInstant(value), value).toBeUndefined();
    }
  });
});
