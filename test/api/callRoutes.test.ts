import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/database.ts';
import { applyYaml, callsCsv, generate } from '../support/billingFixtures.ts';
import { buildTestServer } from '../support/apiTestServer.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/testDatabases.ts';

const config = `
customers:
  - { id: acme, name: Acme, matching: [{ kind: alias, value: meet.acme }] }
plans: [{ id: payg, copyOf: pay-as-you-go }]
assignments: [{ customer: acme, plan: payg, from: 2026-10-01 }]
`;

const october = callsCsv('upload-src', [
  ['a1', '2026-10-01T09:00:00Z', 600, 'video', 'inbound', 'meet.acme'],
  ['a2', '2026-10-02T09:00:00Z', 60, 'audio', 'inbound', 'meet.acme'],
  ['a3', '2026-10-03T09:00:00Z', 120, 'video', 'outbound', 'meet.acme'],
  ['a4', '2026-10-04T09:00:00Z', 180, 'video', 'inbound', 'meet.acme'],
  ['a5', '2026-10-05T09:00:00Z', 240, 'video', 'inbound', 'meet.acme'],
  ['x1', '2026-10-06T09:00:00Z', 300, 'video', 'inbound', 'meet.nobody'],
  ['x2', '2026-10-07T09:00:00Z', 360, 'video', 'inbound', 'meet.nobody'],
]);

describe.each(databaseKinds)('calls over the API on %s', (kind) => {
  let testDb: TestDatabase;
  let db: Database;
  let app: FastifyInstance;
  let billing: string;
  let viewer: string;
  const get = (url: string, key = viewer) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
  const upload = (body: string, query: string, key = billing) =>
    app.inject({ method: 'POST', url: `/api/v1/calls/uploads?${query}`, headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }, payload: body });

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await testDb.open();
    const server = buildTestServer(db);
    app = server.app;
    billing = server.authenticator.issue('admin');
    viewer = server.authenticator.issue('viewer');
    await applyYaml(db, config);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await testDb?.drop();
  });

  it('an upload is stored, matched and rated, and answers the ingest summary; a viewer may not upload', async () => {
    expect((await upload(october, 'format=confbill-csv&name=oct.csv', viewer)).statusCode).toBe(403);
    const answer = await upload(october, 'format=confbill-csv&name=oct.csv');
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ format: 'confbill-csv', outcome: 'read', summary: { read: 7, new: 7, updated: 0, unchanged: 0, rejected: 0 } });
    const again = await upload(october, 'format=confbill-csv&name=oct.csv');
    expect(again.json()).toMatchObject({ outcome: 'read', summary: { read: 7, new: 0, unchanged: 7 } });
  });

  it('searches by customer newest first, page by page with the cursor', async () => {
    const ids: string[] = [];
    let url = '/api/v1/calls?customer=acme&limit=2';
    const pages: number[] = [];
    for (;;) {
      const page = (await get(url)).json() as { items: { externalId: string; matchStatus: string; customerId: string }[]; nextCursor: string | null };
      pages.push(page.items.length);
      ids.push(...page.items.map((c) => c.externalId));
      expect(page.items.every((c) => c.customerId === 'acme' && c.matchStatus === 'matched')).toBe(true);
      if (!page.nextCursor) break;
      url = `/api/v1/calls?customer=acme&limit=2&cursor=${page.nextCursor}`;
    }
    expect(pages).toEqual([2, 2, 1]);
    expect(ids).toEqual(['a5', 'a4', 'a3', 'a2', 'a1']);
  });

  it('filters by alias (any case), status, start range and invoicing', async () => {
    const externalIds = async (query: string) => ((await get(`/api/v1/calls?${query}`)).json() as { items: { externalId: string }[] }).items.map((c) => c.externalId);
    expect(await externalIds('alias=MEET.NOBODY')).toEqual(['x2', 'x1']);
    expect(await externalIds('status=no-customer')).toEqual(['x2', 'x1']);
    expect(await externalIds('customer=acme&from=2026-10-02&to=2026-10-04T09:00:00Z')).toEqual(['a3', 'a2']);
    expect(await externalIds('invoiced=true')).toEqual([]);
    const [invoice] = await generate(db, 'acme', '2026-10-01', '2026-11-01');
    const invoiced = (await get('/api/v1/calls?invoiced=true')).json() as { items: { externalId: string; invoiceId: string }[] };
    expect(invoiced.items.map((c) => [c.externalId, c.invoiceId])).toEqual(['a5', 'a4', 'a3', 'a2', 'a1'].map((id) => [id, invoice!.id]));
    expect(await externalIds('invoiced=false')).toEqual(['x2', 'x1']);
  });

  it('refuses what it cannot answer with a problem naming the field', async () => {
    const unknown = await get('/api/v1/calls?customer=nobody');
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'not-found']);
    const badCursor = await get('/api/v1/calls?cursor=zzz');
    expect([badCursor.statusCode, badCursor.headers['content-type']]).toEqual([400, 'application/problem+json; charset=utf-8']);
    const badStatus = await get('/api/v1/calls?status=paid');
    expect([badStatus.statusCode, badStatus.json().field]).toEqual([400, 'querystring.status']);
    const badDate = await get('/api/v1/calls?from=2026-13-45');
    expect([badDate.statusCode, badDate.json().field]).toEqual([400, 'querystring.from']);
    const unknownField = await get('/api/v1/calls?customer=acme&sort=asc');
    expect(unknownField.statusCode).toBe(400);
  });

  it('an upload in another format is 400 unreadable-input naming the first reject; its rejects are kept', async () => {
    const before = Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ingest_rejects`))[0]!.n);
    const answer = await upload('<?xml version="1.0"?><records/>\n', 'format=confbill-csv&name=wrong.csv');
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ code: 'unreadable-input', field: 'format' });
    expect(answer.json().detail).toMatch(/^No record of the upload could be read as confbill-csv \(line 1/);
    const after = Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ingest_rejects`))[0]!.n);
    const said = Number(/its (\d+) rejects are kept/.exec(answer.json().detail as string)?.[1]);
    expect(said).toBeGreaterThan(0);
    expect(after - before).toBe(said);
  });
});
