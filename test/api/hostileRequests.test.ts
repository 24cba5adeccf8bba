import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/buildServer.ts';
import type { Database } from '../../src/storage/database.ts';
import { applyYaml, callsCsv, generate, ingestCsv } from '../support/billingFixtures.ts';
import { memoryAuthenticator } from '../support/apiTestServer.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/testDatabases.ts';

const config = `
customers:
  - { id: acme, name: Acme, matching: [{ kind: alias, value: meet.acme }] }
plans: [{ id: payg, copyOf: pay-as-you-go }]
assignments: [{ customer: acme, plan: payg, from: 2026-10-01 }]
sources: [{ id: src-a, format: confbill-csv }]
`;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Requests that succeed on the prepared database: each field of their bodies is then made hostile. */
const validRequests = (invoiceId: string): { method: 'PUT' | 'POST' | 'PATCH'; url: string; body: Record<string, Json> }[] => [
  { method: 'PUT', url: '/api/v1/settings', body: { timezone: 'Europe/Oslo', settlementDelayMinutes: 60, taxRatePercent: '25', provider: { name: 'Video AS', address: 'Oslo' } } },
  { method: 'PUT', url: '/api/v1/customers/beta', body: { name: 'Beta', timezone: 'Europe/Oslo', email: 'billing@beta.example', matching: [{ kind: 'alias', value: 'meet.beta' }] } },
  { method: 'PUT', url: '/api/v1/customers/acme/matching-rules', body: { rules: [{ kind: 'alias', value: 'meet.acme' }, { kind: 'domain', value: 'acme.example' }] } },
  { method: 'POST', url: '/api/v1/customers/acme/entities', body: { id: 'vmr-1', serviceType: 'pexip-vmr', alias: 'vmr1@acme.example', createdAt: '2026-10-02T00:00:00Z' } },
  { method: 'PUT', url: '/api/v1/customers/acme/custom-elements/setup', body: { name: 'Set-up', date: '2026-10-05', unitPrice: '100.00', quantity: '1' } },
  { method: 'PUT', url: '/api/v1/sources/src-b', body: { format: 'confbill-csv', timezone: 'UTC', defaultCustomer: 'acme' } },
  { method: 'POST', url: '/api/v1/plans', body: { copyOf: 'pay-as-you-go', id: 'payg-2', name: 'PAYG 2' } },
  { method: 'POST', url: '/api/v1/assignments', body: { customer: 'beta', plan: 'payg', from: '2027-01-01', to: '2027-02-01', id: 'beta-2027' } },
  { method: 'POST', url: '/api/v1/invoices/generate', body: { customers: ['acme'], from: '2026-11-01', to: '2026-12-01' } },
  { method: 'POST', url: `/api/v1/invoices/${invoiceId}/lines`, body: { description: 'Support', unitPrice: '10.00', quantity: '2', period: '2026-10' } },
  { method: 'PUT', url: `/api/v1/invoices/${invoiceId}/notes`, body: { notes: 'Thank you.' } },
  { method: 'POST', url: '/api/v1/users', body: { name: 'olga', role: 'billing', password: 'a long enough password' } },
  { method: 'POST', url: '/api/v1/api-keys', body: { name: 'erp', role: 'viewer' } },
  { method: 'POST', url: '/api/v1/webhooks', body: { url: 'https://erp.example/hook', events: ['invoice.generated'] } },
];

const hostileStrings: Json[] = [
  "x'; DROP TABLE calls; --",
  '" OR 1=1 --',
  '__proto__',
  'constructor',
  'a\u0000b',
  '\ud800',
  '2026-02-30',
  '2026-13-01T25:61:00Z',
  'Mars/Olympus',
  'x'.repeat(100_000),
];
const hostileNumbers: Json[] = [-1, -1e308, 1e308, 1e21, 0.1 + 0.2, 2 ** 53 + 1, 'NaN', 'Infinity', '-Infinity', '1e999'];

/** Every leaf of a JSON value, by path, with a setter on a copy. */
function leaves(value: Json, path: (string | number)[] = []): { path: (string | number)[]; value: Json }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [{ path, value }];
}

function withLeaf(body: Json, path: (string | number)[], leaf: Json): Json {
  const copy = JSON.parse(JSON.stringify(body)) as Json;
  let at = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, Json>;
  at[path[path.length - 1]!] = leaf;
  return copy;
}

const stackTrace = /\n\s+at |Error: |node_modules|\.ts:\d+/;

