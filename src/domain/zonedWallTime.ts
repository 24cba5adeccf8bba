import { Temporal } from 'temporal-polyfill';
import type { EpochMs } from './calendar.ts';

const dayMs = 86_400_000;

/** A stretch of instants `[from, to)` over which a time zone keeps one UTC offset. */
interface OffsetSpan {
  from: number;
  to: number;
  offsetMs: number;
}

/** The spans last found per time zone: records come roughly in time order, so a few spans answer nearly every lookup. */
const spansOf = new Map<string, OffsetSpan[]>();
const spansKept = 8;

/**
 * The UTC offset of `timeZone` at `instant`, ms. Temporal is asked once per span between two of the
 * zone's transitions (and the span kept), not once per value: readers convert millions of wall times.
 * Throws (as Temporal) for a time zone that does not exist.
 */
export function zoneOffsetMs(instant: EpochMs, timeZone: string): number {
  let spans = spansOf.get(timeZone);
  if (spans) {
    for (const span of spans) if (instant >= span.from && instant < span.to) return span.offsetMs;
  } else {
    spans = [];
    spansOf.set(timeZone, spans);
  }
  const zoned = Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(timeZone);
  const offsetMs = zoned.offsetNanoseconds / 1_000_000;
  const previous = zoned.getTimeZoneTransition('previous')?.epochMilliseconds;
  const next = zoned.getTimeZoneTransition('next')?.epochMilliseconds;
  // At a transition itself, 'previous' names the one before it: the span then starts at the instant.
  const from = previous === undefined ? -Infinity : Temporal.Instant.fromEpochMilliseconds(previous).toZonedDateTimeISO(timeZone).offsetNanoseconds / 1_000_000 === offsetMs ? previous : instant;
  spans.unshift({ from, to: next ?? Infinity, offsetMs });
  if (spans.length > spansKept) spans.pop();
  return offsetMs;
}

/**
 * The instant at which the clocks of `timeZone` show the wall time `localMs` (a wall time written as
 * if it were UTC, e.g. from `utcOfWallTime`), disambiguated as Temporal's 'compatible' (RFC 5545,
 * java.time): a wall time that happens twice (the hour after clocks go back) is the first; one that
 * never happens (the hour skipped in spring) is read with the offset before the change, i.e. one hour
 * later. Same answers as `Temporal.PlainDateTime#toZonedDateTime(timeZone, { disambiguation: 'compatible' })`
 * for any zone whose transitions are more than a day apart.
 */
export function zonedWallTimeToInstant(localMs: number, timeZone: string): EpochMs {
  const before = zoneOffsetMs(localMs - dayMs, timeZone);
  const after = zoneOffsetMs(localMs + dayMs, timeZone);
  const withBefore = localMs - before;
  if (before === after) return withBefore;
  const withAfter = localMs - after;
  const beforeHolds = zoneOffsetMs(withBefore, timeZone) === before;
  const afterHolds = zoneOffsetMs(withAfter, timeZone) === after;
  if (beforeHolds && afterHolds) return Math.min(withBefore, withAfter);
  if (afterHolds) return withAfter;
  // Held by the offset before the change, or skipped by it: both read with the offset before.
  return withBefore;
}
