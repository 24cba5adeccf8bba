import { parseInstant } from '../../domain/calendar.ts';

const sqlPattern = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d{1,7})?$/;

/**
 * An LcsCDR `datetime` as exported: `2026-10-05 09:00:00.123` or ISO `2026-10-05T09:00:00.123`
 * (CONVERT style 126), read as UTC — the Monitoring server writes UTC. A value with an explicit
 * offset or Z is taken as it says, for servers whose export converts on purpose. Anything else
 * (a culture-formatted date such as `10/5/2026 9:00 AM`) is refused rather than guessed.
 */
export function parseLcsCdrTime(value: string): number | undefined {
  const m = sqlPattern.exec(value);
  if (m) return parseInstant(`${m[1]}T${m[2]}${(m[3] ?? '').slice(0, 4)}Z`);
  return parseInstant(value);
}
