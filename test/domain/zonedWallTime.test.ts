import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { parseInstant, utcOfWallTime } from '../../src/domain/calendar.ts';
import { zonedWallTimeToInstant } from '../../src/domain/zonedWallTime.ts';

// zonedWallTimeToInstant and utcOfWallTime stand in for Temporal on the readers' hot path: they must
// give Temporal's answers, around every transition of zones with odd rules too.
const zones = ['Europe/Oslo', 'UTC', 'America/New_York', 'America/St_Johns', 'Australia/Lord_Howe', 'Pacific/Apia', 'America/Santiago', 'Africa/Casablanca', 'Asia/Kolkata'];

function transitions(timeZone: string, fromYear: number, toYear: number): number[] {
  const out: number[] = [];
  let at: Temporal.ZonedDateTime | null = Temporal.Instant.fromEpochMilliseconds(Date.UTC(fromYear, 0, 1)).toZonedDateTimeISO(timeZone);
  while ((at = at.getTimeZoneTransition('next')) && at.year < toYear) out.push(at.epochMilliseconds);
  return out;
}

describe('wall times in a time zone as Temporal reads them (compatible)', () => {
  it.each(zones)('%s: around each transition of 2000-2030, and the hours skipped and repeated', (timeZone) => {
    const mismatches: string[] = [];
    for (const transition of transitions(timeZone, 2000, 2030)) {
      for (const offset of [-7_200_000, -3_600_000, -1_800_000, -60_000, -1, 0, 1, 60_000, 1_800_000, 3_600_000, 7_200_000]) {
        const wall = new Date(transition + offset);
        const fields = { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: wall.getUTCSeconds(), millisecond: wall.getUTCMilliseconds() };
        const expected = Temporal.PlainDateTime.from(fields).toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds;
        const local = utcOfWallTime(fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second, fields.millisecond)!;
        if (zonedWallTimeToInstant(local, timeZone) !== expected) mismatches.push(JSON.stringify(fields));
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('refuses wall times that do not exist as Temporal does (overflow: reject), years below 100 included', () => {
    expect(utcOfWallTime(2026, 2, 29, 0, 0, 0)).toBeUndefined();
    expect(utcOfWallTime(2024, 2, 29, 0, 0, 0)).toBe(Date.parse('2024-02-29T00:00:00Z'));
    expect(utcOfWallTime(2026, 10, 5, 24, 0, 0)).toBeUndefined();
    expect(utcOfWallTime(2026, 10, 5, 9, 0, 60)).toBeUndefined();
    expect(utcOfWallTime(2026, 13, 1, 0, 0, 0)).toBeUndefined();
    expect(utcOfWallTime(50, 3, 1, 12, 0, 0, 250)).toBe(Temporal.PlainDateTime.from({ year: 50, month: 3, day: 1, hour: 12, millisecond: 250 }).toZonedDateTime('UTC').epochMilliseconds);
  });
});

describe('parseInstant on its fast path gives what Temporal.Instant.from gives', () => {
  it('fractions, offsets, leap seconds and dates that do not exist', () => {
    const values = [
      '2026-10-05T09:00:00.5Z', '2026-10-05T09:00:00.123456789Z', '2026-10-05T09:00:00.637+02:00', '2026-10-05T09:00:00-0330', '2026-10-05T09:00:00.1-00:00',
      '1969-12-31T23:59:59.9999Z', '0001-01-01T00:00:00.1+00:00', '2026-12-31T23:59:60.123Z', '2024-02-29T12:00:00.5+01:00',
    ];
    for (const value of values) expect([value, parseInstant(value)]).toEqual([value, Temporal.Instant.from(value).epochMilliseconds]);
    for (const value of ['2023-02-29T12:00:00.5+01:00', '2026-10-05T24:00:00.000Z', '2026-13-05T09:00:00.1Z', '2026-10-05T09:00:00+24:00', '2026-10-05T09:00:00.Z']) expect([value, parseInstant(value)]).toEqual([value, undefined]);
  });
});
