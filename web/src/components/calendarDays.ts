/** A calendar day (YYYY-MM-DD) moved by a number of days: no time zone is involved in day arithmetic. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The day after a last day: the API's `to` of a range (ranges end on the day after their last). */
export function dayAfter(day: string): string {
  return addDays(day, 1);
}
