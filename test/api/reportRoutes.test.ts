import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/api/apiSchemas.ts';
import { buildServer } from '../../src/api/buildServer.ts';
import { readConfbillCsv } from '../../src/ingest/confbill-csv/readConfbillCsv.ts';
import { ingestCalls } from '../../src/services/ingestCalls.ts';
import { peakPortsSeriesReport } from '../../src/services/peakPortsReport.ts';
import { previewInvoices, refusedChangesReport, rejectedRecordsReport, untrackedReport, usageReport } from '../../src/services/reports.ts';
import type { Database } from '../../src/storage/database.ts';
import { insertRejects } from '../../src/storage/rejectStore.ts';
import { memoryAuthenticator } from '../support/apiTestServer.ts';
import { applyYaml, callsCsv, generate, ingestCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const now = new Date('2026-12-01T00:00:00Z');

const config = `
customers:
  - id: r1
    name: Reports
    matching: [{ kind: domain, value: r1.example }]
    customElements:
      - { id: r1-setup, name: Setup, date: 2026-10-02, unitPrice: "250.00", quantity: 1 }
  - { id: r2, name: Other, matching: [{ kind: domain, value: r2.example }] }
plans: [{ id: r1-plan, copyOf: included-minutes, monthlyFee: "31.00", includedMinutes: { minutesPerMonth: 100, overagePerMinute: "0.10" }, portPool: { ports: 1, overagePerPortMinute: "0.50" } }]
assignments:
  - { customer: r1, plan: r1-plan, from: 2026-10-01, to: 2026-11-01 }
  - { customer: r2, plan: r1-plan, from: 2026-10-01, to: 2026-11-01 }
`;

describe.each(databaseKinds)('the report and verify routes on %s', (kind) => {
  let db!: Database;
  let app: FastifyInstance;
  let viewer: string;
  let ingest: string;
  useTestDatabase(kind, (opened) => (db = opened));

  beforeAll(async () => {
    await applyYaml(db, config, now);
    await ingestCsv(db, callsCsv('r1-src', [
      ['a', '2026-10-05T09:00:00Z', 600, 'video', 'inbound', 'room@r1.example'],
      ['b', '2026-10-05T09:05:00Z', 61, 'audio', 'outbound', 'room@r1.example'],
      ['c', '2026-11-05T09:00:00Z', 60, 'video', 'inbound', 'room@r1.example'],
      ['d', '2026-10-05T09:00:00Z', 60, 'video', 'inbound', 'who@unknown.example'],
      ['e', '2026-10-06T09:00:00Z', 0, 'video', 'inbound', 'who@unknown.example'],
      ['f', '2026-10-06T09:00:00Z', 0, 'video', 'inbound', 'who@unknown.example'],
      ['g', '2026-10-07T09:00:00Z', 30, 'video', 'inbound', 'who@unknown.example'],
      ['h', '2026-11-08T09:00:00Z', 30, 'audio', 'inbound', 'x@r2.example'],
    ]), now);
    const authenticator = memoryAuthenticator();
    viewer = authenticator.issue('viewer');
    ingest = authenticator.issue('ingest');
    app = buildServer(db, { authenticator, now: () => now });
    await app.ready();
  });
  afterAll(async () => app?.close());

  const get = (url: string, key = viewer): Promise<LightMyRequestResponse> => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
  /** JSON as the API sends it (undefined fields dropped). */
  const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

  async function allPages(url: string, limit: number): Promise<{ items: unknown[]; pages: number }> {
    const items: unknown[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await get(`${url}${url.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.statusCode, answer.body).toBe(200);
      const page = answer.json<{ items: unknown[]; nextCursor: string | null }>();
      items.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor !== null);
    return { items, pages };
  }

  it('previews the next invoices as the service does, with items on request, a page of customers at a time', async () => {
    const answer = await get('/api/v1/reports/non-invoiced?customer=r1&from=2026-10-01&to=2026-11-01&items=true');
    expect(answer.statusCode).toBe(200);
    const { items, nextCursor } = answer.json<{ items: { currency: string; total: string; lines: { kind: string; amount: string }[] }[]; nextCursor: null }>();
    expect(nextCursor).toBeNull();
    expect(items).toEqual(asJson(await previewInvoices(db, { customerIds: ['r1'], from: '2026-10-01', to: '2026-11-01', now, items: true })));
    expect(items.map((p) => [p.currency, p.total])).toEqual([['EUR', '282.00']]);
    expect(items[0]!.lines.map((l) => [l.kind, l.amount])).toEqual([['monthly-fee', '31.00'], ['port-overage', '1.00'], ['custom-element', '250.00']]);

    const paged = await allPages('/api/v1/reports/non-invoiced?from=2026-10-01&to=2026-11-01', 1);
    expect(paged.pages).toBe(2);
    expect(paged.items.map((p) => [(p as { customerId: string }).customerId, (p as { total: string }).total])).toEqual([['r1', '282.00'], ['r2', '31.00']]);

    expect((await get('/api/v1/reports/non-invoiced?customer=nosuch')).json()).toMatchObject({ status: 404, code: 'not-found' });
    expect((await get('/api/v1/reports/non-invoiced?from=2026-13-01')).json()).toMatchObject({ status: 400, code: 'invalid-request', field: 'querystring.from' });
  });

  it('lists untracked calls with reasons from the database a page at a time, skipping what is not untracked, with filters', async () => {
    const everything = await untrackedReport(db);
    expect(everything.map((u) => [u.externalId, u.reason])).toEqual([['d', 'no-customer'], ['g', 'no-customer'], ['c', 'no-plan'], ['h', 'no-plan']]);
    for (const limit of [1, 3, 500]) {
      const { items, pages } = await allPages('/api/v1/reports/untracked', limit);
      expect(items).toEqual(asJson(everything));
      expect(pages).toBe(Math.ceil(everything.length / limit));
    }
    expect((await allPages('/api/v1/reports/untracked?customer=r1&customer=r2', 1)).items.map((u) => (u as { externalId: string }).externalId)).toEqual(['c', 'h']);
    expect((await allPages('/api/v1/reports/untracked?from=2026-10-06&to=2026-11-06T00:00:00Z', 1)).items.map((u) => (u as { externalId: string }).externalId)).toEqual(['g', 'c']);
    expect((await get('/api/v1/reports/untracked?source=other')).json()).toEqual({ items: [], nextCursor: null });
    const forged = await get(`/api/v1/reports/untracked?cursor=${encodeCursor('["not", "a"]')}`);
    expect(forged.json()).toMatchObject({ status: 400, code: 'invalid-argument', field: 'cursor' });
    expect((await get('/api/v1/reports/untracked?from=last%20week')).json()).toMatchObject({ status: 400, code: 'invalid-argument' });
  });

  it('gives usage per customer and month and the peak ports series of a month, as the services do', async () => {
    const usage = await allPages('/api/v1/reports/usage?customer=r1', 1);
    expect(usage.items).toEqual(asJson(await usageReport(db, ['r1'])));
    expect(usage.items[0]).toMatchObject({ customerId: 'r1', month: '2026-10', calls: 2, billedMinutes: 12, poolMinutes: 100, peakPorts: 2, ports: 1 });

    const peak = await get('/api/v1/reports/peak-ports?customer=r1&month=2026-10');
    expect(peak.statusCode).toBe(200);
    expect(peak.json()).toEqual(asJson(await peakPortsSeriesReport(db, 'r1', '2026-10')));
    expect(peak.json()).toMatchObject({ customerId: 'r1', month: '2026-10', peak: 2, ports: 1, timeZone: 'UTC', from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' });
    expect((await get('/api/v1/reports/peak-ports?customer=r1')).json()).toMatchObject({ status: 400, field: 'querystring.month' });
    expect((await get('/api/v1/reports/peak-ports?customer=nosuch&month=2026-10')).json()).toMatchObject({ status: 404 });
    expect((await get('/api/v1/reports/usage', ingest)).statusCode).toBe(403);
  });

  it('lists refused changes and rejected records from the database a page at a time', async () => {
    await generate(db, 'r1', '2026-10-01', '2026-11-01', now);
    const changed = callsCsv('r1-src', [['a', '2026-10-05T09:00:00Z', 900, 'video', 'inbound', 'room@r1.example'], ['b', '2026-10-05T09:05:00Z', 90, 'audio', 'outbound', 'room@r1.example']]);
    expect(await ingestCalls(db, readConfbillCsv, Readable.from([changed]), { format: 'confbill-csv', file: 'late.csv' })).toMatchObject({ conflicts: 2 });
    const refused = await allPages('/api/v1/reports/refused-changes?customer=r1', 1);
    expect(refused.pages).toBe(2);
    expect(refused.items).toEqual(asJson(await refusedChangesReport(db, { customerIds: ['r1'] })));
    expect(refused.items.map((r) => [(r as { externalId: string }).externalId, (r as { newValues: object }).newValues])).toEqual([['a', { durationSeconds: 900 }], ['b', { durationSeconds: 90 }]]);
    expect((await get('/api/v1/reports/refused-changes?source=other')).json()).toEqual({ items: [], nextCursor: null });

    await insertRejects(db, [1, 2, 3].map((line) => ({ format: 'confbill-csv', file: 'bad.csv', line, field: 'startedAt', reason: `row ${line}: startedAt is not an instant`, raw: `x${line}`, source: 'r1-src' })));
    const rejected = await allPages('/api/v1/reports/rejected', 2);
    expect(rejected.pages).toBe(2);
    expect(rejected.items).toEqual((await rejectedRecordsReport(db)).map((r) => ({ ...r, source: 'r1-src' })));
    expect(rejected.items.map((r) => (r as { reason: string }).reason)).toEqual(['row 1: startedAt is not an instant', 'row 2: startedAt is not an instant', 'row 3: startedAt is not an instant']);
    expect((await get(`/api/v1/reports/rejected?cursor=${encodeCursor('1; DROP TABLE calls')}`)).json()).toMatchObject({ status: 400, field: 'cursor' });
  });
});
