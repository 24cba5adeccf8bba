import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApiKey, listApiKeys, principalOfApiKey, revokeApiKey } from '../../src/services/apiKeys.ts';
import { endSession, principalOfSession, startSession } from '../../src/services/sessions.ts';
import { addUser, disableUser, listUsers, principalOfPassword } from '../../src/services/users.ts';
import type { Database } from '../../src/storage/database.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const at = (iso: string): Date => new Date(iso);

/** Everything the access tables hold, as text: where a secret in clear would show. */
async function accessTablesText(db: Database): Promise<string> {
  const rows = await db.query<{ t: string }>(`SELECT row_to_json(u)::text AS t FROM users u UNION ALL SELECT row_to_json(k)::text FROM api_keys k UNION ALL SELECT row_to_json(s)::text FROM sessions s`);
  return rows.map((r) => r.t).join('\n');
}

async function refusal(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await work.then(() => undefined, (e: unknown) => e as { code: string; message: string });
  if (!error) throw new Error('expected a refusal');
  return { code: error.code, message: error.message };
}

// Issue 10 §3: users with passwords, API keys and sessions, below the HTTP layer.
describe.each(databaseKinds)('users, API keys and sessions on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('adds a user with a scrypt hash and signs in with the password only; unknown names, wrong passwords and disabled users get nothing', async () => {
    const password = 'alice likes invoices';
    const alice = await addUser(db, { name: 'alice', role: 'billing', password, actor: 'root', now: at('2026-11-01T10:00:00Z') });
    expect(alice).toMatchObject({ name: 'alice', role: 'billing', createdAt: '2026-11-01T10:00:00.000Z', createdBy: 'root', disabledAt: null, disabledBy: null });
    expect(alice).not.toHaveProperty('passwordHash');
    const [stored] = await db.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE name = 'alice'`);
    expect(stored!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await accessTablesText(db)).not.toContain(password);

    const now = at('2026-11-02T00:00:00Z');
    const [right, sameNameOtherCase, wrong, unknown, invalidName] = await Promise.all([
      principalOfPassword(db, 'alice', password, now),
      principalOfPassword(db, 'ALICE', password, now),
      principalOfPassword(db, 'alice', 'alice likes invoiceS', now),
      principalOfPassword(db, 'mallory', password, now),
      principalOfPassword(db, "alice' OR '1'='1", password, now),
    ]);
    expect(right).toEqual({ kind: 'user', id: alice.id, name: 'alice', role: 'billing' });
    expect(sameNameOtherCase).toEqual(right);
    expect([wrong, unknown, invalidName]).toEqual([undefined, undefined, undefined]);

    const disabled = await disableUser(db, 'alice', 'root', at('2026-11-03T00:00:00Z'));
    expect(disabled).toMatchObject({ name: 'alice', disabledAt: '2026-11-03T00:00:00.000Z', disabledBy: 'root' });
    expect(await principalOfPassword(db, 'alice', password, now)).toBeUndefined();
    expect(await refusal(disableUser(db, 'alice', 'root'))).toEqual({ code: 'conflict', message: 'User "alice" was already disabled at 2026-11-03T00:00:00.000Z by root.' });
    expect(await refusal(disableUser(db, 'nobody', 'root'))).toEqual({ code: 'not-found', message: 'There is no user named "nobody"; the list of users shows who there is.' });
  });

  it('refuses short passwords, bad names and roles, and a name taken in any case; nothing is stored then', async () => {
    const before = await listUsers(db);
    const attempts = [
      addUser(db, { name: 'bob', role: 'viewer', password: 'short pass', actor: 'root' }),
      addUser(db, { name: 'bob smith', role: 'viewer', password: 'long enough password', actor: 'root' }),
      addUser(db, { name: '__proto__\u202e', role: 'viewer', password: 'long enough password', actor: 'root' }),
      addUser(db, { name: 'bob', role: 'superuser', password: 'long enough password', actor: 'root' }),
      addUser(db, { name: 'bob', role: '__proto__', password: 'long enough password', actor: 'root' }),
    ];
    expect(await Promise.all(attempts.map(refusal))).toEqual([
      { code: 'invalid-argument', message: 'The password has 10 characters; use at least 12 (a few words make a good one).' },
      { code: 'invalid-argument', message: '"bob smith" is not a valid user name: use letters A-Z and a-z, digits, ".", "_", "-" and "@", 1 to 64 characters (such as billing-export).' },
      { code: 'invalid-argument', message: '"__proto__\\u202e" is not a valid user name: use letters A-Z and a-z, digits, ".", "_", "-" and "@", 1 to 64 characters (such as billing-export).' },
      { code: 'invalid-argument', message: '"superuser" is not a role: use one of admin, billing, approver, viewer, ingest.' },
      { code: 'invalid-argument', message: '"__proto__" is not a role: use one of admin, billing, approver, viewer, ingest.' },
    ]);
    expect(await listUsers(db)).toEqual(before);

    await addUser(db, { name: 'Carol@example.com', role: 'approver', password: 'carol approves things', actor: 'root' });
    expect(await refusal(addUser(db, { name: 'carol@EXAMPLE.com', role: 'viewer', password: 'another carol here', actor: 'root' }))).toEqual({
      code: 'conflict',
      message: 'A user named "Carol@example.com" already exists (names are unique ignoring case); choose another name.',
    });
    const users = await listUsers(db);
    expect(users.map((u) => [u.name, u.role])).toEqual([
      ['alice', 'billing'],
      ['Carol@example.com', 'approver'],
    ]);
    for (const u of users) expect(Object.keys(u).sort()).toEqual(['createdAt', 'createdBy', 'disabledAt', 'disabledBy', 'id', 'name', 'role']);
  });

  it('creates an API key shown once, stores only its SHA-256, knows who presents it and records the last use at most once a minute', async () => {
    const { key, secret } = await createApiKey(db, { name: 'billing-export', role: 'billing', actor: 'root', now: at('2026-11-01T00:00:00Z') });
    const form = /^cbk_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/.exec(secret);
    expect(form).not.toBeNull();
    expect(key).toMatchObject({ name: 'billing-export', role: 'billing', prefix: form![1], createdAt: '2026-11-01T00:00:00.000Z', createdBy: 'root', lastUsedAt: null, revokedAt: null });
    const stored = await accessTablesText(db);
    expect(stored).not.toContain(form![2]);
    expect(stored).toContain(createHash('sha256').update(secret).digest('hex'));

    expect(await principalOfApiKey(db, secret, at('2026-11-05T12:00:00Z'))).toEqual({ kind: 'api-key', id: key.id, name: 'apikey:billing-export', role: 'billing' });
    const lastUsed = async (): Promise<string | null> => (await listApiKeys(db)).find((k) => k.id === key.id)!.lastUsedAt;
    expect(await lastUsed()).toBe('2026-11-05T12:00:00.000Z');
    await principalOfApiKey(db, secret, at('2026-11-05T12:00:59Z'));
    expect(await lastUsed()).toBe('2026-11-05T12:00:00.000Z');
    await principalOfApiKey(db, secret, at('2026-11-05T12:01:00Z'));
    expect(await lastUsed()).toBe('2026-11-05T12:01:00.000Z');

    const forged = `cbk_${form![1]}_${form![2]!.slice(0, -1)}${form![2]!.endsWith('A') ? 'B' : 'A'}`;
    for (const wrong of [forged, `cbk_00000000_${form![2]}`, secret.toUpperCase(), `${secret} `, '', 'Bearer x']) expect(await principalOfApiKey(db, wrong, at('2026-11-05T13:00:00Z')), wrong).toBeUndefined();
    expect(await lastUsed()).toBe('2026-11-05T12:01:00.000Z');
  });

  it('revokes a key by name or id: it stops working at once, frees its name, and lists show it revoked but never a secret', async () => {
    const first = await createApiKey(db, { name: 'receiver', role: 'ingest', actor: 'root' });
    expect(await refusal(createApiKey(db, { name: 'RECEIVER', role: 'viewer', actor: 'root' }))).toEqual({
      code: 'conflict',
      message: 'An API key named "receiver" already exists (names are unique ignoring case among keys not revoked); choose another name or revoke that key first.',
    });
    const revoked = await revokeApiKey(db, 'Receiver', 'root', at('2026-11-06T00:00:00Z'));
    expect(revoked).toMatchObject({ id: first.key.id, revokedAt: '2026-11-06T00:00:00.000Z', revokedBy: 'root' });
    expect(await principalOfApiKey(db, first.secret)).toBeUndefined();

    const second = await createApiKey(db, { name: 'receiver', role: 'ingest', actor: 'root' });
    expect((await principalOfApiKey(db, second.secret))?.id).toBe(second.key.id);
    expect(await refusal(revokeApiKey(db, first.key.id, 'root'))).toEqual({ code: 'conflict', message: `API key "receiver" (${first.key.id}) was already revoked at 2026-11-06T00:00:00.000Z by root.` });
    expect(await refusal(revokeApiKey(db, 'nothing-here', 'root'))).toEqual({ code: 'not-found', message: 'There is no API key named "nothing-here" that is not revoked, nor one with that id; the list of API keys shows their names and ids.' });
    const idLike = await createApiKey(db, { name: '00000000-0000-4000-8000-000000000000', role: 'viewer', actor: 'root' });
    expect((await revokeApiKey(db, idLike.key.name, 'root')).id).toBe(idLike.key.id);
    await revokeApiKey(db, second.key.id.toUpperCase(), 'root');
    expect(await principalOfApiKey(db, second.secret)).toBeUndefined();

    const listed = await listApiKeys(db);
    expect(listed.filter((k) => k.name === 'receiver').map((k) => k.revokedBy)).toEqual(['root', 'root']);
    const text = JSON.stringify(listed);
    for (const { secret } of [first, second]) expect(text).not.toContain(secret.slice(13));
    expect(text).not.toContain(createHash('sha256').update(first.secret).digest('hex'));
  });

  it('starts sessions whose token is stored hashed, ends them at expiry, on sign-out and when the user is disabled', async () => {
    const dave = await addUser(db, { name: 'dave', role: 'viewer', password: 'dave reads reports', actor: 'root' });
    const start = at('2026-11-10T08:00:00Z');
    const session = await startSession(db, dave.id, start, 3600);
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.csrfToken).not.toBe(session.token);
    expect(session.expiresAt.toISOString()).toBe('2026-11-10T09:00:00.000Z');
    const stored = await accessTablesText(db);
    expect(stored).not.toContain(session.token);
    expect(stored).not.toContain(session.csrfToken);

    const principal = { kind: 'user', id: dave.id, name: 'dave', role: 'viewer' };
    expect(await principalOfSession(db, session.token, at('2026-11-10T08:59:59Z'))).toEqual({ principal, csrfToken: session.csrfToken });
    const [seen] = await db.query<{ last_seen_at: Date }>(`SELECT last_seen_at FROM sessions WHERE user_id = $1`, [dave.id]);
    expect(seen!.last_seen_at.toISOString()).toBe('2026-11-10T08:59:59.000Z');
    expect(await principalOfSession(db, session.token, at('2026-11-10T09:00:00Z'))).toBeUndefined();
    expect(await principalOfSession(db, `${session.token.slice(0, -1)}x`, start)).toBeUndefined();

    const other = await startSession(db, dave.id, at('2026-11-10T10:00:00Z'));
    // The expired session went with the start of the next one.
    expect((await db.query(`SELECT 1 FROM sessions WHERE user_id = $1`, [dave.id])).length).toBe(1);
    expect(await endSession(db, other.token)).toBe(true);
    expect(await principalOfSession(db, other.token, at('2026-11-10T10:00:01Z'))).toBeUndefined();
    expect(await endSession(db, other.token)).toBe(false);

    const third = await startSession(db, dave.id, at('2026-11-10T11:00:00Z'));
    await disableUser(db, 'dave', 'root', at('2026-11-10T11:00:01Z'));
    expect(await principalOfSession(db, third.token, at('2026-11-10T11:00:02Z'))).toBeUndefined();
    expect(await refusal(startSession(db, dave.id, at('2026-11-10T11:00:03Z')))).toEqual({ code: 'not-found', message: `There is no user with id ${dave.id} who may sign in.` });
  });
});
