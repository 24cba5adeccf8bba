import type { BillingErrorCode } from '../domain/billingError.ts';

/** The HTTP status of each error code: the one place where codes become statuses. */
export const httpStatusOf: Record<BillingErrorCode, number> = {
  'invalid-argument': 400,
  'invalid-config': 400,
  'unknown-currency': 400,
  'unknown-time-zone': 400,
  'unreadable-input': 400,
  'not-found': 404,
  'overlapping-assignment': 409,
  'settlement-delay': 409,
  'invoice-immutable': 409,
  'plan-in-use': 409,
  'plan-locked': 409,
  'plan-unlocked': 409,
  'service-unavailable': 409,
  conflict: 409,
  'stale-version': 412,
  storage: 503,
  'invariant-violated': 500,
};
