import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The SHA-256 of a random secret (an API key, a session token), hex: what the database keeps instead
 * of the secret. The secrets are 256-bit random, so nobody can find one from its digest by guessing,
 * and a fast hash is enough; passwords, which people choose, get scrypt (passwordHash.ts).
 */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether two hex digests are equal, in time that does not depend on where they differ. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
