import { addDays } from './calendarDays';

/** An instant (ISO 8601, UTC) as a date and time in a time zone: "14 Oct 2026, 09:32". */
export function formatInstant(instant: string, timeZone: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  return new Intl.DateTimeFormat(undefined, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** A calendar day (YYYY-MM-DD, already a day of the customer's time zone): "14 Oct 2026". */
export function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', dateStyle: 'medium' }).format(date);
}

/** A range of days given as first day and the day after it (as the API gives them): "1 Oct – 31 Oct 2026". */
export function formatDayRange(from: string, toExclusive: string): string {
  return `${formatDay(from)} – ${formatDay(addDays(toExclusive, -1))}`;
}

/** The browser's own zone, for instants that belong to no customer (audit log, uploads). */
export const browserTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Today and the first of this month as YYYY-MM-DD in a time zone. */
export function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}
