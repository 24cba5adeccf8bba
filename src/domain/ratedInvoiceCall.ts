import type { CallCategory, CallDirection } from './call.ts';

/** One rated call of an invoice: its billing item with the call record it was rated from. */
export interface InvoiceCallRow {
  /** Local date of the call in the customer's time zone (the item's date). */
  date: string;
  /** UTC, ISO 8601. */
  startedAt: string;
  source: string;
  externalId: string;
  conferenceId: string | null;
  localAlias: string | null;
  remoteAlias: string | null;
  category: CallCategory;
  direction: CallDirection;
  durationSeconds: number;
  billedMinutes: number;
  planId: string;
  planVersion: number;
  includedMinutes: number | null;
  overageMinutes: number | null;
  rateFound: boolean;
  /** Exact, unrounded call charge as rated. */
  amount: string;
  currency: string;
}

/** A rated call with the rate of its plan version that priced it (null when no rate applied): a row of the calls CSV. */
export interface RatedInvoiceCall extends InvoiceCallRow {
  startupCharge: string | null;
  perMinute: string | null;
}
