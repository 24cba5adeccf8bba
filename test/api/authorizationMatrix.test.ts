import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildServer, type RouteRule } from '../../src/api/buildServer.ts';
import type { ApiApp } from '../../src/api/apiContext.ts';
import { accessRoles, roleMayDo, type AccessRole } from '../../src/domain/accessRole.ts';
import type { Database } from '../../src/storage/database.ts';
import { applyYaml } from '../support/billingFixtures.ts';
import { memoryAuthenticator } from '../support/apiTestServer.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabases.ts';

/** What each caller should get from a route, from its rule alone. */
function expectedOutcome(rule: RouteRule, caller: AccessRole | 'none' | 'revoked'): 'denied-401' | 'denied-403' | 'allowed' {
  if (rule.access === 'public') return 'allowed';
  if (caller === 'none' || caller === 'revoked') return 'denied-401';
  if (rule.access === 'signed-in') return 'allowed';
  return roleMayDo(caller, rule.access) ? 'allowed' : 'denied-403';
}

const probeUrl = (url: string): string => url.replace(/:([A-Za-z]+)/g, 'matrix-probe').replace(/\*$/, 'matrix-probe');

/**
 * The authorization matrix, generated from the server's own route table: every route × every role,
 * no credential and a revoked key. A route the role may not call answers 401/403 before anything
 * else; one it may call never answers 401/403 (whatever else it says about the probe's empty input),
 * and never 5xx.
 */
describe('authorization matrix over every route', () => {
  let testDb: TestDatabase;
  let db: Database;
  let server: { app: ReturnType<typeof buildServer>; authenticator: ReturnType<typeof memoryAuthenticator> };
  const keys = new Map<AccessRole | 'revoked', string>();

  beforeAll(async () => {
    testDb = await createTestDatabase('pglite');
    db = await testDb.open();
    await applyYaml(db, `customers: [{ id: acme, name: Acme }]\n`);
    // The server as it is, not the receivers' test wrapper (which adds a key to requests without one).
    const authenticator = memoryAuthenticator();
    server = { app: buildServer(db, { authenticator }), authenticator };
    for (const role of accessRoles) keys.set(role, server.authenticator.issue(role));
    const revoked = server.authenticator.issue('admin', 'revoked-admin');
    server.authenticator.revoke(revoked);
    keys.set('revoked', revoked);
    await server.app.ready();
  });
  afterAll(async () => {
    await server?.app.close();
    await db?.close();
    await testDb?.drop();
  });

  it('has API routes under every access rule it uses, and the receivers need ingest', () => {
    const rules = server.app.routeRules;
    expect(rules.length).toBeGreaterThan(10);
    expect(rules.filter((r) => r.url.startsWith('/cdr/')).every((r) => r.access === 'ingest')).toBe(true);
    // Nothing of the API is public except signing in and its documentation.
    expect(rules.filter((r) => r.url.startsWith('/api/v1/') && r.access === 'public').map((r) => `${r.method} ${r.url}`)).toEqual(['POST /api/v1/session']);
  });

  it('every route × every caller: denied or not as its rule says, never 5xx', async () => {
    const rules = server.app.routeRules.filter((r) => r.access !== 'public');
    const mismatches: string[] = [];
    for (const rule of rules) {
      for (const caller of [...accessRoles, 'none', 'revoked'] as const) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        const key = caller === 'none' ? undefined : keys.get(caller);
        if (key) headers.authorization = `Bearer ${key}`;
        const response = await server.app.inject({ method: rule.method as 'GET', url: probeUrl(rule.url), headers, ...(rule.method === 'GET' || rule.method === 'DELETE' ? {} : { payload: '{}' }) });
        const expected = expectedOutcome(rule, caller);
        const got = response.statusCode === 401 ? 'denied-401' : response.statusCode === 403 && response.json().code !== 'csrf' ? 'denied-403' : 'allowed';
        if (got !== expected || response.statusCode >= 500) mismatches.push(`${rule.method} ${rule.url} as ${caller}: ${response.statusCode} (${expected}) ${response.body.slice(0, 160)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('a route that states no access rule stops the server from starting', async () => {
    const unruled = (app: ApiApp) => {
      app.get('/api/v1/forgotten', { schema: { response: { 200: z.object({ ok: z.boolean() }) } } }, async () => ({ ok: true }));
    };
    const app = buildServer(db, { authenticator: memoryAuthenticator(), routeModules: [unruled] });
    await expect(app.ready()).rejects.toThrow('Route GET /api/v1/forgotten states no access rule (config.access): every route must.');
  });
});
