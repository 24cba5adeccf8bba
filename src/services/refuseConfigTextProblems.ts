import { BillingError } from '../domain/billingError.ts';
import { messageSafeText } from '../domain/messageSafeText.ts';
import { reservedKeyPaths } from '../domain/reservedKeys.ts';
import { configTextProblems } from './configTextProblems.ts';

function fieldPath(path: readonly (string | number)[]): string {
  return messageSafeText(path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), ''));
}

/**
 * Refuses a part of a configuration given by itself (one customer, one source: the API's bodies) that
 * holds text the configuration file may not hold (configTextProblems) or a `__proto__` key, as
 * `validateProviderConfig` does for a whole file. The error names the first field at fault, from the
 * part's own top (`name`, `matching[0].value`), and every problem.
 */
export function refuseConfigTextProblems(part: unknown, what: string): void {
  const problems = configTextProblems(part).map((p) => ({ field: fieldPath(p.path), message: p.message }));
  for (const path of reservedKeyPaths(part)) problems.push({ field: path, message: '"__proto__" is a reserved name; use another name' });
  if (problems.length === 0) return;
  const text = problems.map((p) => `${p.field || '(top level)'}: ${p.message}`).join('; ');
  throw new BillingError('invalid-config', `${what} is not valid, nothing was applied: ${text}.`, { field: problems[0]!.field || undefined, problems: problems.map((p) => `${p.field}: ${p.message}`) });
}
