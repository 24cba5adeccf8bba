import type { AccessRole } from '../domain/accessRole.ts';
import type { Sql } from './database.ts';

export async function insertSession(db: Sql, session: { tokenSha256: string; userId: string; createdAt: Date; expiresAt: Date }): Promise<void> {
  await db.query(`INSERT INTO sessions (token_sha256, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $3)`, [
    session.tokenSha256,
    session.userId,
    session.createdAt,
    session.expiresAt,
  ]);
}

export interface LiveSession {
  userId: string;
  userName: string;
  role: AccessRole;
  lastSeenAt: Date;
}

/** The session of this token hash when it has not expired at `now` and its user is not disabled. */
export async function liveSession(db: Sql, tokenSha256: string, now: Date): Promise<LiveSession | undefined> {
  const [row] = await db.query<LiveSession>(
    `SELECT u.id AS "userId", u.name AS "userName", u.role, s.last_seen_at AS "lastSeenAt"
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_sha256 = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`,
    [tokenSha256, now],
  );
  return row;
}

export async function touchSession(db: Sql, tokenSha256: string, at: Date): Promise<void> {
  await db.query(`UPDATE sessions SET last_seen_at = $2 WHERE token_sha256 = $1 AND last_seen_at < $2`, [tokenSha256, at]);
}

/** Deletes one session; false when there was none. */
export async function deleteSession(db: Sql, tokenSha256: string): Promise<boolean> {
  return (await db.query(`DELETE FROM sessions WHERE token_sha256 = $1 RETURNING 1`, [tokenSha256])).length > 0;
}

export async function deleteSessionsOfUser(db: Sql, userId: string): Promise<number> {
  return (await db.query(`DELETE FROM sessions WHERE user_id = $1 RETURNING 1`, [userId])).length;
}

export async function deleteExpiredSessions(db: Sql, now: Date): Promise<number> {
  return (await db.query(`DELETE FROM sessions WHERE expires_at <= $1 RETURNING 1`, [now])).length;
}
