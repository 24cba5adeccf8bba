import type { BillingErrorCode } from '../domain/billingError.ts';

/** The CLI's exit status for each error code: the one place where codes become exit statuses. */
export const exitCodeOf: Record<BillingErrorCode, number> = {
  'invalid-argument': 2,
  'invalid-config': 2,
  'unknown-currency': 2,
  'unknown-time-zone': 2,
  'not-found': 3,
  'overlapping-assignment': 4,
  'settlement-delay': 4,
  'invoice-immutable': 4,
  'plan-in-use': 4,
  'plan-locked': 4,
  'plan-unlocked': 4,
  'service-unavailable': 4,
  conflict: 5,
  'stale-version': 5,
  'unreadable-input': 6,
  storage: 7,
  'invariant-violated': 8,
};

/** Anything that is not a BillingError is a bug or an outage. */
export const unexpectedErrorExitCode = 1;
