import { accessRoles, isAccessRole, type AccessRole } from './accessRole.ts';
import { BillingError } from './billingError.ts';
import { messageSafeText } from './messageSafeText.ts';

/** The role, or an `invalid-argument` error that lists the roles there are. */
export function checkedAccessRole(value: string): AccessRole {
  if (isAccessRole(value)) return value;
  const shown = messageSafeText(value.length > 64 ? `${value.slice(0, 64)}…` : value);
  throw new BillingError('invalid-argument', `"${shown}" is not a role: use one of ${accessRoles.join(', ')}.`);
}
