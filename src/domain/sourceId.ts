import { BillingError } from './billingError.ts';
import { messageSafeText } from './messageSafeText.ts';

/**
 * The one rule for a source id, wherever one is given: the configuration's `sources[].id`,
 * `confbill ingest --source` and the `<source-id>` of every receiver URL. A source id becomes a key
 * of stored calls and records, a URL segment and a name in reports, so it is a plain lower-case name:
 * no path (`../../etc/passwd`), no markup (`<script>`), no invisible or direction-changing
 * characters (U+202E), no control characters, never empty, at most 64 characters.
 */
export const sourceIdPattern = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** The rule in words, for messages. */
export const sourceIdRule = 'lower-case letters a-z, 0-9, ".", "_" and "-", starting with a letter or digit, at most 64 characters';

export function isSourceId(value: string): boolean {
  return sourceIdPattern.test(value);
}

/** A value as a person may safely see it in a message, cut after 64 characters. */
function shown(value: string): string {
  return messageSafeText(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}

/** Why `value` is no source id (the value shown safely, and the rule), or undefined when it is one. */
export function sourceIdProblem(value: string): string | undefined {
  return isSourceId(value) ? undefined : `"${shown(value)}" is not a source id: use ${sourceIdRule} (such as cms-oslo-1).`;
}

/** The source id, or an `invalid-argument` error that says what `where` holds and what a source id is. */
export function checkedSourceId(value: string, where: string): string {
  const problem = sourceIdProblem(value);
  if (problem) throw new BillingError('invalid-argument', `${where} ${problem}`, { field: 'source', value });
  return value;
}
