import { BillingError } from './billingError.ts';
import { messageSafeText } from './messageSafeText.ts';

/**
 * The one rule for the name of a user or an API key. The name is what the audit log records as the
 * actor and what logs and headers may carry, so it is plain ASCII: letters, digits, ".", "_", "-"
 * and "@" (an e-mail address fits), 1 to 64 characters. Names are unique ignoring case.
 */
export const accessNamePattern = /^[A-Za-z0-9._@-]{1,64}$/;

export const accessNameRule = 'letters A-Z and a-z, digits, ".", "_", "-" and "@", 1 to 64 characters';

export function isAccessName(value: string): boolean {
  return accessNamePattern.test(value);
}

/** The name, or an `invalid-argument` error naming what `what` is ("user name", "API key name") and the rule. */
export function checkedAccessName(value: string, what: string): string {
  if (isAccessName(value)) return value;
  const shown = messageSafeText(value.length > 64 ? `${value.slice(0, 64)}…` : value);
  throw new BillingError('invalid-argument', `"${shown}" is not a valid ${what}: use ${accessNameRule} (such as billing-export).`);
}
