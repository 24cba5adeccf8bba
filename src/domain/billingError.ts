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
  /** A change made on a version of an object that another change has replaced (HTTP If-Match). */
  | 'precondition-failed'
  | 'invariant-violated'
  | 'storage';

/**
 * What a person can do next about an error, named without the words of a face: the CLI turns it
 * into a command to run (`confbill plan list`), the API may turn it into a link. Each face decides
 * whether and how to say it.
 */
export type BillingErrorRemedy =
  | 'list-customers'
  | 'list-plans'
  | 'list-assignments'
  | 'list-entities'
  | 'list-invoices'
  | 'list-available-services'
  | 'unlock-plan'
  | 'lock-plan'
  | 'edit-plan'
  | 'apply-with-force'
  | 'delete-entity'
  | 'migrate-schema';

/**
 * The facts of an error, for the faces: the input at fault, its value, what it may be, and what to
 * do next. Messages raised below the faces never name a command-line flag or command; the faces
 * add those from these details (docs/architecture.md, "Errors").
 */
export interface BillingErrorDetails {
  /** The input at fault, named as the API and the configuration file name it: `from`, `unitPrice`, `customer`… */
  readonly field?: string;
  /** The value given for the field, as given. */
  readonly value?: string;
  /** The values the field may take, when they are a short list. */
  readonly allowed?: readonly string[];
  /** Each problem found, when one error reports several (a configuration file, a plan). */
  readonly problems?: readonly string[];
  /** What a person can do next. */
  readonly remedy?: BillingErrorRemedy;
  /** The customer the error is about, when the field does not name it (an entity's customer). */
  readonly customer?: string;
  /** The plan the error is about, when the field does not name it. */
  readonly plan?: string;
  /** The entity the error is about, when the field does not name it. */
  readonly entity?: string;
  /** docs/billing-rules.md §10: the instant a service was asked for, and why it is not available then. */
  readonly at?: string;
  readonly reason?: string;
  /** docs/billing-rules.md §8: the instant from which an invoice refused for the settlement delay may be generated. */
  readonly allowedAfter?: string;
}

export class BillingError extends Error {
  readonly code: BillingErrorCode;
  readonly details: BillingErrorDetails;

  constructor(code: BillingErrorCode, message: string, details: BillingErrorDetails = {}) {
    super(message);
    this.name = 'BillingError';
    this.code = code;
    this.details = details;
  }
}

export function isBillingError(error: unknown): error is BillingError {
  return error instanceof BillingError;
}
