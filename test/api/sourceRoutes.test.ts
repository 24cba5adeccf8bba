import type { FastifyInstance, InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { sourceOverview } from '../../src/services/sources.ts';
import type { Database } from '../../src/storage/database.ts';
import { buildTestServer } from '../support/apiTestServer.ts';
import { applyYaml, callsCsv, ingestCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

describe.each(databaseKinds)('source and mapping routes of the Billing API on %s', (kind) => {
  let db!: Database;
  let app!: FastifyInstance;
  let admin = '';
  let viewer = '';
  useTestDatabase(kind, (opened) => {
    db = opened;
    const built = buildTestServer(db);
    app = built.app;
    admin = built.authenticator.issue('admin', 'alice');
    viewer = built.authenticator.issue('viewer');
  });
  const call = (method: InjectOptions['method'], url: string, body?: unknown, key = admin) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(body === undefined ? {} : { payload: body as object }) });

  it('PUT configures a source; its default customer takes the calls nothing else matches; the list has the statistics of `confbill source list`', async () => {
    await applyYaml(db, 'customers: [{ id: so1, name: Sources One, matching: [{ kind: domain, value: so1.example }] }, { id: so2, name: Sources Two }]');
    const put = await call('PUT', '/api/v1/sources/mcu-oslo', { format: 'confbill-csv', timezone: 'Europe/Oslo', defaultCustomer: 'so2' });
    expect(put.json()).toEqual({ dryRun: false, changes: [{ kind: 'source', id: 'mcu-oslo', action: 'created', fields: [{ field: 'format', oldValue: null, newValue: 'confbill-csv' }, { field: 'timezone', oldValue: null, newValue: 'Europe/Oslo' }, { field: 'defaultCustomer', oldValue: null, newValue: 'so2' }] }], callsMatchedAgain: 0 });
    expect((await call('PUT', '/api/v1/sources/mcu-plain', { format: 'confbill-csv' })).statusCode).toBe(200);
    await ingestCsv(db, callsCsv('mcu-oslo', [
      ['a', '2026-10-05T09:00:00Z', 60, 'video', 'inbound', 'room@so1.example'],
      ['b', '2026-10-05T10:00:00Z', 120, 'audio', 'inbound', 'someone@else.example'],
      ['c', '2026-10-05T11:00:00Z', 60, 'smell', 'inbound', 'someone@else.example'],
    ]));

    const one = await call('GET', '/api/v1/sources/mcu-oslo', undefined, viewer);
    expect(one.json()).toEqual({
      source: 'mcu-oslo', configured: true, format: 'confbill-csv', timezone: 'Europe/Oslo', defaultCustomer: 'so2',
      calls: 2, firstCallAt: '2026-10-05T09:00:00.000Z', lastCallAt: '2026-10-05T10:00:00.000Z', lastIngestAt: expect.any(String),
      recordsRead: 3, rejected: 1, excluded: 0, excludedReasons: {}, unmatched: 0,
    });
    const first = (await call('GET', '/api/v1/sources?limit=1')).json();
    expect(first.items.map((s: { source: string }) => s.source)).toEqual(['mcu-oslo']);
    const second = (await call('GET', `/api/v1/sources?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second).toEqual({ items: [(await sourceOverview(db))[1]], nextCursor: null });
    expect(second.items[0]).toMatchObject({ source: 'mcu-plain', calls: 0 });

    // Taking the default customer away matches the open calls again: b then matches no customer.
    const changed = await call('PUT', '/api/v1/sources/mcu-oslo', { format: 'confbill-csv', timezone: 'Europe/Oslo' });
    expect(changed.json()).toMatchObject({ changes: [{ kind: 'source', id: 'mcu-oslo', action: 'changed', fields: [{ field: 'defaultCustomer', oldValue: 'so2', newValue: null }] }], callsMatchedAgain: 2 });
    expect((await call('GET', '/api/v1/sources/mcu-oslo')).json()).toMatchObject({ unmatched: 1 });
  });

  it('refuses unknown sources (404), bad bodies naming the field, and a viewer changing one (403)', async () => {
    const missing = await call('GET', '/api/v1/sources/nowhere');
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'not-found']);
    const format = await call('PUT', '/api/v1/sources/mcu-x', { format: 'word-document' });
    expect([format.statusCode, format.json().field]).toEqual([400, 'format']);
    const customer = await call('PUT', '/api/v1/sources/mcu-x', { format: 'confbill-csv', defaultCustomer: 'nobody' });
    expect([customer.statusCode, customer.json().detail]).toEqual([400, 'sources "mcu-x": defaultCustomer "nobody" does not exist; list it under customers first.']);
    expect((await call('PUT', '/api/v1/sources/mcu-x', { format: 'confbill-csv' }, viewer)).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/sources/mcu-x')).statusCode).toBe(404);
  });

  it('GET and PUT the mapping of a format, as under `mappings:` in the configuration file', async () => {
    expect((await call('GET', '/api/v1/mappings/confbill-csv')).json()).toEqual({});
    const mapping = { categories: { lync: 'skype' }, exclude: [{ field: 'subType', equals: 'distributionLink', reason: 'inter-bridge link' }] };
    const put = await call('PUT', '/api/v1/mappings/confbill-csv', mapping);
    expect(put.json()).toEqual({ dryRun: false, changes: [{ kind: 'mapping', id: 'confbill-csv', action: 'created', fields: [{ field: 'mapping', oldValue: null, newValue: mapping }] }] });
    expect((await call('GET', '/api/v1/mappings/confbill-csv', undefined, viewer)).json()).toEqual(mapping);
    expect((await call('GET', '/api/v1/mappings')).json()).toEqual({ items: [{ format: 'confbill-csv', mapping }] });
    const unknown = await call('GET', '/api/v1/mappings/word-document');
    expect([unknown.statusCode, unknown.json().field]).toEqual([400, 'params.format']);
    const both = await call('PUT', '/api/v1/mappings/confbill-csv', { exclude: [{ field: 'x', equals: 'a', matches: 'b', reason: 'r' }] });
    expect([both.statusCode, both.json().field]).toEqual([400, 'exclude[0]']);
  });
});
