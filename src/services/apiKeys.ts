import { randomBytes, randomUUID } from 'node:crypto';
import type { Principal } from '../domain/accessRole.ts';
import { checkedAccessName } from '../domain/accessName.ts';
import type { ApiKeyView } from '../domain/apiKeyView.ts';
import { BillingError } from '../domain/billingError.ts';
import { checkedAccessRole } from '../domain/checkedAccessRole.ts';
import { activeApiKeyByName, apiKeyById, apiKeyByPrefix, apiKeyViewOf, insertApiKey, listApiKeys as storedApiKeys, markApiKeyRevoked, touchApiKey, type ApiKeyCredentials } from '../storage/apiKeyStore.ts';
import type { Database } from '../storage/database.ts';
import { currentGenerations } from './currentGenerations.ts';
import { sameDigest, secretDigest } from './secretDigest.ts';
import { appendAuditEntry } from '../storage/auditLogStore.ts';

/**
 * An API key is `cbk_<prefix>_<secret>`: "cbk" says what it is (secret scanners can look for it), the
 * prefix (8 hex digits, not secret) finds its row and tells keys apart in lists, the secret is 32
 * random bytes in base64url. Only the key's SHA-256 is stored; the key itself is shown once.
 */
/** How every API key begins; the API takes a basic-auth password that does for a key. */
export const apiKeyPrefix = 'cbk_';
const keyForm = new RegExp(`^${apiKeyPrefix}([0-9a-f]{8})_[A-Za-z0-9_-]{43}$`);
const uuidForm = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The last use of a key is written at most this often, so a busy receiver does not write on every request. */
export const lastUsedGranularitySeconds = 60;

/** What the audit log records as the actor of a key: never mistaken for a user, whose names have no ":". */
export function apiKeyActorName(keyName: string): string {
  return `apikey:${keyName}`;
}

/** Makes a key; the result's `secret` is the only time anyone sees it. */
export async function createApiKey(db: Database, input: { name: string; role: string; actor: string; now?: Date }): Promise<{ key: ApiKeyView; secret: string }> {
  const name = checkedAccessName(input.name, 'API key name');
  const role = checkedAccessRole(input.role);
  return db.transaction(async (tx) => {
    // A random prefix may, rarely, be one another key has: then another is drawn.
    for (let attempt = 0; attempt < 5; attempt++) {
      const prefix = randomBytes(4).toString('hex');
      const secret = `${apiKeyPrefix}${prefix}_${randomBytes(32).toString('base64url')}`;
      const id = randomUUID();
      if (await insertApiKey(tx, { id, name, role, prefix, secretSha256: secretDigest(secret), createdAt: input.now ?? new Date(), createdBy: input.actor })) {
        const key = apiKeyViewOf((await apiKeyById(tx, id))!);
        await appendAuditEntry(tx, { actor: input.actor, action: 'apikey.created', objectKind: 'apikey', objectId: key.id, before: null, after: { name: key.name, role: key.role, prefix: key.prefix } });
        return { key, secret };
      }
      const taken = await activeApiKeyByName(tx, name);
      if (taken) throw new BillingError('conflict', `An API key named "${taken.name}" already exists (names are unique ignoring case among keys not revoked); choose another name or revoke that key first.`);
    }
    throw new BillingError('conflict', 'No free key prefix was found in 5 draws; create the key again.');
  });
}

/** Every key, revoked ones included, oldest first; never a secret nor its hash. */
export async function listApiKeys(db: Database): Promise<ApiKeyView[]> {
  return storedApiKeys(db);
}

/** Revokes the key not revoked of this name (ignoring case), or the key of this id; returns it as it is now. */
export async function revokeApiKey(db: Database, nameOrId: string, actor: string, now: Date = new Date()): Promise<ApiKeyView> {
  const maybeId = uuidForm.test(nameOrId);
  checkedAccessName(nameOrId, 'API key name or id');
  return db.transaction(async (tx) => {
    // A name may look like an id (both are letters, digits and "-"): the id is tried first.
    const key = (maybeId ? await apiKeyById(tx, nameOrId.toLowerCase(), { forUpdate: true }) : undefined) ?? (await activeApiKeyByName(tx, nameOrId, { forUpdate: true }));
    if (!key) throw new BillingError('not-found', `There is no API key named "${nameOrId}" that is not revoked, nor one with that id; the list of API keys shows their names and ids.`);
    if (key.revokedAt !== null) throw new BillingError('conflict', `API key "${key.name}" (${key.id}) was already revoked at ${key.revokedAt} by ${key.revokedBy}.`);
    await markApiKeyRevoked(tx, key.id, now, actor);
    await appendAuditEntry(tx, { actor, action: 'apikey.revoked', objectKind: 'apikey', objectId: key.id, before: { name: key.name, revokedAt: null }, after: { revokedAt: now.toISOString() } });
    return apiKeyViewOf((await apiKeyById(tx, key.id))!);
  });
}

/** Per database, the keys looked up while the configuration generation stood (a receiver's sender presents its key with every post). */
const keptKeys = new WeakMap<Database, { generation: number; keys: Map<string, ApiKeyCredentials> }>();

/**
 * The key of this prefix, from those this process keeps while the configuration generation (which
 * every write of api_keys moves: a new, revoked or used key) stands; a prefix of no key is asked
 * again each time, so that guessed prefixes fill no memory.
 */
async function keptApiKey(db: Database, prefix: string): Promise<ApiKeyCredentials | undefined> {
  const { configuration: generation } = await currentGenerations(db);
  let kept = keptKeys.get(db);
  if (!kept || kept.generation !== generation) keptKeys.set(db, (kept = { generation, keys: new Map() }));
  const known = kept.keys.get(prefix);
  if (known) return known;
  const key = await apiKeyByPrefix(db, prefix);
  // Read after the generation: a change committed in between makes it look older than it is, never newer.
  if (key && kept.keys.size < 1_000) kept.keys.set(prefix, key);
  return key;
}

/**
 * Who presents this key: undefined for anything that is no key of ours or a revoked one. Records the
 * use (at most once a minute per key).
 */
export async function principalOfApiKey(db: Database, secret: string, now: Date = new Date()): Promise<Principal | undefined> {
  const form = keyForm.exec(secret);
  if (!form) return undefined;
  const key = await keptApiKey(db, form[1]!);
  if (!key || !sameDigest(secretDigest(secret), key.secretSha256) || key.revokedAt !== null) return undefined;
  if (key.lastUsedAt === null || now.getTime() - Date.parse(key.lastUsedAt) >= lastUsedGranularitySeconds * 1000) await touchApiKey(db, key.id, now, lastUsedGranularitySeconds);
  return { kind: 'api-key', id: key.id, name: apiKeyActorName(key.name), role: key.role };
}
