import type { FastifyInstance, InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { applyConfigurationChange } from '../../src/services/applyConfigurationChange.ts';
import { listCustomerCustomElements, listCustomers } from '../../src/storage/customerStore.ts';
import type { Database } from '../../src/storage/database.ts';
import { buildTestServer } from '../support/apiTestServer.ts';
import { ingestCsv, callsCsv, generate } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

/** A plan and assignments, through PUT /api/v1/config (the plans' own routes are another module's). */
const plansDocument = {
  plans: [{ id: 'flat', copyOf: 'pay-as-you-go', name: 'Flat', currency: 'EUR', monthlyFee: '10', services: { 'pexip-vmr': '5.00' } }],
  assignments: [
    { customer: 'acme', plan: 'flat', from: '2026-01-01', to: '2026-06-01' },
    { customer: 'acme', plan: 'flat', from: '2026-06-01' },
  ],
};

describe.each(databaseKinds)('customer routes of the Billing API on %s', (kind) => {
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

  it('PUT creates a customer from its configuration entry and says what changed; the same again changes nothing; GET gives it back', async () => {
    const entry = { name: 'Acme AS', billingAddress: 'Storgata 1\n0155 Oslo', email: 'billing@acme.example', matching: [{ kind: 'domain', value: 'acme.example' }] };
    const created = await call('PUT', '/api/v1/customers/acme', entry);
    expect(created.statusCode).toBe(200);
    expect(created.json()).toEqual({
      dryRun: false,
      changes: [
        {
          kind: 'customer',
          id: 'acme',
          action: 'created',
          fields: [
            { field: 'name', oldValue: null, newValue: 'Acme AS' },
            { field: 'billingAddress', oldValue: null, newValue: 'Storgata 1\n0155 Oslo' },
            { field: 'email', oldValue: null, newValue: 'billing@acme.example' },
            { field: 'matching', oldValue: [], newValue: ['domain acme.example'] },
          ],
        },
      ],
      callsMatchedAgain: 0,
    });
    expect((await call('PUT', '/api/v1/customers/acme', { ...entry, id: 'acme' })).json()).toEqual({ dryRun: false, changes: [] });

    expect((await call('PUT', '/api/v1/config', plansDocument)).statusCode).toBe(200);
    const shown = await call('GET', '/api/v1/customers/acme', undefined, viewer);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toEqual({
      id: 'acme',
      name: 'Acme AS',
      timezone: null,
      billingAddress: 'Storgata 1\n0155 Oslo',
      email: 'billing@acme.example',
      taxId: null,
      customerReference: null,
      assignments: [
        { id: 'acme@2026-01-01', planId: 'flat', from: '2026-01-01', to: '2026-06-01' },
        { id: 'acme@2026-06-01', planId: 'flat', from: '2026-06-01', to: null },
      ],
      currentAssignmentId: 'acme@2026-06-01',
      matching: [{ id: 'acme#001', kind: 'domain', value: 'acme.example', validFrom: null, validTo: null }],
      entities: [],
    });
  });

  it('a dry run says what would change and writes nothing; billing details left out are cleared, as in the file', async () => {
    const dry = await call('PUT', '/api/v1/customers/acme?dryRun=true', { name: 'Acme Group' });
    expect(dry.json()).toEqual({
      dryRun: true,
      changes: [{ kind: 'customer', id: 'acme', action: 'changed', fields: [{ field: 'name', oldValue: 'Acme AS', newValue: 'Acme Group' }, { field: 'billingAddress', oldValue: 'Storgata 1\n0155 Oslo', newValue: null }, { field: 'email', oldValue: 'billing@acme.example', newValue: null }] }],
    });
    expect((await call('GET', '/api/v1/customers/acme')).json()).toMatchObject({ name: 'Acme AS', email: 'billing@acme.example' });
  });

  it('refuses bad bodies naming the field, unknown customers with 404, and a viewer changing anything with 403; nothing is stored', async () => {
    const badEmail = await call('PUT', '/api/v1/customers/zeta', { name: 'Zeta', email: 'not-an-address' });
    expect([badEmail.statusCode, badEmail.json().field, badEmail.headers['content-type']]).toEqual([400, 'email', 'application/problem+json; charset=utf-8']);
    expect((await call('PUT', '/api/v1/customers/zeta', { name: 'Zeta', colour: 'red' })).json()).toMatchObject({ status: 400, code: 'invalid-request', field: 'body' });
    const control = await call('PUT', '/api/v1/customers/zeta', { name: 'Ze\u0007ta' });
    expect([control.statusCode, control.json().field, control.json().detail]).toEqual([400, 'name', 'The customer is not valid, nothing was applied: name: contains the control character U+0007.']);
    const rule = await call('PUT', '/api/v1/customers/zeta/matching-rules', { rules: [{ kind: 'number-range', from: '200', to: '100' }] });
    expect([rule.statusCode, rule.json().field]).toEqual([400, 'rules[0].to']);
    const otherId = await call('PUT', '/api/v1/customers/zeta', { id: 'acme', name: 'Zeta' });
    expect([otherId.statusCode, otherId.json().field]).toEqual([400, 'id']);
    expect((await call('PUT', '/api/v1/customers/Not%20A%20Slug', { name: 'X' })).json()).toMatchObject({ status: 400, field: 'params.id' });

    const missing = await call('GET', '/api/v1/customers/nobody');
    expect([missing.statusCode, missing.json().code, missing.json().detail]).toEqual([404, 'not-found', 'No customer with id "nobody".']);
    for (const url of ['/api/v1/customers/nobody/matching-rules', '/api/v1/customers/nobody/entities', '/api/v1/customers/nobody/services', '/api/v1/customers/nobody/custom-elements']) {
      expect((await call('GET', url)).statusCode).toBe(404);
    }
    const forbidden = await call('PUT', '/api/v1/customers/zeta', { name: 'Zeta' }, viewer);
    expect([forbidden.statusCode, forbidden.json().code]).toEqual([403, 'forbidden']);
    expect((await call('GET', '/api/v1/customers?search=zeta')).json()).toEqual({ items: [], nextCursor: null });
  });

  it('lists customers by id a page at a time and searches by id or name in any case', async () => {
    for (const [id, name] of [['beta', 'Beta Ltd'], ['gamma', 'Gamma Acme Holding'], ['delta', 'Delta']]) expect((await call('PUT', `/api/v1/customers/${id}`, { name })).statusCode).toBe(200);
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = (await call('GET', `/api/v1/customers?limit=3${cursor ? `&cursor=${cursor}` : ''}`, undefined, viewer)).json() as { items: { id: string }[]; nextCursor: string | null };
      ids.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect([ids, pages]).toEqual([['acme', 'beta', 'delta', 'gamma'], 2]);
    expect((await call('GET', '/api/v1/customers?search=ACME')).json().items.map((c: { id: string }) => c.id)).toEqual(['acme', 'gamma']);
    expect((await call('GET', '/api/v1/customers?cursor=bogus')).json()).toMatchObject({ status: 400, code: 'invalid-cursor' });
  });

  it('replaces the matching rules; "which customer would this alias match" answers with the customer and the rule', async () => {
    const before = await call('GET', '/api/v1/matching/test?alias=sip:room1@acme.example&at=2026-10-01T10:00:00Z', undefined, viewer);
    expect(before.json()).toEqual({ status: 'matched', customerId: 'acme', ruleId: 'acme#001', customers: [{ id: 'acme', name: 'Acme AS' }], alias: 'sip:room1@acme.example', at: '2026-10-01T10:00:00.000Z', source: null });

    const rules = [{ kind: 'alias', value: 'board@vc.example' }, { kind: 'number-range', from: '4700', to: '4799', validFrom: '2026-01-01' }];
    const replaced = await call('PUT', '/api/v1/customers/beta/matching-rules', { rules });
    expect(replaced.json()).toMatchObject({ dryRun: false, changes: [{ kind: 'customer', id: 'beta', action: 'changed', fields: [{ field: 'matching', oldValue: [], newValue: ['alias board@vc.example', 'number-range 4700-4799 [2026-01-01, …)'] }] }] });
    expect((await call('GET', '/api/v1/customers/beta/matching-rules')).json()).toEqual({
      items: [
        { id: 'beta#001', kind: 'alias', value: 'board@vc.example', validFrom: null, validTo: null },
        { id: 'beta#002', kind: 'number-range', from: '4700', to: '4799', validFrom: '2026-01-01', validTo: null },
      ],
    });
    expect((await call('GET', '/api/v1/customers/beta')).json()).toMatchObject({ name: 'Beta Ltd', billingAddress: null });
    expect((await call('GET', '/api/v1/matching/test?alias=4711@pstn.example&at=2026-02-01T00:00:00Z')).json()).toMatchObject({ status: 'matched', customerId: 'beta', ruleId: 'beta#002' });
    expect((await call('GET', '/api/v1/matching/test?alias=4711@pstn.example&at=2025-12-01T00:00:00Z')).json()).toMatchObject({ status: 'no-customer', customers: [] });
    expect((await call('GET', '/api/v1/matching/test?alias=x@y&at=yesterday')).json()).toMatchObject({ status: 400, field: 'querystring.at' });
  });

  it('a change of rules or charges writes no billing details: a rename committed since they were read is not put back', async () => {
    // What replaceCustomerMatchingRules applies when another operator renamed beta after it read the customer.
    expect((await call('PUT', '/api/v1/customers/beta', { name: 'Beta Renamed' })).statusCode).toBe(200);
    const stale = { id: 'beta', name: 'Beta Ltd', matching: [{ kind: 'alias' as const, value: 'board@vc.example' }] };
    const applied = await applyConfigurationChange(db, { customers: [stale] }, 'bob', { now: new Date(), keepCustomerDetails: true });
    expect(applied.changes).toEqual([{ kind: 'customer', id: 'beta', action: 'changed', fields: [{ field: 'matching', oldValue: ['alias board@vc.example', 'number-range 4700-4799 [2026-01-01, …)'], newValue: ['alias board@vc.example'] }] }]);
    expect((await listCustomers(db, ['beta']))[0]!.name).toBe('Beta Renamed');
    const unknown = await call('PUT', '/api/v1/customers/nobody/matching-rules', { rules: [] });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'not-found']);
  });

  it('provisions and deletes entities as `confbill entity` does, and lists the services available to the customer', async () => {
    const services = await call('GET', '/api/v1/customers/acme/services?at=2026-10-01T10:00:00Z', undefined, viewer);
    // Not limited: every known type is available; the plan prices one of them.
    expect(services.json()).toMatchObject({ customerId: 'acme', at: '2026-10-01T10:00:00.000Z', date: '2026-10-01', timeZone: 'UTC', limited: false, planId: 'flat' });
    const types = services.json().serviceTypes as { serviceType: string; monthlyPrice: string | null; billable: boolean }[];
    expect(types.filter((t) => t.monthlyPrice !== null)).toEqual([{ serviceType: 'pexip-vmr', monthlyPrice: '5.00', billable: true }]);
    expect(types.map((t) => t.serviceType)).toContain('cms-space');
    const added = await call('POST', '/api/v1/customers/acme/entities', { id: 'vmr-1', serviceType: 'pexip-vmr', alias: 'meet.ceo@vc.example', createdAt: '2026-10-01T00:00:00Z' });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toEqual({
      entity: { id: 'vmr-1', customerId: 'acme', serviceType: 'pexip-vmr', alias: 'meet.ceo@vc.example', createdAt: '2026-10-01T00:00:00.000Z', deletedAt: null },
      monthlyPrice: '5.00', billable: true, planId: 'flat', callsMatchedAgain: 0,
    });
    expect((await call('GET', '/api/v1/matching/test?alias=meet.ceo@vc.example&at=2026-10-02T00:00:00Z')).json()).toMatchObject({ status: 'matched', customerId: 'acme', ruleId: 'entity:vmr-1' });
    const badId = await call('POST', '/api/v1/customers/acme/entities', { id: 'VMR 2', serviceType: 'pexip-vmr' });
    expect([badId.statusCode, badId.json().field]).toEqual([400, 'id']);
    const again = await call('POST', '/api/v1/customers/acme/entities', { id: 'vmr-1', serviceType: 'pexip-vmr' });
    expect([again.statusCode, again.json().code]).toEqual([409, 'conflict']);

    const deleted = await call('DELETE', '/api/v1/customers/acme/entities/vmr-1?at=2026-10-15T00:00:00Z');
    expect(deleted.json()).toEqual({ id: 'vmr-1', customerId: 'acme', serviceType: 'pexip-vmr', alias: 'meet.ceo@vc.example', createdAt: '2026-10-01T00:00:00.000Z', deletedAt: '2026-10-15T00:00:00.000Z', callsMatchedAgain: 0 });
    expect((await call('GET', '/api/v1/customers/acme/entities')).json()).toEqual({ items: [], nextCursor: null });
    expect((await call('GET', '/api/v1/customers/acme/entities?all=true')).json().items.map((e: { id: string }) => e.id)).toEqual(['vmr-1']);
    expect((await call('DELETE', '/api/v1/customers/acme/entities/vmr-1')).statusCode).toBe(404);
  });

  it('sets and removes one-off charges; one billed in an invoice stays, another customer\'s id is refused', async () => {
    const put = await call('PUT', '/api/v1/customers/acme/custom-elements/setup-fee', { name: 'Setup', date: '2026-10-03', unitPrice: '150.00', quantity: '2' });
    expect(put.json()).toEqual({ dryRun: false, changes: [{ kind: 'customer element', id: 'setup-fee', action: 'created', fields: [{ field: 'customer', oldValue: null, newValue: 'acme' }, { field: 'name', oldValue: null, newValue: 'Setup' }, { field: 'date', oldValue: null, newValue: '2026-10-03' }, { field: 'unitPrice', oldValue: null, newValue: '150.00' }, { field: 'quantity', oldValue: null, newValue: '2' }] }] });
    expect((await call('PUT', '/api/v1/customers/acme/custom-elements/credit', { name: 'Goodwill', date: '2026-10-04', unitPrice: '-20', quantity: '1' })).statusCode).toBe(200);
    const listed = await call('GET', '/api/v1/customers/acme/custom-elements?limit=1', undefined, viewer);
    expect(listed.json()).toMatchObject({ items: [{ id: 'credit', customerId: 'acme', name: 'Goodwill', date: '2026-10-04', unitPrice: '-20', quantity: '1' }] });
    expect(listed.json().nextCursor).not.toBeNull();

    const taken = await call('PUT', '/api/v1/customers/beta/custom-elements/credit', { name: 'Mine', date: '2026-10-04', unitPrice: '1', quantity: '1' });
    expect([taken.statusCode, taken.json().code, taken.json().field]).toEqual([409, 'conflict', 'id']);
    const inEntry = await call('PUT', '/api/v1/customers/beta', { name: 'Beta Renamed', customElements: [{ id: 'credit', name: 'Mine', date: '2026-10-04', unitPrice: '1', quantity: '1' }] });
    expect([inEntry.statusCode, inEntry.json().field]).toEqual([409, 'customElements[0].id']);
    const entity = await call('PUT', '/api/v1/customers/beta', { name: 'Beta Renamed', entities: [{ id: 'vmr-1', serviceType: 'pexip-vmr', createdAt: '2026-10-01T00:00:00Z' }] });
    expect([entity.statusCode, entity.json().field, entity.json().detail]).toEqual([409, 'entities[0].id', 'The entity "vmr-1" is one of customer "acme": entity ids are unique across customers, so choose another id.']);

    const removed = await call('DELETE', '/api/v1/customers/acme/custom-elements/credit');
    expect(removed.json()).toEqual({ id: 'credit', customerId: 'acme', name: 'Goodwill', date: '2026-10-04', unitPrice: '-20', quantity: '1' });
    expect((await call('DELETE', '/api/v1/customers/acme/custom-elements/credit')).statusCode).toBe(404);

    // Billed in a draft invoice: the charge stays.
    await ingestCsv(db, callsCsv('mcu-1', [['c1', '2026-10-05T09:00:00Z', 60, 'video', 'inbound', 'room@acme.example']]));
    const [invoice] = await generate(db, 'acme', '2026-10-01', '2026-11-01');
    expect(invoice!.lines.some((l) => l.description.includes('Setup'))).toBe(true);
    const billed = await call('DELETE', '/api/v1/customers/acme/custom-elements/setup-fee');
    expect([billed.statusCode, billed.json().code]).toEqual([409, 'invoice-immutable']);
    const setup = { name: 'Setup', date: '2026-10-03', unitPrice: '150', quantity: '2.0' };
    expect((await call('PUT', '/api/v1/customers/acme/custom-elements/setup-fee', setup)).json()).toEqual({ dryRun: false, changes: [] });
    const repriced = await call('PUT', '/api/v1/customers/acme/custom-elements/setup-fee', { ...setup, unitPrice: '175' });
    expect([repriced.statusCode, repriced.json().code]).toEqual([409, 'invoice-immutable']);
    expect((await listCustomerCustomElements(db, ['acme'])).map((e) => e.id)).toEqual(['setup-fee']);
  });
});
