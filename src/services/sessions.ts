import { createHmac, randomBytes } from 'node:crypto';
import type { Principal } from '../domain/accessRole.ts';
import { BillingError } from '../domain/billingError.ts';
import type { Database } from '../storage/database.ts';
import { deleteExpiredSessions, deleteSession, insertSession, liveSession, touchSession } from '../storage/sessionStore.ts';
import { userById } from '../storage/userStore.ts';
import { secretDigest } from './secretDigest.ts';

/**
 * A session of a signed-in user (the web UI's cookie). The token is 32 random bytes in base64url;
 * the database keeps its SHA-256 only. The CSRF token is derived from the token (an HMAC keyed with
 * it), so it needs no column: only who holds the session token can know it, and a stolen table
 * gives neither. Sessions expire at a fixed time after sign-in (no sliding): a stolen cookie stops
 * working on schedule, however busy it is kept.
 */
const tokenForm = /^[A-Za-z0-9_-]{43}$/;

/** Eight hours: a working day. */
export const defaultSessionTtlSeconds = 8 * 60 * 60;
/** The last activity of a session is written at most this often. */
const lastSeenGranularitySeconds = 60;

function csrfTokenOf(token: string): string {
  return createHmac('sha256', token).update('confbill csrf token').digest('base64url');
}

/** Starts a session for a user who is not disabled (after `principalOfPassword`); removes expired sessions on the way. */
export async function startSession(db: Database, userId: string, now: Date = new Date(), ttlSeconds: number = defaultSessionTtlSeconds): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new BillingError('invalid-argument', `A session lasts a positive whole number of seconds, not ${ttlSeconds}.`);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  await db.transaction(async (tx) => {
    const user = await userById(tx, userId);
    if (!user || user.disabledAt !== null) throw new BillingError('not-found', `There is no user with id ${userId} who may sign in.`);
    await deleteExpiredSessions(tx, now);
    await insertSession(tx, { tokenSha256: secretDigest(token), userId, createdAt: now, expiresAt });
  });
  return { token, csrfToken: csrfTokenOf(token), expiresAt };
}

/**
 * Who holds this session token, and the CSRF token that its state-changing requests must carry; undefined
 * when the token is unknown, has expired, or its user is disabled.
 */
export async function principalOfSession(db: Database, token: string, now: Date = new Date()): Promise<{ principal: Principal; csrfToken: string } | undefined> {
  if (!tokenForm.test(token)) return undefined;
  const digest = secretDigest(token);
  const session = await liveSession(db, digest, now);
  if (!session) return undefined;
  if (now.getTime() - session.lastSeenAt.getTime() >= lastSeenGranularitySeconds * 1000) await touchSession(db, digest, now);
  return { principal: { kind: 'user', id: session.userId, name: session.userName, role: session.role }, csrfToken: csrfTokenOf(token) };
}

/** Ends a session (signing out); false when there was none. */
export async function endSession(db: Database, token: string): Promise<boolean> {
  if (!tokenForm.test(token)) return false;
  return deleteSession(db, secretDigest(token));
}
