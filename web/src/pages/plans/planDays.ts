/** Whether [from, to) and [otherFrom, otherTo) share a day; a null end is open. */
export function rangesOverlap(from: string, to: string | null, otherFrom: string, otherTo: string | null): boolean {
  return (to === null || otherFrom < to) && (otherTo === null || from < otherTo);
}
