import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/services/applyConfig.ts';
import { parseProviderConfig } from '../../src/services/providerConfig.ts';
import type { Database } from '../../src/storage/database.ts';
import { listCustomers } from '../../src/storage/customerStore.ts';
import { readSettings } from '../../src/storage/settingsStore.ts';
import { buildTestServer } from '../support/apiTestServer.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';
import { tinyPng } from '../support/tinyPng.ts';

const provider = { name: 'Nordic Video AS', address: 'Kongens gate 1\n0153 Oslo', taxId: 'NO 999 999 999 MVA' };

describe.each(databaseKinds)('settings and configuration routes of the Billing API on %s', (kind) => {
  let db!: Database;
  let app!: FastifyInstance;
  let admin = '';
  let billing = '';
  useTestDatabase(kind, (opened) => {
    db = opened;
    const built = buildTestServer(db);
    app = built.app;
    admin = built.authenticator.issue('admin', 'alice');
    billing = built.authenticator.issue('billing');
  });
  const call = (method: InjectOptions['method'], url: string, body?: unknown, key = admin) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(body === undefined ? {} : { payload: body as object }) });

  it('GET gives the defaults; PUT changes the settings given and says what changed; the others keep their value', async () => {
    expect((await call('GET', '/api/v1/settings', undefined, billing)).json()).toEqual({ timezone: 'UTC', settlementDelayMinutes: 60, limitAvailableServicesToBillableServices: false, taxRatePercent: '0' });
    const put = await call('PUT', '/api/v1/settings', { timezone: 'Europe/Oslo', taxRatePercent: 25, provider });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({
      dryRun: false,
      changes: [{ kind: 'settings', id: 'settings', action: 'changed', fields: [{ field: 'timezone', oldValue: 'UTC', newValue: 'Europe/Oslo' }, { field: 'taxRatePercent', oldValue: '0', newValue: '25' }, { field: 'provider', oldValue: null, newValue: provider }] }],
    });
    expect((await call('PUT', '/api/v1/settings', { settlementDelayMinutes: 120 })).json().changes[0].fields).toEqual([{ field: 'settlementDelayMinutes', oldValue: 60, newValue: 120 }]);
    expect((await call('GET', '/api/v1/settings')).json()).toEqual({ timezone: 'Europe/Oslo', settlementDelayMinutes: 120, limitAvailableServicesToBillableServices: false, taxRatePercent: '25', provider });
  });

  it('refuses bad settings naming the field, a logo path (the API reads no file of the server), and a billing key (403)', async () => {
    const zone = await call('PUT', '/api/v1/settings', { timezone: 'Mars/Olympus' });
    expect([zone.statusCode, zone.json().field]).toEqual([400, 'timezone']);
    const delay = await call('PUT', '/api/v1/settings', { settlementDelayMinutes: 1e9 });
    expect([delay.statusCode, delay.json().field]).toEqual([400, 'settlementDelayMinutes']);
    const logo = await call('PUT', '/api/v1/settings', { provider: { ...provider, logo: '/etc/passwd' } });
    expect([logo.statusCode, logo.json().field, logo.json().detail]).toEqual([400, 'provider.logo', 'provider.logo names a file, and the API reads no file of the server: leave it out (the stored logo is kept) and set the logo with `confbill apply FILE`.']);
    const inDocument = await call('PUT', '/api/v1/config', { settings: { provider: { ...provider, logo: 'logo.png' } } });
    expect([inDocument.statusCode, inDocument.json().field]).toEqual([400, 'settings.provider.logo']);
    expect((await call('PUT', '/api/v1/settings', { timezone: 'UTC' }, billing)).statusCode).toBe(403);
    expect((await readSettings(db)).timezone).toBe('Europe/Oslo');
  });

  it('a provider block given keeps the logo that `confbill apply` stored', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'confbill-api-logo-'));
    writeFileSync(join(folder, 'logo.png'), tinyPng([10, 120, 200]));
    await applyConfig(db, parseProviderConfig(`settings: { provider: { name: Nordic Video AS, address: Oslo, logo: logo.png } }`, 'p.yaml'), 'apply', { baseDir: folder });
    const logo = (await readSettings(db)).provider!.logo!;
    const put = await call('PUT', '/api/v1/settings', { provider: { name: 'Nordic Video AS', address: 'Kongens gate 1\n0153 Oslo' } });
    expect(put.json().changes[0].fields).toEqual([{ field: 'provider', oldValue: { name: 'Nordic Video AS', address: 'Oslo', logo }, newValue: { name: 'Nordic Video AS', address: 'Kongens gate 1\n0153 Oslo', logo } }]);
    expect((await call('GET', '/api/v1/settings')).json().provider).toEqual({ name: 'Nordic Video AS', address: 'Kongens gate 1\n0153 Oslo', logo });
  });

  it('PUT /api/v1/config applies a whole document as `confbill apply` does: dry run, refusals, nothing applied of a refused document', async () => {
    const document = {
      customers: [{ id: 'acme', name: 'Acme AS' }],
      plans: [{ id: 'gold', copyOf: 'pay-as-you-go', currency: 'EUR', monthlyFee: '100' }],
      assignments: [{ customer: 'acme', plan: 'gold', from: '2026-01-01' }],
    };
    const dry = await call('PUT', '/api/v1/config?dryRun=true', document);
    expect(dry.json().dryRun).toBe(true);
    expect(dry.json().changes.map((c: { kind: string; id: string; action: string }) => `${c.kind} ${c.id} ${c.action}`)).toEqual(['plan gold created', 'customer acme created', 'assignment acme@2026-01-01 created']);
    expect(await listCustomers(db)).toEqual([]);

    const applied = await call('PUT', '/api/v1/config', document);
    expect(applied.json().changes).toEqual(dry.json().changes);
    expect((await call('PUT', '/api/v1/config', document)).json()).toEqual({ dryRun: false, changes: [] });

    const bad = await call('PUT', '/api/v1/config', { customers: [{ id: 'acme', name: 'Acme', matching: [{ kind: 'regex', value: '(' }] }] });
    expect([bad.statusCode, bad.json().field]).toEqual([400, 'customers[0].matching[0].value']);
    const overlap = await call('PUT', '/api/v1/config', { assignments: [{ customer: 'acme', plan: 'gold', from: '2027-01-01' }] });
    expect([overlap.statusCode, overlap.json().code]).toEqual([409, 'overlapping-assignment']);
    const unknownPlan = await call('PUT', '/api/v1/config', { assignments: [{ customer: 'acme', plan: 'silver', from: '2025-01-01', to: '2026-01-01' }] });
    expect([unknownPlan.statusCode, unknownPlan.json().detail]).toEqual([400, 'assignments: plan "silver" of customer "acme" does not exist.']);
    const nul = await call('PUT', '/api/v1/config', { customers: [{ id: 'acme', name: 'A\u0000' }] });
    expect([nul.statusCode, nul.json().field]).toEqual([400, 'customers[0].name']);
    expect((await listCustomers(db)).map((c) => c.name)).toEqual(['Acme AS']);
    expect((await call('PUT', '/api/v1/config?dryRun=yes', document)).json()).toMatchObject({ status: 400, field: 'querystring.dryRun' });
  });

  it('the routes are in the OpenAPI document with the configuration schemas', async () => {
    const document = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/settings', '/api/v1/config', '/api/v1/customers/{id}', '/api/v1/matching/test', '/api/v1/sources/{id}', '/api/v1/mappings/{format}']));
    expect(JSON.stringify(document.paths['/api/v1/config']!.put!.requestBody)).toContain('settlementDelayMinutes');
  });
});
