/** Day arithmetic on YYYY-MM-DD strings (calendar days, no time zone involved). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Whether [from, to) and [otherFrom, otherTo) share a day; a null end is open. */
export function rangesOverlap(from: string, to: string | null, otherFrom: string, otherTo: string | null): boolean {
  return (to === null || otherFrom < to) && (otherTo === null || from < otherTo);
}
