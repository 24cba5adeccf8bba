/**
 * Every error that confbill reports to a person carries one of these codes. The API maps codes to
 * HTTP statuses in one place and the CLI maps them to exit codes in one place; nothing else does.
 */
export type BillingErrorCode =
  | 'invalid-config'
  | 'invalid-argument'
  | 'unknown-currency'
  | 'unknown-time-zone'
  | 'not-found'
  | 'overlapping-assignment'
  | 'settlement-delay'
  | 'invoice-immutable'
  | 'plan-in-use'
  | 'plan-locked'
  | 'plan-unlocked'
  | 'service-unavailable'
  | 'unreadable-input'
  | 'conflict'
  /** A change made on a version of a record that is no longer current (an API edit with a stale If-Match). */
  | 'stale-version'
  | 'invariant-violated'
  | 'storage';

export class BillingError extends Error {
  readonly code: BillingErrorCode;
  readonly details: unknown;

  constructor(code: BillingErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'BillingError';
    this.code = code;
    this.details = details;
  }
}

export function isBillingError(error: unknown): error is BillingError {
  return error instanceof BillingError;
}
