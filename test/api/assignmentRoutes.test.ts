import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/buildServer.ts';
import { listAssignmentsOf } from '../../src/services/assignments.ts';
import { untrackedReport, usageReport } from '../../src/services/reports.ts';
import type { Database } from '../../src/storage/database.ts';
import { memoryAuthenticator } from '../support/apiTestServer.ts';
import { applyYaml, callsCsv, ingestCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const now = new Date('2026-12-01T00:00:00Z');

const config = `
customers:
  - { id: a1, name: One, matching: [{ kind: domain, value: a1.example }] }
  - { id: a2, name: Two }
plans:
  - { id: p1, copyOf: concurrent-calls, name: Ports }
  - { id: p2, copyOf: pay-as-you-go, name: Minutes }
`;

describe.each(databaseKinds)('the assignment routes on %s', (kind) => {
  let db!: Database;
  let app: FastifyInstance;
  let billing: string;
  let viewer: string;
  useTestDatabase(kind, (opened) => (db = opened));

  beforeAll(async () => {
    await applyYaml(db, config, now);
    await ingestCsv(db, callsCsv('src', [['c1', '2026-10-05T09:00:00Z', 600, 'video', 'inbound', 'room@a1.example'], ['c2', '2026-10-20T09:00:00Z', 120, 'video', 'inbound', 'room@a1.example']]), now);
    const authenticator = memoryAuthenticator();
    billing = authenticator.issue('billing');
    viewer = authenticator.issue('viewer');
    app = buildServer(db, { authenticator, now: () => now });
    await app.ready();
  });
  afterAll(async () => app?.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: object, key = billing): Promise<LightMyRequestResponse> =>
    app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(body ? { payload: body } : {}) });

  it('adds an assignment and re-rates the customer at once; refuses overlaps, unknown customers and plans, and bad bodies', async () => {
    expect((await untrackedReport(db, { customerIds: ['a1'] })).map((u) => [u.externalId, u.reason])).toEqual([['c1', 'no-plan'], ['c2', 'no-plan']]);
    const added = await call('POST', '/api/v1/assignments', { customer: 'a1', plan: 'p1', from: '2026-10-01' });
    expect(added.statusCode).toBe(201);
    expect(added.headers.location).toBe('/api/v1/assignments/a1%402026-10-01');
    expect(added.json()).toEqual({ id: 'a1@2026-10-01', customerId: 'a1', planId: 'p1', from: '2026-10-01', to: null });
    expect(await untrackedReport(db, { customerIds: ['a1'] })).toEqual([]);
    expect((await usageReport(db, ['a1'])).map((u) => [u.month, u.calls, u.billedMinutes, u.ports])).toEqual([['2026-10', 2, 12, 20], ['2026-11', 0, 0, 20], ['2026-12', 0, 0, 20]]); // open-ended: plan days through today

    const overlap = await call('POST', '/api/v1/assignments', { customer: 'a1', plan: 'p2', from: '2026-10-15' });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json()).toMatchObject({ code: 'overlapping-assignment' });
    expect((await call('POST', '/api/v1/assignments', { customer: 'nosuch', plan: 'p1', from: '2026-10-01' })).json()).toMatchObject({ status: 404, code: 'not-found' });
    expect((await call('POST', '/api/v1/assignments', { customer: 'a2', plan: 'nosuch', from: '2026-10-01' })).json()).toMatchObject({ status: 404, code: 'not-found' });
    expect((await call('POST', '/api/v1/assignments', { customer: 'a2', plan: 'p1', from: '2026-13-01' })).json()).toMatchObject({ status: 400, code: 'invalid-request', field: 'from' });
    expect((await call('POST', '/api/v1/assignments', { customer: 'a2', plan: 'p1', from: '2026-02-30' })).json()).toMatchObject({ status: 400, code: 'invalid-argument' });
    expect((await call('POST', '/api/v1/assignments', { customer: 'a2', plan: 'p1', from: '2026-10-01', to: '2026-10-01' })).json()).toMatchObject({ status: 400, code: 'invalid-argument' });
    expect((await call('POST', '/api/v1/assignments', { customer: 'a2', plan: 'p1' })).json()).toMatchObject({ status: 400, field: 'from' });
    expect((await call('POST', '/api/v1/assignments', { customer: 'a2', plan: 'p1', from: '2026-10-01' }, viewer)).statusCode).toBe(403);
    expect((await listAssignmentsOf(db, {})).map((a) => a.id)).toEqual(['a1@2026-10-01']);
  });

  it('ends an assignment (the way to move a customer to another plan) and reopens its end', async () => {
    const ended = await call('PATCH', '/api/v1/assignments/a1@2026-10-01', { to: '2026-10-15' });
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toEqual({ id: 'a1@2026-10-01', customerId: 'a1', planId: 'p1', from: '2026-10-01', to: '2026-10-15' });
    expect((await untrackedReport(db, { customerIds: ['a1'] })).map((u) => [u.externalId, u.reason])).toEqual([['c2', 'no-plan']]);
    expect((await call('POST', '/api/v1/assignments', { customer: 'a1', plan: 'p2', from: '2026-10-15' })).statusCode).toBe(201);
    expect(await untrackedReport(db, { customerIds: ['a1'] })).toEqual([]);

    expect((await call('PATCH', '/api/v1/assignments/a1@2026-10-15', { to: '2026-11-01' })).json()).toMatchObject({ to: '2026-11-01' });
    expect((await call('PATCH', '/api/v1/assignments/a1@2026-10-15', { to: null })).json()).toMatchObject({ to: null });
    expect((await call('PATCH', '/api/v1/assignments/a1@2026-10-15', { to: '2026-10-10' })).json()).toMatchObject({ status: 400, code: 'invalid-argument' });
    expect((await call('PATCH', '/api/v1/assignments/a1@2026-10-15', {})).json()).toMatchObject({ status: 400, code: 'invalid-request', field: 'to' });
    expect((await call('PATCH', '/api/v1/assignments/nosuch', { to: null })).json()).toMatchObject({ status: 404, code: 'not-found' });
  });

  it('lists by customer and by plan (repeatable), a page at a time; an unknown plan or a template is not found', async () => {
    expect((await call('POST', '/api/v1/assignments', { customer: 'a2', plan: 'p1', from: '2026-11-01', id: 'a2-first' })).statusCode).toBe(201);
    const ids = async (query: string) => {
      const answer = await call('GET', `/api/v1/assignments${query}`);
      expect(answer.statusCode).toBe(200);
      return answer.json<{ items: { id: string }[] }>().items.map((a) => a.id);
    };
    expect(await ids('')).toEqual(['a1@2026-10-01', 'a1@2026-10-15', 'a2-first']);
    expect(await ids('?customer=a1')).toEqual(['a1@2026-10-01', 'a1@2026-10-15']);
    expect(await ids('?plan=p1')).toEqual(['a1@2026-10-01', 'a2-first']);
    expect(await ids('?plan=p1&plan=p2&customer=a2&customer=a1')).toEqual(['a1@2026-10-01', 'a1@2026-10-15', 'a2-first']);

    const first = (await call('GET', '/api/v1/assignments?limit=2')).json<{ items: { id: string }[]; nextCursor: string }>();
    expect(first.items.map((a) => a.id)).toEqual(['a1@2026-10-01', 'a1@2026-10-15']);
    const second = (await call('GET', `/api/v1/assignments?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toEqual({ items: [{ id: 'a2-first', customerId: 'a2', planId: 'p1', from: '2026-11-01', to: null }], nextCursor: null });

    expect((await call('GET', '/api/v1/assignments?plan=nosuch')).json()).toMatchObject({ status: 404, code: 'not-found' });
    const template = (await call('GET', '/api/v1/assignments?plan=concurrent-calls')).json<{ status: number; detail: string }>();
    expect(template.status).toBe(404);
    expect(template.detail).toContain('built-in template');
    expect((await call('GET', '/api/v1/assignments?colour=red')).json()).toMatchObject({ status: 400, code: 'invalid-request' });
  });

  it('removes an assignment; the customer is re-rated', async () => {
    const removed = await call('DELETE', '/api/v1/assignments/a1@2026-10-15');
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toEqual({ id: 'a1@2026-10-15', customerId: 'a1', planId: 'p2', from: '2026-10-15', to: null });
    expect((await untrackedReport(db, { customerIds: ['a1'] })).map((u) => [u.externalId, u.reason])).toEqual([['c2', 'no-plan']]);
    expect((await call('DELETE', '/api/v1/assignments/a1@2026-10-15')).json()).toMatchObject({ status: 404, code: 'not-found' });
    expect((await listAssignmentsOf(db, {})).map((a) => a.id)).toEqual(['a1@2026-10-01', 'a2-first']);
  });
});
