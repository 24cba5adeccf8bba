import type { AccessRole } from '../domain/accessRole.ts';
import type { ApiKeyView } from '../domain/apiKeyView.ts';
import type { Sql } from './database.ts';

/** A key with the SHA-256 of its secret; only services see the hash. */
export interface ApiKeyCredentials extends ApiKeyView {
  secretSha256: string;
}

interface ApiKeyRow {
  id: string;
  name: string;
  role: AccessRole;
  prefix: string;
  secretSha256: string;
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

const columns = `id, name, role, prefix, secret_sha256 AS "secretSha256", created_at AS "createdAt", created_by AS "createdBy",
  last_used_at AS "lastUsedAt", revoked_at AS "revokedAt", revoked_by AS "revokedBy"`;

function credentialsOf(r: ApiKeyRow): ApiKeyCredentials {
  return { ...r, createdAt: r.createdAt.toISOString(), lastUsedAt: r.lastUsedAt?.toISOString() ?? null, revokedAt: r.revokedAt?.toISOString() ?? null };
}

export function apiKeyViewOf(key: ApiKeyCredentials): ApiKeyView {
  const { secretSha256: _hash, ...view } = key;
  return view;
}

/**
 * Inserts a key; false (and nothing written) when its name is taken by a key not revoked (ignoring
 * case) or, rarely, its random prefix by any key.
 */
export async function insertApiKey(db: Sql, key: { id: string; name: string; role: AccessRole; prefix: string; secretSha256: string; createdAt: Date; createdBy: string }): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO api_keys (id, name, role, prefix, secret_sha256, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING 1`,
    [key.id, key.name, key.role, key.prefix, key.secretSha256, key.createdAt, key.createdBy],
  );
  return rows.length > 0;
}

/** Every key, revoked ones included, by creation. */
export async function listApiKeys(db: Sql): Promise<ApiKeyView[]> {
  return (await db.query<ApiKeyRow>(`SELECT ${columns} FROM api_keys ORDER BY created_at, id`)).map((r) => apiKeyViewOf(credentialsOf(r)));
}

export async function apiKeyByPrefix(db: Sql, prefix: string): Promise<ApiKeyCredentials | undefined> {
  const [row] = await db.query<ApiKeyRow>(`SELECT ${columns} FROM api_keys WHERE prefix = $1`, [prefix]);
  return row && credentialsOf(row);
}

export async function apiKeyById(db: Sql, id: string, options: { forUpdate?: boolean } = {}): Promise<ApiKeyCredentials | undefined> {
  const [row] = await db.query<ApiKeyRow>(`SELECT ${columns} FROM api_keys WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return row && credentialsOf(row);
}

/** The key of this name that is not revoked, ignoring case. */
export async function activeApiKeyByName(db: Sql, name: string, options: { forUpdate?: boolean } = {}): Promise<ApiKeyCredentials | undefined> {
  const [row] = await db.query<ApiKeyRow>(`SELECT ${columns} FROM api_keys WHERE lower(name) = lower($1) AND revoked_at IS NULL${options.forUpdate ? ' FOR UPDATE' : ''}`, [name]);
  return row && credentialsOf(row);
}

export async function markApiKeyRevoked(db: Sql, id: string, at: Date, by: string): Promise<void> {
  await db.query(`UPDATE api_keys SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL`, [id, at, by]);
}

/** Records a use, unless one was recorded less than `granularitySeconds` before `at`. */
export async function touchApiKey(db: Sql, id: string, at: Date, granularitySeconds: number): Promise<void> {
  await db.query(
    `UPDATE api_keys SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $2::timestamptz - make_interval(secs => $3))`,
    [id, at, granularitySeconds],
  );
}
