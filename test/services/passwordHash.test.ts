import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, hashPassword, unmatchablePasswordHash, verifyPassword } from '../../src/services/passwordHash.ts';

// Issue 10 §3: passwords stored as a self-describing scrypt hash, never in clear.
describe('password hashes', () => {
  it('are scrypt$N$r$p$salt$hash with N = 2^15, a 16-byte salt and a 32-byte hash, salted anew each time, and verify only the password', async () => {
    const password = 'correct horse battery';
    const [first, second] = await Promise.all([hashPassword(password), hashPassword(password)]);
    const form = /^scrypt\$32768\$8\$1\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;
    const [, salt, hash] = form.exec(first)!;
    expect(Buffer.from(salt!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(hash!, 'base64url')).toHaveLength(32);
    expect(second).not.toBe(first);
    expect(first).not.toContain(password);
    expect(await Promise.all([verifyPassword(password, first), verifyPassword(password, second), verifyPassword('correct horse battery ', first), verifyPassword('Correct horse battery', first)])).toEqual([true, true, false, false]);
  });

  it('take the parameters written in the hash, so hashes made with other ones still verify', async () => {
    // scrypt("twelve chars!", salt "0123456789abcdef", N=1024, r=8, p=1, 32 bytes), computed once with node:crypto.
    const { scryptSync } = await import('node:crypto');
    const cheap = `scrypt$1024$8$1$${Buffer.from('0123456789abcdef').toString('base64url')}$${scryptSync('twelve chars!', '0123456789abcdef', 32, { N: 1024, r: 8, p: 1 }).toString('base64url')}`;
    expect(await verifyPassword('twelve chars!', cheap)).toBe(true);
    expect(await verifyPassword('twelve chars?', cheap)).toBe(false);
  });

  it('treat the two Unicode forms of a password as the same password', async () => {
    const stored = await hashPassword('Crème brûlée au café');
    expect(await verifyPassword('Cre\u0300me bru\u0302le\u0301e au cafe\u0301', stored)).toBe(true);
  });

  it('refuse what is no hash of ours, and parameters that would make a check cost minutes', async () => {
    const malformed = ['', 'plain text', 'bcrypt$12$abc', 'scrypt$32768$8$1$$', 'scrypt$1048577$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'scrypt$4194304$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'];
    for (const stored of malformed) expect(await verifyPassword('twelve chars!', stored), stored).toBe(false);
    expect(await verifyPassword('twelve chars!', unmatchablePasswordHash())).toBe(false);
  });

  it('refuse a password shorter than 12 characters, counted as characters, not bytes', () => {
    expect(() => checkPasswordPolicy('elevenchars')).toThrow('The password has 11 characters; use at least 12 (a few words make a good one).');
    expect(() => checkPasswordPolicy('ééééééééééé')).toThrow('The password has 11 characters; use at least 12');
    expect(() => checkPasswordPolicy('x'.repeat(1025))).toThrow('The password has 1025 characters; use at most 1024.');
    expect(() => checkPasswordPolicy('twelve chars')).not.toThrow();
  });
});
