import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/buildServer.ts';
import { databaseAuthenticator } from '../../src/api/databaseAuthenticator.ts';
import { createApiKey, revokeApiKey } from '../../src/services/apiKeys.ts';
import { addUser, disableUser } from '../../src/services/users.ts';
import type { Database } from '../../src/storage/database.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/testDatabases.ts';

describe.each(databaseKinds)('credentials of the stored users and keys over HTTP on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let app: FastifyInstance;
  const password = 'correct horse battery staple';

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await testDb.open();
    await addUser(db, { name: 'olga', role: 'billing', password, actor: 'test' });
    await addUser(db, { name: 'victor', role: 'viewer', password, actor: 'test' });
    app = buildServer(db, { authenticator: databaseAuthenticator(db) });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await testDb?.drop();
  });

  const signIn = (name: string, pass: string, ip = '10.0.0.1') =>
    app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress: ip, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ name, password: pass }) });

  it('a user signs in: an HttpOnly SameSite=Strict cookie, then who am I; a change needs the CSRF token; sign-out ends the session', async () => {
    const answer = await signIn('olga', password);
    expect(answer.statusCode).toBe(200);
    const body = answer.json() as { name: string; role: string; csrfToken: string };
    expect(body).toMatchObject({ kind: 'user', name: 'olga', role: 'billing' });
    const setCookie = String(answer.headers['set-cookie']);
    // Max-Age (8 hours): the browser counts from its own clock, whatever the server's says.
    expect(setCookie).toMatch(/^confbill_session=[A-Za-z0-9_-]{43}; Max-Age=28800; Path=\/; (Expires=.*; )?HttpOnly; SameSite=Strict$/);
    const cookie = setCookie.split(';')[0]!;
    // A reloaded page reads the session's CSRF token and the role's permissions here (the web admin offers only those).
    expect((await app.inject({ url: '/api/v1/session', headers: { cookie } })).json()).toEqual({ kind: 'user', name: 'olga', role: 'billing', permissions: ['read', 'bill'], csrfToken: body.csrfToken });
    const withoutToken = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } });
    expect([withoutToken.statusCode, withoutToken.json().code]).toEqual([403, 'csrf']);
    const wrongToken = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie, 'x-csrf-token': `${body.csrfToken.slice(1)}x` } });
    expect(wrongToken.statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie, 'x-csrf-token': body.csrfToken } })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/v1/session', headers: { cookie } })).statusCode).toBe(401);
  });

  it('a wrong password, an unknown or a disabled user: 401, the same answer', async () => {
    const answers = [await signIn('olga', 'wrong password!!'), await signIn('nobody', password)];
    await disableUser(db, 'victor', 'test');
    answers.push(await signIn('victor', password));
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 401]);
    expect(new Set(answers.map((a) => a.json().detail)).size).toBe(1);
  });

  it('sign-in is rate-limited: the 11th attempt in a minute from one address is 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await signIn('olga', 'wrong password!!', '10.9.9.9')).statusCode);
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    // Another address is not held back by it.
    expect((await signIn('olga', password, '10.9.9.8')).statusCode).toBe(200);
  });

  it('an API key as a bearer token or as the basic-auth password; revoked, it is refused; a user password in basic auth is not accepted', async () => {
    const { secret } = await createApiKey(db, { name: 'exporter', role: 'viewer', actor: 'test' });
    const bearer = await app.inject({ url: '/api/v1/session', headers: { authorization: `Bearer ${secret}` } });
    expect(bearer.json()).toEqual({ kind: 'api-key', name: 'apikey:exporter', role: 'viewer', permissions: ['read'] });
    const basic = await app.inject({ url: '/api/v1/session', headers: { authorization: `Basic ${Buffer.from(`pexip:${secret}`).toString('base64')}` } });
    expect(basic.statusCode).toBe(200);
    const userBasic = await app.inject({ url: '/api/v1/session', headers: { authorization: `Basic ${Buffer.from(`olga:${password}`).toString('base64')}` } });
    expect(userBasic.statusCode).toBe(401);
    await revokeApiKey(db, 'exporter', 'test');
    const revoked = await app.inject({ url: '/api/v1/session', headers: { authorization: `Bearer ${secret}` } });
    expect([revoked.statusCode, revoked.headers['www-authenticate']]).toEqual([401, 'Bearer realm="confbill", Basic realm="confbill"']);
  });
});