describe.each(databaseKinds)('hostile requests to every route on %s: a 4xx problem, nothing stored, no stack trace', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let app: FastifyInstance;
  let admin: string;
  let invoiceId: string;
  const counts = async () => (await db.query<{ audit: number; calls: number; rejects: number }>('SELECT (SELECT count(*) FROM audit_log)::int AS audit, (SELECT count(*) FROM calls)::int AS calls, (SELECT count(*) FROM ingest_rejects)::int AS rejects'))[0]!;
  const send = async (method: string, url: string, payload: string, contentType = 'application/json') => {
    // Draft edits need the draft's current ETag (If-Match): the hostile part is the body, not a stale tag.
    const draft = /^\/api\/v1\/invoices\/([^/]+)\/(lines|notes)$/.exec(url);
    const etag = draft ? (await app.inject({ method: 'GET', url: `/api/v1/invoices/${draft[1]}`, headers: { authorization: `Bearer ${admin}` } })).headers.etag : undefined;
    return app.inject({ method: method as 'POST', url, headers: { authorization: `Bearer ${admin}`, 'content-type': contentType, ...(typeof etag === 'string' ? { 'if-match': etag } : {}) }, payload });
  };

  /** What every answer to hostile input must be; a 4xx must leave the database as it was. */
  async function expectHarmless(label: string, response: Awaited<ReturnType<typeof send>>, before: Awaited<ReturnType<typeof counts>>): Promise<void> {
    expect(response.statusCode, `${label}: ${response.body.slice(0, 300)}`).toBeLessThan(500);
    expect(response.body, label).not.toMatch(stackTrace);
    if (response.statusCode >= 400) {
      expect(response.headers['content-type'], label).toBe('application/problem+json; charset=utf-8');
      const problem = response.json() as { status: number; code: string; detail: string };
      expect(problem.status, label).toBe(response.statusCode);
      expect(problem.detail.length, label).toBeGreaterThan(10);
      expect(await counts(), `${label} stored something`).toEqual(before);
    }
  }

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await testDb.open();
    await applyYaml(db, config);
    await ingestCsv(db, callsCsv('src-a', [['c1', '2026-10-05T10:00:00Z', 600, 'video', 'inbound', 'meet.acme']]));
    invoiceId = (await generate(db, 'acme', '2026-10-01', '2026-11-01'))[0]!.id;
    const authenticator = memoryAuthenticator();
    admin = authenticator.issue('admin');
    app = buildServer(db, { authenticator, now: () => new Date('2026-12-15T00:00:00Z') });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await testDb?.drop();
  });

  it('each field of each write made hostile (SQL, __proto__, NUL, lone surrogates, bad dates and zones, huge, negative and non-finite numbers)', async () => {
    let accepted = 0;
    let refused = 0;
    for (const request of validRequests(invoiceId)) {
      // The request as it is succeeds: what the hostile variants get is about the one field changed.
      const valid = await send(request.method, request.url, JSON.stringify(request.body));
      expect(valid.statusCode, `${request.method} ${request.url}: ${valid.body.slice(0, 300)}`).toBeLessThan(300);
      for (const leaf of leaves(request.body)) {
        for (const value of typeof leaf.value === 'number' ? hostileNumbers : hostileStrings) {
          const body = withLeaf(request.body, leaf.path, value);
          const before = await counts();
          const response = await send(request.method, request.url, JSON.stringify(body));
          await expectHarmless(`${request.method} ${request.url} ${leaf.path.join('.')}=${JSON.stringify(value).slice(0, 40)}`, response, before);
          if (response.statusCode < 400) accepted++;
          else refused++;
        }
      }
    }
    // Free text may hold SQL metacharacters (they are data, stored as written); everything else is refused.
    expect(refused).toBeGreaterThan(accepted * 3);
    expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM calls'))[0]!.n).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('invalid JSON, __proto__ and constructor keys, unknown fields, other JSON types and oversized bodies on every route that takes a body', async () => {
    const routes = (app as unknown as { routeRules: { method: string; url: string }[] }).routeRules.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && r.url.startsWith('/api/v1/') && r.url !== '/api/v1/calls/uploads');
    expect(routes.length).toBeGreaterThan(20);
    const bodies = ['{"name": ', '{"__proto__": {"polluted": true}}', '{"constructor": {"prototype": {"polluted": true}}}', '{"zzzUnknownField": 1}', '[]', '42', '"text"', 'NaN', `{"name": "${'x'.repeat(2 * 1024 * 1024)}"}`];
    for (const route of routes) {
      const url = route.url.replace(':invoice', invoiceId).replace(/:[A-Za-z]+/g, 'acme');
      for (const body of bodies) {
        const before = await counts();
        const response = await send(route.method, url, body);
        await expectHarmless(`${route.method} ${route.url} ${body.slice(0, 40)}`, response, before);
        // Bodyless actions (unlock, approve, …) ignore a body they do not read; every other route refuses these.
        if (!/\/(unlock|lock|approve|disable|revoke|rating-runs|verify)$/.test(route.url) && route.url !== '/api/v1/session') expect(response.statusCode, `${route.method} ${route.url} ${body.slice(0, 40)}`).toBeGreaterThanOrEqual(400);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('unknown, hostile and huge query parameters on every list and report', async () => {
    const routes = (app as unknown as { routeRules: { method: string; url: string }[] }).routeRules.filter((r) => r.method === 'GET' && r.url.startsWith('/api/v1/'));
    for (const route of routes) {
      const url = route.url.replace(':invoice', invoiceId).replace(/:[A-Za-z]+/g, 'acme');
      for (const query of ['zzzUnknown=1', `customer=${encodeURIComponent("x'; DROP TABLE calls; --")}`, 'from=2026-02-30&to=yesterday', 'limit=-1', 'limit=1e999', 'cursor=__proto__', `search=${'x'.repeat(20_000)}`, '__proto__[polluted]=1']) {
        const before = await counts();
        const response = await app.inject({ method: 'GET', url: `${url}?${query}`, headers: { authorization: `Bearer ${admin}` } });
        await expectHarmless(`GET ${route.url}?${query.slice(0, 40)}`, response, before);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
