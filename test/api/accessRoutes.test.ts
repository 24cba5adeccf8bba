import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/buildServer.ts';
import { databaseAuthenticator } from '../../src/api/databaseAuthenticator.ts';
import { createApiKey } from '../../src/services/apiKeys.ts';
import type { Database } from '../../src/storage/database.ts';
import { applyYaml, generate, ingestCsv, callsCsv } from '../support/billingFixtures.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/testDatabases.ts';

describe.each(databaseKinds)('users, API keys and webhooks over the API on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let app: FastifyInstance;
  let admin: string;
  const call = (method: 'GET' | 'POST', url: string, key: string, body?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await testDb.open();
    admin = (await createApiKey(db, { name: 'bootstrap', role: 'admin', actor: 'test' })).secret;
    app = buildServer(db, { authenticator: databaseAuthenticator(db) });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await testDb?.drop();
  });

  it('an admin creates a key (its secret once), the key works with its role, lists never show secrets, a revoked key stops at once', async () => {
    const created = await call('POST', '/api/v1/api-keys', admin, { name: 'erp-export', role: 'viewer' });
    expect(created.statusCode).toBe(201);
    const { key, secret } = created.json() as { key: { id: string; name: string; role: string; prefix: string; createdBy: string }; secret: string };
    expect(key).toMatchObject({ name: 'erp-export', role: 'viewer', createdBy: 'apikey:bootstrap' });
    expect(secret).toMatch(new RegExp(`^cbk_${key.prefix}_[A-Za-z0-9_-]{43}$`));
    expect((await call('GET', '/api/v1/session', secret)).json()).toEqual({ kind: 'api-key', name: 'apikey:erp-export', role: 'viewer', permissions: ['read'] });
    // A viewer reads billing data but not the keys.
    expect((await call('GET', '/api/v1/api-keys', secret)).statusCode).toBe(403);
    const listed = await call('GET', '/api/v1/api-keys', admin);
    expect(listed.body).not.toContain(secret.slice(13));
    expect((listed.json() as { items: { name: string }[] }).items.map((k) => k.name).sort()).toEqual(['bootstrap', 'erp-export']);
    const revoked = await call('POST', `/api/v1/api-keys/erp-export/revoke`, admin);
    expect(revoked.json()).toMatchObject({ name: 'erp-export', revokedBy: 'apikey:bootstrap' });
    expect((await call('GET', '/api/v1/session', secret)).statusCode).toBe(401);
  });

  it('an admin adds a user who can sign in; a short password is refused naming why; a disabled user cannot sign in', async () => {
    const short = await call('POST', '/api/v1/users', admin, { name: 'anna', role: 'approver', password: 'short' });
    expect([short.statusCode, short.json().code]).toEqual([400, 'invalid-argument']);
    expect(short.json().detail).toContain('12');
    const added = await call('POST', '/api/v1/users', admin, { name: 'anna', role: 'approver', password: 'a long enough password' });
    expect(added.statusCode).toBe(201);
    const signIn = () => app.inject({ method: 'POST', url: '/api/v1/session', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'anna', password: 'a long enough password' }) });
    expect((await signIn()).json()).toMatchObject({ name: 'anna', role: 'approver' });
    expect((await call('POST', '/api/v1/users/anna/disable', admin)).json()).toMatchObject({ name: 'anna', disabledBy: 'apikey:bootstrap' });
    expect((await signIn()).statusCode).toBe(401);
    const duplicate = await call('POST', '/api/v1/users', admin, { name: 'anna', role: 'viewer', password: 'another long password' });
    expect(duplicate.statusCode).toBe(409);
  });

  it('a webhook added through the API gets invoice.generated; the delivery log shows it pending', async () => {
    const added = await call('POST', '/api/v1/webhooks', admin, { url: 'https://erp.example/hooks/confbill', events: ['invoice.generated'] });
    expect(added.statusCode).toBe(201);
    const { webhook, secret } = added.json() as { webhook: { id: string }; secret: string };
    expect(secret.length).toBeGreaterThanOrEqual(32);
    await applyYaml(db, `
customers: [{ id: acme, name: Acme, matching: [{ kind: alias, value: meet.acme }] }]
plans: [{ id: payg, copyOf: pay-as-you-go }]
assignments: [{ customer: acme, plan: payg, from: 2026-10-01 }]
`);
    await ingestCsv(db, callsCsv('src', [['c1', '2026-10-05T10:00:00Z', 600, 'video', 'inbound', 'meet.acme']]));
    const [invoice] = await generate(db, 'acme', '2026-10-01', '2026-11-01');
    const log = (await call('GET', `/api/v1/webhook-deliveries?webhook=${webhook.id}`, admin)).json() as { items: { eventType: string; status: string; attempts: number; url: string }[] };
    expect(log.items).toEqual([expect.objectContaining({ eventType: 'invoice.generated', status: 'pending', attempts: 0, url: 'https://erp.example/hooks/confbill' })]);
    expect(invoice).toBeDefined();
    const bad = await call('POST', '/api/v1/webhooks', admin, { url: 'ftp://erp.example/x', events: ['invoice.generated'] });
    expect(bad.statusCode).toBe(400);
    expect((await call('POST', `/api/v1/webhooks/${webhook.id}/disable`, admin)).json()).toMatchObject({ id: webhook.id, disabledBy: 'apikey:bootstrap' });
  });

  it('the audit log over the API holds every change above, with its actor, newest first, page by page', async () => {
    const entries: { action: string; actor: string; objectKind: string; after: unknown }[] = [];
    let url = '/api/v1/audit?actor=apikey:bootstrap&limit=2';
    for (;;) {
      const page = (await call('GET', url, admin)).json() as { items: typeof entries; nextCursor: string | null };
      entries.push(...page.items);
      if (!page.nextCursor) break;
      url = `/api/v1/audit?actor=apikey:bootstrap&limit=2&cursor=${page.nextCursor}`;
    }
    expect(entries.map((e) => e.action).reverse()).toEqual(['apikey.created', 'apikey.revoked', 'user.added', 'user.disabled', 'webhook.added', 'webhook.disabled']);
    expect(entries.find((e) => e.action === 'apikey.created')?.after).toMatchObject({ name: 'erp-export', role: 'viewer' });
    const invoices = (await call('GET', '/api/v1/audit?kind=invoice', admin)).json() as { items: { action: string; actor: string }[] };
    expect(invoices.items.map((e) => [e.action, e.actor])).toEqual([['invoice.generated', 'test']]);
    expect((await call('GET', '/api/v1/audit?from=yesterday', admin)).statusCode).toBe(400);
  });

  it('a signed-in administrator revokes a key by its id: the key in the path names the key to revoke and is no credential', async () => {
    await call('POST', '/api/v1/users', admin, { name: 'root', role: 'admin', password: 'the administrator password' });
    const session = await app.inject({ method: 'POST', url: '/api/v1/session', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'root', password: 'the administrator password' }) });
    const cookie = String(session.headers['set-cookie']).split(';')[0]!;
    const { csrfToken } = session.json() as { csrfToken: string };
    const { key } = (await call('POST', '/api/v1/api-keys', admin, { name: 'web-revoked', role: 'viewer' })).json() as { key: { id: string } };
    const revoked = await app.inject({ method: 'POST', url: `/api/v1/api-keys/${key.id}/revoke`, headers: { cookie, 'x-csrf-token': csrfToken } });
    expect([revoked.statusCode, revoked.json()]).toEqual([200, expect.objectContaining({ name: 'web-revoked', revokedBy: 'root' })]);
    // A receiver's URL still carries its key, for senders that can send no header.
    const ingest = (await call('POST', '/api/v1/api-keys', admin, { name: 'cms-sender', role: 'ingest' })).json() as { secret: string };
    const post = (url: string) => app.inject({ method: 'POST', url, headers: { 'content-type': 'application/xml' }, payload: '<records></records>' });
    expect((await post('/cdr/cms/cms-1')).statusCode).toBe(401);
    expect((await post(`/cdr/cms/cms-1/${ingest.secret}`)).statusCode).not.toBe(401);
  });
});
