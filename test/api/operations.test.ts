import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/database.ts';
import { applyYaml, callsCsv } from '../support/billingFixtures.ts';
import { buildTestServer } from '../support/apiTestServer.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabases.ts';

describe('health, readiness and metrics', () => {
  let testDb: TestDatabase;
  let db: Database;
  let app: FastifyInstance;
  let admin: string;
  let viewer: string;

  beforeAll(async () => {
    testDb = await createTestDatabase('pglite');
    db = await testDb.open();
    await applyYaml(db, `
customers: [{ id: acme, name: Acme, matching: [{ kind: alias, value: meet.acme }] }]
plans: [{ id: payg, copyOf: pay-as-you-go }]
assignments: [{ customer: acme, plan: payg, from: 2026-10-01 }]
sources: [{ id: src-a, format: confbill-csv }]
`);
    const server = buildTestServer(db);
    app = server.app;
    admin = server.authenticator.issue('admin');
    viewer = server.authenticator.issue('viewer');
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await testDb?.drop();
  });

  it('/healthz and /readyz need no credential; /metrics needs the read permission', async () => {
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${viewer}` } })).statusCode).toBe(200);
  });

  it('counts records ingested and rejected per source, invoice runs, the backlog and request latencies', async () => {
    const csv = callsCsv('src-a', [
      ['c1', '2026-10-05T10:00:00Z', 600, 'video', 'inbound', 'meet.acme'],
      ['c2', '2026-10-06T10:00:00Z', 60, 'audio', 'inbound', 'meet.acme'],
    ]) + 'src-a,bad,,not-a-time,1,video,inbound,sip,meet.acme,,\n';
    const upload = await app.inject({ method: 'POST', url: '/api/v1/calls/uploads?source=src-a', headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' }, payload: csv });
    expect(upload.json()).toMatchObject({ summary: { read: 3, new: 2, rejected: 1 } });
    const generate = await app.inject({ method: 'POST', url: '/api/v1/invoices/generate', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, payload: JSON.stringify({ customers: ['acme'], from: '2026-10-01', to: '2026-11-01' }) });
    expect(generate.statusCode).toBe(200);
    const metrics = (await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${viewer}` } })).body;
    expect(metrics).toContain('confbill_records_ingested_total{source="src-a"} 3');
    expect(metrics).toContain('confbill_records_rejected_total{source="src-a"} 1');
    expect(metrics).toContain('confbill_invoice_runs_total{outcome="done"} 1');
    expect(metrics).toContain('confbill_billing_backlog{kind="calls-pending-matching"} 0');
    expect(metrics).toMatch(/confbill_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/invoices\/generate",status="200"\} 1/);
  });
});
