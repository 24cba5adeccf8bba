import { describe, expect, it } from 'vitest';
import { contextFromEnvironment, processIo } from '../../src/cli/cliContext.ts';
import { cliEnvironment } from '../../src/cli/cliEnvironment.ts';
import { exitCodeOf } from '../../src/cli/exitCodes.ts';
import { isBillingError } from '../../src/domain/billingError.ts';

/** The exit status and sentence a bad environment gives (what main() prints after "confbill: "). */
function refusal(env: Record<string, string>): [number, string] {
  try {
    contextFromEnvironment({ ...processIo(), env });
  } catch (error) {
    if (isBillingError(error)) return [exitCodeOf[error.code], error.message];
    throw error;
  }
  return [0, ''];
}

describe('the environment, checked once', () => {
  it('refuses a CONFBILL_NOW that is no instant (it used to become an Invalid Date that passed the settlement-delay check)', () => {
    expect(refusal({ CONFBILL_NOW: 'tomorrow' })).toEqual([2, 'CONFBILL_NOW: "tomorrow" must be an ISO 8601 instant with an offset or Z, such as 2026-11-01T00:00:00Z; correct it, or unset it to use the real clock.']);
    // A local time without offset is ambiguous: refused too, not read in the machine's zone.
    expect(refusal({ CONFBILL_NOW: '2026-11-01T00:00:00' })[1]).toMatch(/^CONFBILL_NOW: "2026-11-01T00:00:00" must be an ISO 8601 instant with an offset or Z/);
    expect(refusal({ CONFBILL_NOW: '2026-02-30T00:00:00Z' })[0]).toBe(2);
    expect(contextFromEnvironment({ ...processIo(), env: { CONFBILL_NOW: '2026-11-01T01:00:00+01:00' } }).now().toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('refuses a CONFBILL_USER that is not a short plain name, and a CONFBILL_DATA with hidden characters, naming the variable', () => {
    expect(refusal({ CONFBILL_USER: 'mallory\u202eeve' })).toEqual([2, 'CONFBILL_USER: "mallory\\u202eeve" must be plain text: no control or invisible characters, no leading or trailing spaces; correct it, or unset it to use the login name.']);
    const [status, message] = refusal({ CONFBILL_USER: 'x'.repeat(101) });
    expect([status, message]).toEqual([2, `CONFBILL_USER: "${'x'.repeat(60)}…" must be a name of at most 100 characters; correct it, or unset it to use the login name.`]);
    expect(contextFromEnvironment({ ...processIo(), env: { CONFBILL_USER: 'Kari Nordmann' } }).user).toBe('Kari Nordmann');
    expect(refusal({ CONFBILL_DATA: 'data\u001b[2J' })).toEqual([2, 'CONFBILL_DATA: "data\\u001b[2J" must be a folder path without control or invisible characters; correct it, or unset it to use ./confbill-data.']);
  });

  it('refuses a DATABASE_URL that is not postgres:// without echoing it; empty variables are unset', () => {
    expect(refusal({ DATABASE_URL: 'mysql://root:secret@db/x' })).toEqual([2, 'DATABASE_URL is a mysql: URL; confbill needs postgres:// or postgresql:// (or unset it to use the embedded database).']);
    expect(cliEnvironment({ DATABASE_URL: '', CONFBILL_NOW: '', CONFBILL_USER: '', CONFBILL_DATA: '' })).toEqual({ databaseUrl: undefined, dataDir: undefined, now: undefined, user: undefined });
    expect(cliEnvironment({ DATABASE_URL: 'postgres://u:p@127.0.0.1/db' }).databaseUrl).toBe('postgres://u:p@127.0.0.1/db');
  });
});
