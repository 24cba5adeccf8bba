import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/buildServer.ts';
import { verifyBooks } from '../../src/services/verifyBooks.ts';
import type { Database } from '../../src/storage/database.ts';
import { memoryAuthenticator } from '../support/apiTestServer.ts';
import { applyYaml, callsCsv, generate, ingestCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const now = new Date('2026-12-01T00:00:00Z');

describe.each(databaseKinds)('POST /api/v1/verify on %s', (kind) => {
  let db!: Database;
  let app: FastifyInstance;
  let viewer: string;
  let ingest: string;
  useTestDatabase(kind, (opened) => (db = opened));

  beforeAll(async () => {
    await applyYaml(db, `
customers: [{ id: v1, name: Verified, matching: [{ kind: domain, value: v1.example }] }]
plans: [{ id: v-payg, copyOf: pay-as-you-go }]
assignments: [{ customer: v1, plan: v-payg, from: 2026-10-01 }]
`, now);
    await ingestCsv(db, callsCsv('v-src', [['a', '2026-10-05T09:00:00Z', 61, 'video', 'inbound', 'room@v1.example']]), now);
    await generate(db, 'v1', '2026-10-01', '2026-11-01', now);
    const authenticator = memoryAuthenticator();
    viewer = authenticator.issue('viewer');
    ingest = authenticator.issue('ingest');
    app = buildServer(db, { authenticator, now: () => now });
    await app.ready();
  });
  afterAll(async () => app?.close());

  it('runs verifyBooks and returns its findings, for any role that may read', async () => {
    const answer = await app.inject({ method: 'POST', url: '/api/v1/verify', headers: { authorization: `Bearer ${viewer}` } });
    expect(answer.statusCode).toBe(200);
    const expected = await verifyBooks(db);
    expect(answer.json()).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(answer.json()).toMatchObject({ ok: true });
    expect(expected.checks.length).toBeGreaterThan(3);
    expect((await app.inject({ method: 'POST', url: '/api/v1/verify', headers: { authorization: `Bearer ${ingest}` } })).json()).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('documents the routes of plans, assignments, reports and verify in the OpenAPI document, If-Match included', async () => {
    const document = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>; components: { schemas: Record<string, unknown> } }>();
    expect(Object.keys(document.paths).filter((p) => /^\/api\/v1\/(plans|assignments|reports|verify)/.test(p)).sort()).toEqual([
      '/api/v1/assignments', '/api/v1/assignments/{id}',
      '/api/v1/plans', '/api/v1/plans/{id}', '/api/v1/plans/{id}/customers', '/api/v1/plans/{id}/history', '/api/v1/plans/{id}/lock', '/api/v1/plans/{id}/unlock',
      '/api/v1/reports/non-invoiced', '/api/v1/reports/peak-ports', '/api/v1/reports/refused-changes', '/api/v1/reports/rejected', '/api/v1/reports/untracked', '/api/v1/reports/usage',
      '/api/v1/verify',
    ]);
    expect(document.paths['/api/v1/plans/{id}']!.patch!.parameters).toContainEqual(expect.objectContaining({ name: 'if-match', in: 'header' }));
    expect(document.paths['/api/v1/assignments']!.get!.parameters).toContainEqual(expect.objectContaining({ name: 'customer', in: 'query' }));
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['Plan', 'PlanDefinition', 'Assignment', 'UntrackedCall', 'InvoicePreview', 'BooksVerification']));
  });
});
