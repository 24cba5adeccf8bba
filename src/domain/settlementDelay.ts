import { startOfLocalDate, type EpochMs, type LocalDate } from './calendar.ts';

/** docs/billing-rules.md §8: the first instant after which an invoice ending at `to` may be generated. */
export function invoiceAllowedAfter(to: LocalDate, timeZone: string, settlementDelayMinutes: number): EpochMs {
  return startOfLocalDate(to, timeZone) + settlementDelayMinutes * 60_000;
}
