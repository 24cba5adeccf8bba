import { Temporal } from 'temporal-polyfill';
import { parseInstant } from '../../domain/calendar.ts';

const localPattern = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?$/;

/**
 * A DMA `startTime`/`endTime`: normally ISO 8601 with the cluster's GMT offset of that very instant
 * (which differs between start and end across a DST change, so each value carries its own). A value
 * without offset (a spreadsheet re-saved the file and dropped it) is read in `timeZone`, the source's
 * configured zone: a time in the hour skipped by DST does not exist and is refused; a time in the hour
 * repeated at the end of DST is ambiguous and taken as the earlier instant.
 * Returns epoch ms, or a reason why the value cannot be read.
 */
export function parseDmaTime(value: string, timeZone: string): number | string {
  const withOffset = parseInstant(value);
  if (withOffset !== undefined) return withOffset;
  const m = localPattern.exec(value);
  if (!m) return `"${value}" is not a date and time (YYYY-MM-DDTHH:MM:SS.FFF±HH:MM)`;
  let local: Temporal.PlainDateTime;
  try {
    const fraction = (m[7] ?? '').padEnd(9, '0');
    local = Temporal.PlainDateTime.from(
      {
        year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? 0),
        millisecond: Number(fraction.slice(0, 3)), microsecond: Number(fraction.slice(3, 6)), nanosecond: Number(fraction.slice(6, 9)),
      },
      { overflow: 'reject' },
    );
  } catch {
    return `"${value}" is not a valid date and time`;
  }
  const zoned = (disambiguation: 'reject' | 'earlier'): number => local.toZonedDateTime(timeZone, { disambiguation }).epochMilliseconds;
  try {
    return zoned('reject');
  } catch {
    // 'reject' refuses both the skipped and the repeated hour; the repeated one has an answer.
    const earlier = zoned('earlier');
    const back = Temporal.Instant.fromEpochMilliseconds(earlier).toZonedDateTimeISO(timeZone).toPlainDateTime();
    if (Temporal.PlainDateTime.compare(back, local) !== 0) return `"${value}" has no offset and does not exist in ${timeZone} (skipped by the change to summer time)`;
    return earlier;
  }
}
