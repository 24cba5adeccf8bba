import { z } from 'zod';
import { BillingError } from '../domain/billingError.ts';
import { parseInstant } from '../domain/calendar.ts';
import { hasHiddenCharacters, messageSafeText } from '../domain/messageSafeText.ts';
import { postgresTarget } from '../services/postgresTarget.ts';

/** The environment confbill reads, each value checked; an unset or empty variable is absent. */
export interface CliEnvironment {
  /** DATABASE_URL: a PostgreSQL server; absent for the embedded database. */
  databaseUrl?: string;
  /** CONFBILL_DATA: the embedded database's folder (before `--data` and the default apply). */
  dataDir?: string;
  /** CONFBILL_NOW: a fixed clock (tests, demos of the past). */
  now?: Date;
  /** CONFBILL_USER: who acts, for histories (else the login name). */
  user?: string;
  /** CONFBILL_PASSWORD: the password of `user add` for scripts (never shown in a message). */
  password?: string;
}

/** Longest CONFBILL_USER: a name in a history line, not a text. */
export const maxUserLength = 100;
/** Longest CONFBILL_DATA: PATH_MAX on Linux. */
const maxPathLength = 4096;

const schema = z.object({
  CONFBILL_NOW: z
    .string()
    .refine((v) => parseInstant(v) !== undefined, `must be an ISO 8601 instant with an offset or Z, such as 2026-11-01T00:00:00Z; correct it, or unset it to use the real clock`)
    .optional(),
  CONFBILL_DATA: z
    .string()
    .max(maxPathLength, `must be a folder path of at most ${maxPathLength} characters; correct it, or unset it to use ./confbill-data`)
    .refine((v) => !hasHiddenCharacters(v), `must be a folder path without control or invisible characters; correct it, or unset it to use ./confbill-data`)
    .optional(),
  CONFBILL_USER: z
    .string()
    .max(maxUserLength, `must be a name of at most ${maxUserLength} characters; correct it, or unset it to use the login name`)
    .refine((v) => !hasHiddenCharacters(v) && v.trim() === v, `must be plain text: no control or invisible characters, no leading or trailing spaces; correct it, or unset it to use the login name`)
    .optional(),
  DATABASE_URL: z.string().optional(),
  // No rule here: a refusal would print the value. `user add` checks it without showing it.
  CONFBILL_PASSWORD: z.string().optional(),
});

/** The value shown in a message: enough to recognise it, never a screenful. */
function shown(value: string): string {
  const safe = messageSafeText(value);
  return safe.length > 60 ? `${safe.slice(0, 60)}…` : safe;
}

/**
 * Reads and checks the environment once, at the edge: a bad value is refused with the variable's
 * name, what it holds and the form expected (exit 2), instead of becoming an Invalid Date that
 * slips past every comparison later.
 */
export function cliEnvironment(env: Readonly<Record<string, string | undefined>>): CliEnvironment {
  // An empty variable (`CONFBILL_NOW= confbill …`) is the same as an unset one.
  const given = (name: keyof z.infer<typeof schema>): string | undefined => (env[name] === '' ? undefined : env[name]);
  const values = { CONFBILL_NOW: given('CONFBILL_NOW'), CONFBILL_DATA: given('CONFBILL_DATA'), CONFBILL_USER: given('CONFBILL_USER'), DATABASE_URL: given('DATABASE_URL'), CONFBILL_PASSWORD: given('CONFBILL_PASSWORD') };
  const result = schema.safeParse(values);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0]) as keyof typeof values;
    const value = values[name];
    const message = issue.code === 'invalid_type' ? 'must be text' : issue.message;
    throw new BillingError('invalid-argument', `${name}: "${shown(value ?? '')}" ${message}.`);
  }
  // Refused with DATABASE_URL named and the password never echoed (storage/postgresConnectionFailure.ts).
  if (values.DATABASE_URL !== undefined) postgresTarget(values.DATABASE_URL);
  return {
    databaseUrl: values.DATABASE_URL,
    dataDir: values.CONFBILL_DATA,
    now: values.CONFBILL_NOW === undefined ? undefined : new Date(parseInstant(values.CONFBILL_NOW)!),
    user: values.CONFBILL_USER,
    password: values.CONFBILL_PASSWORD,
  };
}
