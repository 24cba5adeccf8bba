import { parseInstant, type EpochMs } from '../../domain/calendar.ts';
import { PexipFieldError } from './pexipFields.ts';
import { earliestLegStart as earliest, latestLegStart as latest, maxLegSeconds } from '../legPlausibility.ts';


/** Legs longer than this are refused as absurd (a week; no port stays up that long). */

function plausible(field: string, ms: EpochMs, shown: string): EpochMs {
  if (ms < earliest || ms >= latest) throw new PexipFieldError(field, `${shown} is outside the years 2000-2099`);
  return ms;
}

/**
 * A history API time: ISO 8601 without an offset, which Pexip documents as UTC (the management API
 * speaks UTC whatever the nodes' zone), so the source's configured time zone does not apply. A time
 * with an offset or Z is taken as written. Microseconds are truncated to milliseconds.
 */
export function parseHistoryTime(field: string, value: unknown): EpochMs {
  if (typeof value !== 'string') throw new PexipFieldError(field, `is ${JSON.stringify(value)?.slice(0, 40) ?? 'missing'}, not an ISO 8601 time`);
  const naive = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/.test(value);
  const ms = parseInstant(naive ? `${value}Z` : value);
  if (ms === undefined) throw new PexipFieldError(field, `"${value.slice(0, 40)}" is not an ISO 8601 time`);
  return plausible(field, ms, `"${value}"`);
}

/** An event sink time: Unix epoch seconds as a float, truncated to milliseconds. */
export function parseEpochSeconds(field: string, value: unknown): EpochMs {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new PexipFieldError(field, `is ${JSON.stringify(value)?.slice(0, 40) ?? 'missing'}, not Unix epoch seconds`);
  return plausible(field, Math.floor(value * 1000), String(value));
}

/**
 * Whole seconds of a leg, truncated like the history API's own `duration` (1178.97 s → 1178), so that a
 * leg read from the event sink and from the history has the same duration.
 */
export function legSeconds(field: string, seconds: number): number {
  if (!Number.isFinite(seconds) || seconds < 0) throw new PexipFieldError(field, `gives a negative or invalid duration (${seconds} s)`);
  if (seconds > maxLegSeconds) throw new PexipFieldError(field, `gives ${Math.floor(seconds)} s, longer than a week`);
  return Math.floor(seconds);
}
