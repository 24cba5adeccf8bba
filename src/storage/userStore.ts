import type { AccessRole } from '../domain/accessRole.ts';
import type { UserView } from '../domain/userView.ts';
import type { Sql } from './database.ts';

/** A user with what signing in needs; only services see the hash. */
export interface UserCredentials extends UserView {
  passwordHash: string;
}

interface UserRow {
  id: string;
  name: string;
  role: AccessRole;
  passwordHash: string;
  createdAt: Date;
  createdBy: string;
  disabledAt: Date | null;
  disabledBy: string | null;
}

const columns = `id, name, role, password_hash AS "passwordHash", created_at AS "createdAt", created_by AS "createdBy", disabled_at AS "disabledAt", disabled_by AS "disabledBy"`;

function credentialsOf(r: UserRow): UserCredentials {
  return { ...r, createdAt: r.createdAt.toISOString(), disabledAt: r.disabledAt?.toISOString() ?? null };
}

function viewOf(r: UserRow): UserView {
  const { passwordHash: _hash, ...view } = credentialsOf(r);
  return view;
}

/** Inserts a user; false (and nothing written) when the name is taken, ignoring case. */
export async function insertUser(db: Sql, user: { id: string; name: string; role: AccessRole; passwordHash: string; createdAt: Date; createdBy: string }): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO users (id, name, role, password_hash, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING 1`,
    [user.id, user.name, user.role, user.passwordHash, user.createdAt, user.createdBy],
  );
  return rows.length > 0;
}

/** Every user, by name. */
export async function listUsers(db: Sql): Promise<UserView[]> {
  return (await db.query<UserRow>(`SELECT ${columns} FROM users ORDER BY lower(name), name`)).map(viewOf);
}

/** The user of this name, ignoring case (names are unique so), with the password hash. */
export async function userByName(db: Sql, name: string, options: { forUpdate?: boolean } = {}): Promise<UserCredentials | undefined> {
  const [row] = await db.query<UserRow>(`SELECT ${columns} FROM users WHERE lower(name) = lower($1)${options.forUpdate ? ' FOR UPDATE' : ''}`, [name]);
  return row && credentialsOf(row);
}

export async function markUserDisabled(db: Sql, id: string, at: Date, by: string): Promise<void> {
  await db.query(`UPDATE users SET disabled_at = $2, disabled_by = $3 WHERE id = $1 AND disabled_at IS NULL`, [id, at, by]);
}

export async function userById(db: Sql, id: string): Promise<UserCredentials | undefined> {
  const [row] = await db.query<UserRow>(`SELECT ${columns} FROM users WHERE id = $1`, [id]);
  return row && credentialsOf(row);
}
