import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { BillingError } from '../domain/billingError.ts';

/**
 * Passwords are stored as `scrypt$N$r$p$salt$hash` (salt and hash base64url): the string names its
 * own parameters, so stronger ones can be chosen later and the hashes stored before still verify.
 * N = 2^15, r = 8 takes about 100 ms and 32 MiB per hash: slow for whoever guesses from a stolen
 * table, bearable for a sign-in. The hash runs on libuv's thread pool, never on the event loop.
 */
const current = { N: 2 ** 15, r: 8, p: 1 };
const saltBytes = 16;
const hashBytes = 32;

export const minPasswordLength = 12;
/** Beyond this a password is no longer something typed; refused so nobody makes the server hash megabytes. */
export const maxPasswordLength = 1024;

function scryptHash(password: string, salt: Buffer, params: { N: number; r: number; p: number }, length: number): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node refuses more than 32 MiB unless told.
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => scrypt(normalized(password), salt, length, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** The same password typed on two systems may come in two Unicode forms; both are the password. */
function normalized(password: string): string {
  return password.normalize('NFC');
}

function length(password: string): number {
  return [...normalized(password)].length;
}

/** Refuses a password that is too short or too long, in one sentence naming the rule. */
export function checkPasswordPolicy(password: string): void {
  const n = length(password);
  if (n < minPasswordLength) throw new BillingError('invalid-argument', `The password has ${n} character${n === 1 ? '' : 's'}; use at least ${minPasswordLength} (a few words make a good one).`);
  if (n > maxPasswordLength) throw new BillingError('invalid-argument', `The password has ${n} characters; use at most ${maxPasswordLength}.`);
}

/** The stored form of a password that passes the policy. */
export async function hashPassword(password: string): Promise<string> {
  checkPasswordPolicy(password);
  const salt = randomBytes(saltBytes);
  const hash = await scryptHash(password, salt, current, hashBytes);
  return ['scrypt', current.N, current.r, current.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

const storedForm = /^scrypt\$(\d{1,10})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

/** Parameters outside these bounds are no hash confbill made; refusing them keeps a bad row from costing minutes. */
function plausible(N: number, r: number, p: number): boolean {
  return N >= 2 && N <= 2 ** 20 && (N & (N - 1)) === 0 && r >= 1 && r <= 32 && p >= 1 && p <= 16;
}

/** Whether `password` is the one `stored` was made from; compared in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = storedForm.exec(stored);
  if (!parts) return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (!plausible(N, r, p) || expected.length < 16 || length(password) > maxPasswordLength) return false;
  const actual = await scryptHash(password, salt, { N, r, p }, expected.length);
  return timingSafeEqual(actual, expected);
}

/**
 * A hash in the stored form with the current parameters that no password matches: checking a
 * password against it for an unknown name takes as long as for a known one, so the time of an
 * answer does not tell whether a name exists.
 */
export function unmatchablePasswordHash(): string {
  return ['scrypt', current.N, current.r, current.p, randomBytes(saltBytes).toString('base64url'), randomBytes(hashBytes).toString('base64url')].join('$');
}
