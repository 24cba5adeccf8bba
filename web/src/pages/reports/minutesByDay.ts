import type { Call } from '../../api/schemas';

/** Billed minutes are the started minutes (docs/billing-rules.md §1); a call of 0 s has none. */
export const billedMinutes = (durationSeconds: number) => Math.ceil(durationSeconds / 60);

/** The days of a month (YYYY-MM): 1 … 28–31. */
export function daysOfMonth(month: string): string[] {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const count = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

/** Billed minutes used through each day of the month (days in the customer's time zone), cumulative. */
export function cumulativeMinutesByDay(calls: Call[], month: string, timeZone: string): { day: string; used: number }[] {
  const dayOf = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const perDay = new Map<string, number>();
  for (const c of calls) {
    const day = dayOf.format(new Date(c.startedAt));
    perDay.set(day, (perDay.get(day) ?? 0) + billedMinutes(c.durationSeconds));
  }
  let used = 0;
  return daysOfMonth(month).map((day) => {
    used += perDay.get(day) ?? 0;
    return { day, used };
  });
}
