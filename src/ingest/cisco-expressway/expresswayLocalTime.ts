import { utcOfWallTime, type EpochMs } from '../../domain/calendar.ts';
import { zonedWallTimeToInstant } from '../../domain/zonedWallTime.ts';

const localTimePattern = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;

/**
 * An Expressway time stamp ("2018-08-13 07:58:44.375125": the box's wall clock, no offset) as an
 * instant, read in the box's configured IANA time zone. A wall time that happens twice (the hour
 * after clocks go back) is taken as the first; one that never happens (the hour skipped in spring) as
 * if the clock had not been changed yet, i.e. one hour later ('compatible', as RFC 5545 and
 * java.time do). Undefined when the text is not such a time or the date does not exist.
 */
export function expresswayLocalTime(value: string, timeZone: string): EpochMs | undefined {
  const m = localTimePattern.exec(value);
  if (!m) return undefined;
  const [, year, month, day, hour, minute, second, fraction = ''] = m;
  const local = utcOfWallTime(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second), Number(fraction.padEnd(3, '0').slice(0, 3)));
  if (local === undefined) return undefined;
  try {
    return zonedWallTimeToInstant(local, timeZone);
  } catch {
    return undefined;
  }
}
