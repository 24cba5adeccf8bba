import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/buildServer.ts';
import { approve } from '../../src/services/invoicing.ts';
import { planHistoryOf } from '../../src/services/planCatalog.ts';
import type { Database } from '../../src/storage/database.ts';
import { memoryAuthenticator } from '../support/apiTestServer.ts';
import { applyYaml, callsCsv, generate, ingestCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const now = new Date('2026-12-01T00:00:00Z');

const config = `
customers:
  - { id: pa, name: Alpha AS, matching: [{ kind: domain, value: pa.example }] }
  - { id: pb, name: Beta AB }
plans:
  - { id: gold, copyOf: concurrent-calls, name: Gold }
assignments:
  - { customer: pa, plan: gold, from: 2026-10-01, to: 2026-11-01 }
  - { customer: pb, plan: gold, from: 2026-11-01 }
`;

describe.each(databaseKinds)('the plan routes on %s', (kind) => {
  let db!: Database;
  let app: FastifyInstance;
  let billing: string;
  let viewer: string;
  useTestDatabase(kind, (opened) => (db = opened));

  beforeAll(async () => {
    await applyYaml(db, config, now);
    await ingestCsv(db, callsCsv('src', [['c1', '2026-10-05T09:00:00Z', 600, 'video', 'inbound', 'room@pa.example']]), now);
    const authenticator = memoryAuthenticator();
    billing = authenticator.issue('billing', 'Billing Bob');
    viewer = authenticator.issue('viewer');
    app = buildServer(db, { authenticator, now: () => now });
    await app.ready();
  });
  afterAll(async () => app?.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, options: { body?: object; ifMatch?: string; key?: string } = {}): Promise<LightMyRequestResponse> =>
    app.inject({ method, url, headers: { authorization: `Bearer ${options.key ?? billing}`, ...(options.ifMatch === undefined ? {} : { 'if-match': options.ifMatch }) }, ...(options.body ? { payload: options.body } : {}) });

  /** Every item of a paged list, following nextCursor. */
  async function allPages(url: string, limit: number): Promise<{ items: unknown[]; pages: number }> {
    const items: unknown[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await call('GET', `${url}${url.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.statusCode).toBe(200);
      const page = answer.json<{ items: unknown[]; nextCursor: string | null }>();
      items.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    return { items, pages };
  }

  it('lists the plans and the built-in templates, marked, a page at a time', async () => {
    const { items, pages } = await allPages('/api/v1/plans', 2);
    expect(pages).toBe(2);
    expect(items).toEqual([
      { id: 'concurrent-calls', name: 'Concurrent Calls', currency: 'EUR', locked: true, version: null, template: true },
      { id: 'gold', name: 'Gold', currency: 'EUR', locked: true, version: 1, template: false },
      { id: 'included-minutes', name: 'Included minutes', currency: 'EUR', locked: true, version: null, template: true },
      { id: 'pay-as-you-go', name: 'Pay as you go', currency: 'EUR', locked: true, version: null, template: true },
    ]);
    const bad = await call('GET', '/api/v1/plans?cursor=not-ours');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid-cursor' });
  });

  it('shows a plan with its version, lock state, components and customers, with an ETag; the customers a page at a time', async () => {
    const answer = await call('GET', '/api/v1/plans/gold');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers.etag).toMatch(/^"[\w-]{32}"$/);
    expect(answer.json()).toEqual({
      id: 'gold', template: false, locked: true, version: 1,
      name: 'Gold', currency: 'EUR', monthlyFee: '500.00', portPool: { ports: 20, overagePerPortMinute: '0.10' }, includedMinutes: null, callRates: [], services: {}, customElements: [],
      draft: null,
      assignments: [
        { id: 'pa@2026-10-01', customerId: 'pa', customerName: 'Alpha AS', from: '2026-10-01', to: '2026-11-01' },
        { id: 'pb@2026-11-01', customerId: 'pb', customerName: 'Beta AB', from: '2026-11-01', to: null },
      ],
    });
    expect((await call('GET', '/api/v1/plans/gold')).headers.etag).toBe(answer.headers.etag); // unchanged plan, same tag
    const customers = await allPages('/api/v1/plans/gold/customers', 1);
    expect(customers.pages).toBe(2);
    expect(customers.items.map((c) => (c as { customerId: string }).customerId)).toEqual(['pa', 'pb']);
    const missing = await call('GET', '/api/v1/plans/nosuch');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(missing.json()).toMatchObject({ status: 404, code: 'not-found' });
  });

  it('copies a template or a plan into a new plan, locked at version 1; refuses a taken id, an unknown source and a bad body', async () => {
    const answer = await call('POST', '/api/v1/plans', { body: { copyOf: 'gold', id: 'silver', name: 'Silver' } });
    expect(answer.statusCode).toBe(201);
    expect(answer.headers.location).toBe('/api/v1/plans/silver');
    expect(answer.json()).toMatchObject({ id: 'silver', template: false, locked: true, version: 1, name: 'Silver', monthlyFee: '500.00', portPool: { ports: 20 }, draft: null, assignments: [] });
    expect((await call('POST', '/api/v1/plans', { body: { copyOf: 'pay-as-you-go', id: 'payg' } })).json()).toMatchObject({ id: 'payg', name: 'payg', monthlyFee: '0' });

    expect((await call('POST', '/api/v1/plans', { body: { copyOf: 'gold', id: 'silver' } })).json()).toMatchObject({ status: 409, code: 'conflict' });
    expect((await call('POST', '/api/v1/plans', { body: { copyOf: 'nosuch', id: 'bronze' } })).json()).toMatchObject({ status: 404, code: 'not-found' });
    const badId = await call('POST', '/api/v1/plans', { body: { copyOf: 'gold', id: 'Not an id!' } });
    expect(badId.json()).toMatchObject({ status: 400, code: 'invalid-request', field: 'id' });
    const unknownField = await call('POST', '/api/v1/plans', { body: { copyOf: 'gold', id: 'bronze', colour: 'brown' } });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json<{ detail: string }>().detail).toContain('colour');
    expect((await call('GET', '/api/v1/plans/bronze')).statusCode).toBe(404);
    expect((await call('POST', '/api/v1/plans', { body: { copyOf: 'gold', id: 'bronze' }, key: viewer })).json()).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('edits the draft only with the current ETag (428 without, 412 stale, one of two concurrent edits), all changes or none, then locks and re-rates', async () => {
    const read = await call('GET', '/api/v1/plans/gold');
    const unlocked = await call('POST', '/api/v1/plans/gold/unlock', { ifMatch: read.headers.etag as string });
    expect(unlocked.statusCode).toBe(200);
    expect(unlocked.json()).toMatchObject({ locked: false, version: 1, draft: { monthlyFee: '500.00', portPool: { ports: 20 } } });
    const afterUnlock = unlocked.headers.etag as string;
    expect(afterUnlock).not.toBe(read.headers.etag);

    const change = { changes: [{ field: 'monthlyFee', value: '550.00' }, { field: 'portPool.ports', value: 25 }] };
    const without = await call('PATCH', '/api/v1/plans/gold', { body: change });
    expect(without.statusCode).toBe(428);
    expect(without.json()).toMatchObject({ status: 428, code: 'precondition-required' });
    const stale = await call('PATCH', '/api/v1/plans/gold', { body: change, ifMatch: read.headers.etag as string });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ status: 412, code: 'precondition-failed', field: 'If-Match' });
    expect((await call('PATCH', '/api/v1/plans/gold', { body: change, ifMatch: `W/${afterUnlock}` })).statusCode).toBe(412); // a weak tag never matches

    const edited = await call('PATCH', '/api/v1/plans/gold', { body: change, ifMatch: `"other", ${afterUnlock}` });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ monthlyFee: '500.00', portPool: { ports: 20 }, draft: { monthlyFee: '550.00', portPool: { ports: 25, overagePerPortMinute: '0.10' } } });
    const tag = edited.headers.etag as string;
    expect(tag).not.toBe(afterUnlock);

    // Two operators editing what they both read: exactly one edit passes, the other is told to read again.
    const [one, two] = await Promise.all([
      call('PATCH', '/api/v1/plans/gold', { body: { changes: [{ field: 'monthlyFee', value: '600.00' }] }, ifMatch: tag }),
      call('PATCH', '/api/v1/plans/gold', { body: { changes: [{ field: 'monthlyFee', value: '700.00' }] }, ifMatch: tag }),
    ]);
    expect([one!.statusCode, two!.statusCode].sort()).toEqual([200, 412]);
    const winner = one!.statusCode === 200 ? one! : two!;
    const fee = one!.statusCode === 200 ? '600.00' : '700.00';
    expect((await call('GET', '/api/v1/plans/gold')).json()).toMatchObject({ draft: { monthlyFee: fee } });

    // One refused change refuses the whole edit.
    const invalid = await call('PATCH', '/api/v1/plans/gold', { body: { changes: [{ field: 'monthlyFee', value: '800.00' }, { field: 'portPool.ports', value: -1 }] }, ifMatch: winner.headers.etag as string });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ code: 'invalid-argument' });
    expect(invalid.json<{ detail: string }>().detail).toContain('portPool.ports');
    const unchanged = await call('GET', '/api/v1/plans/gold');
    expect(unchanged.json()).toMatchObject({ draft: { monthlyFee: fee, portPool: { ports: 25 } } });
    expect(unchanged.headers.etag).toBe(winner.headers.etag);
    const badBody = await call('PATCH', '/api/v1/plans/gold', { body: { changes: [{ field: 'monthlyFee' }] }, ifMatch: winner.headers.etag as string });
    expect(badBody.json()).toMatchObject({ status: 400, code: 'invalid-request', field: 'changes[0].value' });
    expect((await call('PATCH', '/api/v1/plans/gold', { body: { changes: [{ field: 'monthlyFee', value: '1' }] }, ifMatch: winner.headers.etag as string, key: viewer })).statusCode).toBe(403);

    expect((await call('POST', '/api/v1/plans/gold/lock')).statusCode).toBe(428);
    expect((await call('POST', '/api/v1/plans/gold/lock', { ifMatch: afterUnlock })).statusCode).toBe(412);
    const locked = await call('POST', '/api/v1/plans/gold/lock', { ifMatch: winner.headers.etag as string });
    expect(locked.statusCode).toBe(200);
    // Both customers re-rated: pa's 31 October plan days and its call, pb's plan days from 1 November through today (1 December).
    expect(locked.json()).toEqual({ id: 'gold', version: 2, changedFields: expect.arrayContaining(['monthlyFee', 'portPool']), customersRated: 2, itemsWritten: 63, itemsDeleted: 63 });
    expect(locked.json<{ changedFields: string[] }>().changedFields).toHaveLength(2);
    const after = await call('GET', '/api/v1/plans/gold');
    expect(after.json()).toMatchObject({ locked: true, version: 2, monthlyFee: fee, portPool: { ports: 25 }, draft: null });
    expect(after.headers.etag).toBe(locked.headers.etag);
    expect((await call('POST', '/api/v1/plans/gold/lock', { ifMatch: after.headers.etag as string })).json()).toMatchObject({ status: 409, code: 'plan-locked' });
  });

  it('gives the history a page at a time, as the CLI reads it, with the caller as the user', async () => {
    const { items, pages } = await allPages('/api/v1/plans/gold/history', 2);
    const history = await planHistoryOf(db, 'gold');
    expect(items).toEqual(history);
    expect(pages).toBe(Math.ceil(history.length / 2));
    expect(items.slice(-6).map((h) => { const { changedAt: _at, ...rest } = h as { changedAt: string }; return rest; })).toEqual([
      { field: 'locked', oldValue: true, newValue: false, user: 'Billing Bob' },
      { field: 'monthlyFee', oldValue: '500.00', newValue: '550.00', user: 'Billing Bob' },
      { field: 'portPool.ports', oldValue: 20, newValue: 25, user: 'Billing Bob' },
      { field: 'monthlyFee', oldValue: '550.00', newValue: expect.stringMatching(/^[67]00\.00$/), user: 'Billing Bob' },
      { field: 'version', oldValue: 1, newValue: 2, user: 'Billing Bob' },
      { field: 'locked', oldValue: false, newValue: true, user: 'Billing Bob' },
    ]);
    expect((await call('GET', '/api/v1/plans/nosuch/history')).statusCode).toBe(404);
  });

  it('deletes a plan no approved invoice uses, checking If-Match when given; refuses one that is in use', async () => {
    const silver = await call('GET', '/api/v1/plans/silver');
    await call('POST', '/api/v1/plans/silver/unlock');
    expect((await call('DELETE', '/api/v1/plans/silver', { ifMatch: silver.headers.etag as string })).statusCode).toBe(412);
    const deleted = await call('DELETE', '/api/v1/plans/silver');
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toEqual({ id: 'silver', deletedDrafts: [], deletedItems: 0 });
    expect((await call('GET', '/api/v1/plans/silver')).statusCode).toBe(404);

    const [invoice] = await generate(db, 'pa', '2026-10-01', '2026-11-01', now);
    const approved = await approve(db, invoice!.id, { user: 'ops' });
    const refused = await call('DELETE', '/api/v1/plans/gold');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'plan-in-use' });
    expect(refused.json<{ detail: string }>().detail).toContain(`approved invoice ${approved.number} uses it`);
    expect((await call('GET', '/api/v1/plans/gold')).statusCode).toBe(200);
  });
});
