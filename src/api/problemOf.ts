import type { BillingError, BillingErrorCode } from '../domain/billingError.ts';
import { httpStatusOf } from './httpStatusOf.ts';

/**
 * An error answer of the API as RFC 9457 `application/problem+json` has it, with the members
 * confbill adds: the error code, and where they help, the values a field may take and each problem
 * of a refused document.
 */
export interface BillingProblem {
  /** `urn:confbill:problem:<code>`: stable, for programs. */
  type: string;
  /** The same short summary for every occurrence of the code. */
  title: string;
  status: number;
  /** This occurrence, in a sentence a person can act on. */
  detail: string;
  /** The request field at fault, as the API names it (`from`, `unitPrice`, `customer`). */
  field?: string;
  code: BillingErrorCode;
  allowed?: string[];
  problems?: string[];
  /** A refusal that will pass later (the settlement delay): from when, and for which customer. */
  allowedAfter?: string;
  customerId?: string;
}

const titleOf: Readonly<Record<BillingErrorCode, string>> = {
  'invalid-config': 'Invalid configuration',
  'invalid-argument': 'Invalid input',
  'unknown-currency': 'Unknown currency',
  'unknown-time-zone': 'Unknown time zone',
  'not-found': 'Not found',
  'overlapping-assignment': 'Overlapping assignment',
  'settlement-delay': 'Too early to invoice',
  'invoice-immutable': 'Invoice approved',
  'plan-in-use': 'Plan in use',
  'plan-locked': 'Plan locked',
  'plan-unlocked': 'Plan unlocked',
  'service-unavailable': 'Service not available',
  'unreadable-input': 'Unreadable input',
  conflict: 'Conflict',
  'precondition-failed': 'Changed meanwhile',
  'invariant-violated': 'Books inconsistent',
  storage: 'Database unavailable',
};

/**
 * A server-side failure's message names folders, hosts and roles of the installation: the operator
 * reads it in the log, the client gets this.
 */
const serverSideDetail = 'The server cannot answer this request now; the cause is logged for its operator.';

/** The problem answer of a BillingError (the coordinator's error handler sends it; the message goes to the log when the status is 5xx). */
export function problemOf(error: BillingError): BillingProblem {
  const status = httpStatusOf[error.code];
  const { field, allowed, problems, allowedAfter, customer } = error.details;
  return {
    type: `urn:confbill:problem:${error.code}`,
    title: titleOf[error.code],
    status,
    detail: status >= 500 ? serverSideDetail : error.message,
    ...(field === undefined ? {} : { field }),
    code: error.code,
    ...(allowed === undefined ? {} : { allowed: [...allowed] }),
    ...(problems === undefined ? {} : { problems: [...problems] }),
    ...(allowedAfter === undefined ? {} : { allowedAfter, ...(customer === undefined ? {} : { customerId: customer }) }),
  };
}
