import { Readable } from 'node:stream';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/buildServer.ts';
import type { Invoice } from '../../src/domain/invoice.ts';
import { readConfbillCsv } from '../../src/ingest/confbill-csv/readConfbillCsv.ts';
import { applyConfig } from '../../src/services/applyConfig.ts';
import { exportInvoice } from '../../src/services/exportInvoice.ts';
import { ingestCalls } from '../../src/services/ingestCalls.ts';
import { invoicesOf, showInvoice } from '../../src/services/invoicing.ts';
import { parseProviderConfig } from '../../src/services/providerConfig.ts';
import type { Database } from '../../src/storage/database.ts';
import { memoryAuthenticator } from '../support/apiTestServer.ts';
import { applyYaml, callsCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const providerYaml = `
customers:
  - { id: ir-free, name: Free Inc, matching: [{ kind: domain, value: ir-free.example }] }
  - { id: ir-paid, name: Paid Inc, matching: [{ kind: domain, value: ir-paid.example }] }
  - { id: ir-big, name: Big Inc, matching: [{ kind: domain, value: ir-big.example }] }
plans:
  - { id: ir-free-plan, copyOf: pay-as-you-go, monthlyFee: "0" }
  - { id: ir-paid-plan, copyOf: pay-as-you-go, monthlyFee: "31.00" }
  - { id: ir-big-plan, copyOf: pay-as-you-go, monthlyFee: "62.00" }
assignments:
  - { customer: ir-free, plan: ir-free-plan, from: 2026-10-01 }
  - { customer: ir-paid, plan: ir-paid-plan, from: 2026-10-01 }
  - { customer: ir-big, plan: ir-big-plan, from: 2026-10-01 }
`;

// Issue 10 §1: the invoice routes of the Billing API, and rating runs.
describe.each(databaseKinds)('invoice routes on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));
  let app!: FastifyInstance;
  let clock = new Date('2026-11-01T00:30:00Z');
  const authenticator = memoryAuthenticator();
  const billing = authenticator.issue('billing', 'bea');
  const approver = authenticator.issue('approver', 'anna');
  const viewer = authenticator.issue('viewer', 'vic');

  const call = (key: string, options: InjectOptions) => app.inject({ ...options, headers: { authorization: `Bearer ${key}`, ...(options.headers ?? {}) } });
  const json = <T>(response: { body: string }): T => JSON.parse(response.body) as T;

  let paid!: Invoice;
  let bigger!: Invoice;

  beforeAll(async () => {
    await applyYaml(db, providerYaml, new Date('2026-12-01T00:00:00Z'));
    app = buildServer(db, { authenticator, now: () => clock });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses generation before the settlement delay, saying for whom and from when, with Retry-After', async () => {
    const response = await call(billing, { method: 'POST', url: '/api/v1/invoices/generate', payload: { customers: ['ir-paid', 'ir-big'], from: '2026-10-01', to: '2026-11-01' } });
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    // UTC, a settlement delay of 60 minutes: allowed after 01:00, half an hour from the clock.
    expect(response.headers['retry-after']).toBe('1800');
    expect(json(response)).toMatchObject({ status: 409, code: 'settlement-delay', field: 'to', customerId: 'ir-big', allowedAfter: '2026-11-01T01:00:00.000Z' });
    expect(json<{ detail: string }>(response).detail).toContain('can be generated after 2026-11-01T01:00:00.000Z');
    expect(await invoicesOf(db, { customerIds: ['ir-paid', 'ir-big'] })).toEqual([]);
  });

  it('refuses bad generation bodies naming the field, and callers without the bill permission', async () => {
    const bad = async (payload: object, field: string) => {
      const response = await call(billing, { method: 'POST', url: '/api/v1/invoices/generate', payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(json<{ field: string }>(response).field, JSON.stringify(payload)).toBe(field);
    };
    await bad({ from: '2026-10-01', to: '2026-11-01' }, 'customers');
    await bad({ customers: ['ir-paid'], all: true, from: '2026-10-01', to: '2026-11-01' }, 'customers');
    await bad({ customers: ['ir-paid'], from: '2026-10-32', to: '2026-11-01' }, 'from');
    // The tax rate is a setting (configure), not something an invoice run chooses.
    await bad({ customers: ['ir-paid'], from: '2026-10-01', to: '2026-11-01', taxRatePercent: '25' }, 'body');
    const forbidden = await call(viewer, { method: 'POST', url: '/api/v1/invoices/generate', payload: { all: true, from: '2026-10-01', to: '2026-11-01' } });
    expect(forbidden.statusCode).toBe(403);
    expect(json(forbidden)).toMatchObject({ code: 'forbidden' });
    const unknown = await call(billing, { method: 'POST', url: '/api/v1/invoices/generate', payload: { customers: ['ir-nobody'], from: '2026-10-01', to: '2026-11-01' } });
    expect(unknown.statusCode).toBe(404);
    expect(json<{ detail: string }>(unknown).detail).toContain('"ir-nobody"');
  });

  it('generates per customer: the drafts made, who had nothing to bill, who has a draft already', async () => {
    clock = new Date('2026-12-01T00:00:00Z');
    const payload = { customers: ['ir-free', 'ir-paid', 'ir-big'], from: '2026-10-01', to: '2026-11-01' };
    const response = await call(billing, { method: 'POST', url: '/api/v1/invoices/generate', payload });
    expect(response.statusCode).toBe(200);
    const { customers } = json<{ customers: { customerId: string; result: string; invoices?: Invoice[] }[] }>(response);
    expect(customers.map((c) => [c.customerId, c.result, c.invoices?.map((i) => i.total)])).toEqual([
      ['ir-big', 'created', ['62.00']],
      ['ir-free', 'nothing-to-bill', undefined],
      ['ir-paid', 'created', ['31.00']],
    ]);
    bigger = customers[0]!.invoices![0]!;
    paid = customers[2]!.invoices![0]!;
    // The invoice JSON of the CLI: what `invoice show --json` prints for the same invoice.
    expect(paid).toEqual(JSON.parse(JSON.stringify(await showInvoice(db, paid.id))));
    expect(paid).toMatchObject({ status: 'draft', number: null, customerId: 'ir-paid', currency: 'EUR', from: '2026-10-01', to: '2026-11-01', lines: [{ kind: 'monthly-fee', quantity: '31', amount: '31.00' }] });

    const again = await call(billing, { method: 'POST', url: '/api/v1/invoices/generate', payload: { all: true, from: '2026-10-15', to: '2026-11-01' } });
    expect(json<{ customers: unknown[] }>(again).customers).toEqual([
      { customerId: 'ir-big', result: 'draft-exists', drafts: [{ id: bigger.id, currency: 'EUR', from: '2026-10-01', to: '2026-11-01' }] },
      { customerId: 'ir-free', result: 'nothing-to-bill' },
      { customerId: 'ir-paid', result: 'draft-exists', drafts: [{ id: paid.id, currency: 'EUR', from: '2026-10-01', to: '2026-11-01' }] },
    ]);
  });

  it('shows an invoice by id with the ETag of the draft, and answers 404 for unknown ids and numbers', async () => {
    const response = await call(viewer, { method: 'GET', url: `/api/v1/invoices/${paid.id}` });
    expect(response.statusCode).toBe(200);
    expect(json(response)).toEqual(paid);
    expect(response.headers.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    for (const reference of ['no-such-invoice', '999', '%23999']) {
      const missing = await call(viewer, { method: 'GET', url: `/api/v1/invoices/${reference}` });
      expect(missing.statusCode, reference).toBe(404);
      expect(json(missing), reference).toMatchObject({ code: 'not-found' });
    }
  });

  it('edits a draft only with the ETag it was read with: 428 without, 412 once stale, one of two concurrent edits', async () => {
    const url = `/api/v1/invoices/${paid.id}`;
    const etag = (await call(viewer, { method: 'GET', url })).headers.etag as string;
    const line = { description: 'Setup', unitPrice: '4.50', quantity: '2' };

    const without = await call(billing, { method: 'POST', url: `${url}/lines`, payload: line });
    expect(without.statusCode).toBe(428);
    expect(json(without)).toMatchObject({ status: 428, code: 'precondition-required', field: 'If-Match' });
    const star = await call(billing, { method: 'POST', url: `${url}/lines`, payload: line, headers: { 'if-match': '*' } });
    expect(star.statusCode).toBe(428);
    const badBody = await call(billing, { method: 'POST', url: `${url}/lines`, payload: { ...line, unitPrice: '4,50' }, headers: { 'if-match': etag } });
    expect(badBody.statusCode).toBe(400);
    expect(json(badBody)).toMatchObject({ field: 'unitPrice' });

    const added = await call(billing, { method: 'POST', url: `${url}/lines`, payload: line, headers: { 'if-match': etag } });
    expect(added.statusCode).toBe(200);
    const withLine = json<Invoice>(added);
    expect(withLine.lines.map((l) => [l.kind, l.description, l.quantity, l.unitPrice, l.amount])).toEqual([
      ['monthly-fee', 'Pay as you go: monthly fee', '31', '1.00', '31.00'],
      ['manual', 'Setup', '2', '4.50', '9.00'],
    ]);
    expect(withLine.total).toBe('40.00');
    expect(added.headers.etag).not.toBe(etag);
    expect(json(await call(viewer, { method: 'GET', url }))).toEqual(withLine);

    // An edit made on the draft as it was before the line: refused, nothing changed.
    const stale = await call(billing, { method: 'PUT', url: `${url}/notes`, payload: { notes: 'Thank you' }, headers: { 'if-match': etag } });
    expect(stale.statusCode).toBe(412);
    expect(json(stale)).toMatchObject({ status: 412, code: 'precondition-failed', field: 'If-Match' });
    expect((await showInvoice(db, paid.id)).notes).toBeNull();

    // Two operators edit the same version at once: the service compares under the row lock, so one wins.
    const current = added.headers.etag as string;
    const [a, b] = await Promise.all([
      call(billing, { method: 'PUT', url: `${url}/notes`, payload: { notes: 'From A' }, headers: { 'if-match': current } }),
      call(billing, { method: 'PUT', url: `${url}/notes`, payload: { notes: 'From B' }, headers: { 'if-match': current } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    const winner = a.statusCode === 200 ? a : b;
    expect((await showInvoice(db, paid.id)).notes).toBe(json<Invoice>(winner).notes);

    const computed = await call(billing, { method: 'DELETE', url: `${url}/lines/1`, headers: { 'if-match': winner.headers.etag as string } });
    expect(computed.statusCode).toBe(400);
    expect(json<{ detail: string }>(computed).detail).toContain('only manual lines can be removed');
    const removed = await call(billing, { method: 'DELETE', url: `${url}/lines/2`, headers: { 'if-match': winner.headers.etag as string } });
    expect(removed.statusCode).toBe(200);
    expect(json<Invoice>(removed)).toMatchObject({ total: '31.00', lines: [{ kind: 'monthly-fee', amount: '31.00' }] });
    const cleared = await call(billing, { method: 'PUT', url: `${url}/notes`, payload: { notes: '' }, headers: { 'if-match': removed.headers.etag as string } });
    expect(json<Invoice>(cleared).notes).toBeNull();
    paid = json<Invoice>(cleared);
  });

  it('lists invoices page by page in SQL, filtered by customer, range and status', async () => {
    const seen: Invoice[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=1${cursor ? `&cursor=${cursor}` : ''}&customer=ir-paid&customer=ir-big&customer=ir-free&status=draft&from=2026-10-15`;
      const response = await call(viewer, { method: 'GET', url: `/api/v1/invoices${query}` });
      expect(response.statusCode).toBe(200);
      const page = json<{ items: Invoice[]; nextCursor: string | null }>(response);
      seen.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(2);
    expect(seen.map((i) => [i.customerId, i.total])).toEqual([['ir-big', '62.00'], ['ir-paid', '31.00']]);
    expect(seen).toEqual(JSON.parse(JSON.stringify(await invoicesOf(db, { customerIds: ['ir-big', 'ir-paid'] }))));

    const none = await call(viewer, { method: 'GET', url: '/api/v1/invoices?status=approved' });
    expect(json(none)).toEqual({ items: [], nextCursor: null });
    const afterRange = await call(viewer, { method: 'GET', url: '/api/v1/invoices?from=2026-11-01' });
    expect(json(afterRange)).toEqual({ items: [], nextCursor: null });
    const badCursor = await call(viewer, { method: 'GET', url: '/api/v1/invoices?cursor=nonsense' });
    expect(badCursor.statusCode).toBe(400);
    const badStatus = await call(viewer, { method: 'GET', url: '/api/v1/invoices?status=paid' });
    expect(json(badStatus)).toMatchObject({ status: 400, field: 'querystring.status' });
  });

  it('approves with the approve permission, recording the caller, and the invoice is then unchangeable', async () => {
    const url = `/api/v1/invoices/${paid.id}`;
    const etag = (await call(viewer, { method: 'GET', url })).headers.etag as string;
    expect((await call(billing, { method: 'POST', url: `${url}/approve` })).statusCode).toBe(403);
    const response = await call(approver, { method: 'POST', url: `${url}/approve`, headers: { 'if-match': etag } });
    expect(response.statusCode).toBe(200);
    const approved = json<Invoice>(response);
    expect(approved).toMatchObject({ id: paid.id, status: 'approved', number: expect.any(Number), approvedBy: 'anna', total: '31.00' });
    expect(approved).toEqual(JSON.parse(JSON.stringify(await showInvoice(db, paid.id))));

    const byNumber = await call(viewer, { method: 'GET', url: `/api/v1/invoices/${approved.number}` });
    expect(json(byNumber)).toEqual(approved);
    expect(byNumber.headers.etag).toBeUndefined();
    const again = await call(approver, { method: 'POST', url: `${url}/approve` });
    expect(again.statusCode).toBe(409);
    const edit = await call(billing, { method: 'PUT', url: `${url}/notes`, payload: { notes: 'late' }, headers: { 'if-match': etag } });
    expect(edit.statusCode).toBe(409);
    expect(json(edit)).toMatchObject({ code: 'invoice-immutable' });
    expect((await call(billing, { method: 'DELETE', url })).statusCode).toBe(409);
  });

  it('downloads the PDF, the CSV and the calls CSV that `invoice export` writes', async () => {
    const number = (await showInvoice(db, paid.id)).number!;
    for (const [path, format, type, fileName] of [
      ['pdf', 'pdf', 'application/pdf', `invoice-${number}.pdf`],
      ['csv', 'csv', 'text/csv; charset=utf-8', `invoice-${number}.csv`],
      ['calls-csv', 'calls-csv', 'text/csv; charset=utf-8', `invoice-${number}-calls.csv`],
    ] as const) {
      const response = await call(viewer, { method: 'GET', url: `/api/v1/invoices/${number}/${path}` });
      expect(response.statusCode, path).toBe(200);
      expect(response.headers['content-type'], path).toBe(type);
      expect(response.headers['content-disposition'], path).toBe(`attachment; filename="${fileName}"`);
      // An approved invoice renders from its frozen document: the same bytes every time.
      expect(response.rawPayload.equals((await exportInvoice(db, paid.id, format)).content), path).toBe(true);
    }
    const csv = (await call(viewer, { method: 'GET', url: `/api/v1/invoices/${paid.id}/csv` })).body;
    expect(csv).toContain('31.00');
    expect((await call(viewer, { method: 'GET', url: `/api/v1/invoices/${paid.id}/pdf` })).rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await call(viewer, { method: 'GET', url: '/api/v1/invoices/nothing-here/pdf' })).statusCode).toBe(404);
    // The web admin's preview: inline, and framable by this origin only (every other answer forbids framing).
    const preview = await call(viewer, { method: 'GET', url: `/api/v1/invoices/${paid.id}/pdf?disposition=inline` });
    expect([preview.statusCode, preview.headers['content-disposition'], preview.headers['content-security-policy'], preview.headers['x-frame-options']]).toEqual([200, `inline; filename="invoice-${number}.pdf"`, "frame-ancestors 'self'", 'SAMEORIGIN']);
    expect(String((await call(viewer, { method: 'GET', url: `/api/v1/invoices/${paid.id}/pdf` })).headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect((await call(viewer, { method: 'GET', url: `/api/v1/invoices/${paid.id}/pdf?disposition=frame` })).statusCode).toBe(400);
  });

  it('deletes a draft, which frees its items for the next generation', async () => {
    const url = `/api/v1/invoices/${bigger.id}`;
    expect((await call(billing, { method: 'DELETE', url, headers: { 'if-match': '"not-the-etag"' } })).statusCode).toBe(412);
    const response = await call(billing, { method: 'DELETE', url });
    expect(response.statusCode).toBe(204);
    expect((await call(viewer, { method: 'GET', url })).statusCode).toBe(404);
    const regenerated = await call(billing, { method: 'POST', url: '/api/v1/invoices/generate', payload: { customers: ['ir-big'], from: '2026-10-01', to: '2026-11-01' } });
    expect(json<{ customers: { invoices: Invoice[] }[] }>(regenerated).customers[0]!.invoices.map((i) => i.total)).toEqual(['62.00']);
  });

  it('runs rating as `confbill rate` does and answers its summary', async () => {
    const csv = callsCsv('ir-src', [
      ['ir-1', '2026-11-03T10:00:00Z', 600, 'video', 'outbound', 'room@ir-paid.example'],
      ['ir-2', '2026-11-03T11:00:00Z', 300, 'video', 'outbound', 'room@ir-big.example'],
      ['ir-3', '2026-11-03T12:00:00Z', 300, 'video', 'outbound', 'room@ir-late.example'],
    ]);
    await ingestCalls(db, readConfbillCsv, Readable.from([csv]), { format: 'confbill-csv', file: 'ir.csv' });
    // A new matching rule puts every call in no invoice back to pending: the run matches them again.
    const withLateCustomer = providerYaml.replace('\nplans:', '\n  - { id: ir-late, name: Late Inc, matching: [{ kind: domain, value: ir-late.example }] }\nplans:');
    await applyConfig(db, parseProviderConfig(withLateCustomer, 'ir.yaml'));
    expect((await call(viewer, { method: 'POST', url: '/api/v1/rating-runs' })).statusCode).toBe(403);
    const response = await call(billing, { method: 'POST', url: '/api/v1/rating-runs' });
    expect(response.statusCode).toBe(200);
    const summary = json<{ match: { matched: number; noCustomer: number; ambiguous: number }; rating: { customers: number; noPlanCalls: number; leftDirty: number } }>(response);
    expect(summary.match).toEqual({ matched: 3, noCustomer: 0, ambiguous: 0 });
    // ir-late has no plan: its call is untracked (no-plan).
    expect(summary.rating).toMatchObject({ customers: 4, noPlanCalls: 1, leftDirty: 0 });
  });
});
