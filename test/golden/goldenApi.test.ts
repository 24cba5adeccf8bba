import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/buildServer.ts';
import type { Invoice } from '../../src/domain/invoice.ts';
import type { Database } from '../../src/storage/database.ts';
import { memoryAuthenticator } from '../support/apiTestServer.ts';
import { applyYaml, ingestCsv } from '../support/billingFixtures.ts';
import { runCli } from '../support/runCli.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/testDatabases.ts';
import { caseNames, caseSpec, compared, expectedInvoices, readText, stepsOf } from './goldenCases.ts';

/**
 * The golden cases through the Billing API (issue 10, "Tests that must exist"): the configuration is
 * applied and the calls ingested through the services (as golden.test.ts does), the invoices are
 * generated, read back and approved over HTTP. Every case must give its golden invoices, and at the
 * end every invoice the API shows must be the very document the CLI prints with --json.
 */
describe.each(databaseKinds)('golden cases through the API on %s', (kind) => {
  let testDb!: TestDatabase;
  let db!: Database;
  let app!: FastifyInstance;
  let clock = new Date(0);
  const authenticator = memoryAuthenticator();
  const billing = authenticator.issue('billing', 'golden-billing');
  const approver = authenticator.issue('approver', 'golden-approver');
  const generated: string[] = [];

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await testDb.open();
    app = buildServer(db, { authenticator, now: () => clock });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await testDb?.drop();
  });

  const call = async <T>(key: string, method: 'GET' | 'POST', url: string, payload?: object): Promise<T> => {
    const response = await app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload ? { payload } : {}) });
    expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(200);
    return JSON.parse(response.body) as T;
  };

  it.each(caseNames)('%s', async (name) => {
    const spec = caseSpec(name);
    await applyYaml(db, readText(name, 'provider.yaml'), new Date(spec.now));
    expect((await ingestCsv(db, readText(name, 'calls.csv'), new Date(spec.now))).rejected).toBe(0);
    const actual = [];
    for (const step of stepsOf(spec)) {
      if ('ingest' in step) {
        await ingestCsv(db, readText(name, step.ingest), new Date(step.now));
        continue;
      }
      const { from, to, now } = step.generate;
      clock = new Date(now);
      const { customers } = await call<{ customers: { customerId: string; result: string; invoices?: Invoice[] }[] }>(billing, 'POST', '/api/v1/invoices/generate', { customers: [spec.customer], from, to });
      const invoices = customers.flatMap((c) => c.invoices ?? []);
      for (const invoice of invoices) {
        expect(await call(billing, 'GET', `/api/v1/invoices/${invoice.id}`), `${name}: GET of the generated invoice ${from}..${to}`).toEqual(invoice);
        generated.push(invoice.id);
        actual.push(compared(invoice));
      }
      if (step.approve) for (const invoice of invoices) await call(approver, 'POST', `/api/v1/invoices/${invoice.id}/approve`);
    }
    expect(actual).toEqual(expectedInvoices(name));
  });

  it('shows every invoice as `confbill invoice list --json` and `invoice show --json` print it', async () => {
    expect(generated.length).toBeGreaterThanOrEqual(caseNames.length);
    const throughApi = new Map<string, Invoice>();
    for (const id of generated) throughApi.set(id, await call(billing, 'GET', `/api/v1/invoices/${id}`));
    const approved = [...throughApi.values()].filter((i) => i.status === 'approved');
    const drafts = [...throughApi.values()].filter((i) => i.status === 'draft');
    expect(approved.length).toBeGreaterThan(0);
    for (const invoice of approved) expect(invoice.approvedBy).toBe('golden-approver');
    // The CLI opens the database itself: the embedded one only once the server let it go.
    await app.close();
    await db.close();
    // Every invoice through one CLI run (an embedded database takes a second or two to open), and
    // `invoice show` of an approved invoice by its number and of a draft by its id.
    const listed = await runCli(['invoice', 'list', '--json'], { env: testDb.env });
    expect(listed.status, listed.stderr).toBe(0);
    const cliInvoices = new Map((JSON.parse(listed.stdout) as Invoice[]).map((i) => [i.id, i]));
    expect([...cliInvoices.keys()].sort()).toEqual([...throughApi.keys()].sort());
    for (const [id, invoice] of throughApi) expect(invoice, id).toEqual(cliInvoices.get(id));
    for (const [reference, invoice] of [[String(approved[0]!.number), approved[0]!], [drafts[0]!.id, drafts[0]!]] as const) {
      const shown = await runCli(['invoice', 'show', reference, '--json'], { env: testDb.env });
      expect(shown.status, shown.stderr).toBe(0);
      expect(invoice, reference).toEqual(JSON.parse(shown.stdout));
    }
    db = await testDb.open();
  });
});
