import { Temporal } from 'temporal-polyfill';
import { BillingError } from './billingError.ts';

/**
 * Calendar arithmetic in a customer's time zone. Instants are integer epoch milliseconds (UTC);
 * dates are ISO strings 'YYYY-MM-DD', months 'YYYY-MM'. Date strings compare correctly as strings.
 */
export type EpochMs = number;
export type LocalDate = string;
export type YearMonth = string;

const datePattern = /^\d{4}-\d{2}-\d{2}$/;

export function isValidTimeZone(timeZone: string): boolean {
  try {
    Temporal.PlainDate.from('2000-01-01').toZonedDateTime({ timeZone });
    return true;
  } catch {
    return false;
  }
}

export function assertTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) {
    throw new BillingError('unknown-time-zone', `"${timeZone}" is not an IANA time zone (for example Europe/Oslo or UTC).`);
  }
}

export function isValidLocalDate(value: string): boolean {
  if (!datePattern.test(value)) return false;
  try {
    return Temporal.PlainDate.from(value, { overflow: 'reject' }).toString() === value;
  } catch {
    return false;
  }
}

// Every UTC offset in use is a whole number of quarter hours, so a local date never changes inside a
// UTC quarter hour: the date of one instant of it is the date of all. Rating asks for millions of
// dates; this memo answers most of them without the time-zone arithmetic.
const quarterHourMs = 15 * 60_000;
const localDateMemo = new Map<string, Map<number, LocalDate>>();

/** Per time zone, the last local day asked for and its instants [start, end): calls come in time order, most fall on it. */
const lastLocalDay = new Map<string, { start: EpochMs; end: EpochMs; date: LocalDate }>();

/** The calendar date, in `timeZone`, of an instant. */
export function localDateOf(instant: EpochMs, timeZone: string): LocalDate {
  const day = lastLocalDay.get(timeZone);
  if (day && instant >= day.start && instant < day.end) return day.date;
  let memo = localDateMemo.get(timeZone);
  if (!memo) localDateMemo.set(timeZone, (memo = new Map()));
  const quarter = Math.floor(instant / quarterHourMs);
  let date = memo.get(quarter);
  if (date === undefined) {
    if (memo.size > 200_000) memo.clear();
    date = Temporal.Instant.fromEpochMilliseconds(quarter * quarterHourMs).toZonedDateTimeISO(timeZone).toPlainDate().toString();
    memo.set(quarter, date);
    const plain = Temporal.PlainDate.from(date);
    lastLocalDay.set(timeZone, { start: plain.toZonedDateTime({ timeZone }).epochMilliseconds, end: plain.add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds, date });
  }
  return date;
}

/** The first instant of a date in `timeZone` (the start of a 23- or 25-hour day included). */
export function startOfLocalDate(date: LocalDate, timeZone: string): EpochMs {
  return Temporal.PlainDate.from(date).toZonedDateTime({ timeZone }).epochMilliseconds;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return Temporal.PlainDate.from(date).add({ days }).toString();
}

export function monthOf(date: LocalDate): YearMonth {
  return date.slice(0, 7);
}

export function firstDayOfMonth(month: YearMonth): LocalDate {
  return `${month}-01`;
}

export function nextMonth(month: YearMonth): YearMonth {
  return Temporal.PlainYearMonth.from(month).add({ months: 1 }).toString();
}

export function daysInMonth(month: YearMonth): number {
  return Temporal.PlainYearMonth.from(month).daysInMonth;
}

/** Number of days in `[from, to)`. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to), { largestUnit: 'days' }).days;
}

/** Every date of `[from, to)`. */
export function* datesOf(from: LocalDate, to: LocalDate): Generator<LocalDate> {
  let d = Temporal.PlainDate.from(from);
  const end = Temporal.PlainDate.from(to);
  while (Temporal.PlainDate.compare(d, end) < 0) {
    yield d.toString();
    d = d.add({ days: 1 });
  }
}

/** Months touched by `[from, to)`. */
export function monthsOf(from: LocalDate, to: LocalDate): YearMonth[] {
  const months: YearMonth[] = [];
  if (from >= to) return months;
  for (let m = monthOf(from); m <= monthOf(addDays(to, -1)); m = nextMonth(m)) months.push(m);
  return months;
}

/** An instant as readers meet it most: seconds, an optional fraction, and `Z` or a numeric offset. */
const commonInstant = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

const digitsAt = (text: string, at: number, count: number): number => {
  let n = 0;
  for (let i = at; i < at + count; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
};

/**
 * The instant whose UTC wall clock shows these fields, or undefined when no such time exists (month
 * 13, Feb 30, 24:00, a leap second): what `Temporal.PlainDateTime.from(…, { overflow: 'reject' })`
 * accepts, without its cost (readers convert millions of times).
 */
export function utcOfWallTime(year: number, month: number, day: number, hour: number, minute: number, second: number, millisecond = 0): EpochMs | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (day > daysInMonth) return undefined;
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  // Date.UTC reads years 0-99 as 1900-1999: the year is set on its own.
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millisecond));
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

/** `YYYY-MM-DDTHH:MM:SS` (digits checked by the caller) read as UTC, or undefined when no such instant exists. */
function utcFields(text: string): EpochMs | undefined {
  return utcOfWallTime(digitsAt(text, 0, 4), digitsAt(text, 5, 2), digitsAt(text, 8, 2), digitsAt(text, 11, 2), digitsAt(text, 14, 2), digitsAt(text, 17, 2));
}

/** Parses an ISO 8601 instant that carries an offset or `Z`; undefined when it is not one. */
export function parseInstant(value: string): EpochMs | undefined {
  // Fast path for the common forms (Temporal costs microseconds a value, and readers parse millions):
  // the round trip refuses dates that do not exist (Feb 30). What it does not take (a leap second,
  // lower-case letters, no seconds) goes to Temporal, as before; the whole-second UTC form never did.
  const common = commonInstant.exec(value);
  if (common) {
    const [, dateTime, fraction, sign, offsetHours, offsetMinutes] = common as unknown as [string, string, string | undefined, string | undefined, string | undefined, string | undefined];
    const ms = utcFields(dateTime);
    const exists = ms !== undefined;
    if (!fraction && !sign) return exists ? ms : undefined;
    const hours = Number(offsetHours ?? 0);
    const minutes = Number(offsetMinutes ?? 0);
    if (exists && hours <= 23 && minutes <= 59) {
      // Temporal's epochMilliseconds floors the nanoseconds: the fraction's first three digits.
      const fractionMs = fraction ? Number(fraction.length >= 3 ? fraction.slice(0, 3) : fraction.padEnd(3, '0')) : 0;
      return ms + fractionMs - (sign === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
    }
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value)) return undefined;
  try {
    return Temporal.Instant.from(value).epochMilliseconds;
  } catch {
    return undefined;
  }
}

export function formatInstant(instant: EpochMs): string {
  return new Date(instant).toISOString();
}

/** Smaller of two optional dates, where undefined means "open-ended". */
export function minDate(a: LocalDate | undefined, b: LocalDate | undefined): LocalDate | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

export function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a > b ? a : b;
}
