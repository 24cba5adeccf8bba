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

/** Parses an ISO 8601 instant that carries an offset or `Z`; undefined when it is not one. */
export function parseInstant(value: string): EpochMs | undefined {
  // Fast path for the common UTC form; the round trip refuses dates that do not exist (Feb 30).
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value)) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== value.slice(0, 19) ? undefined : ms;
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
