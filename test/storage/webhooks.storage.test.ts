import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { readConfbillCsv } from '../../src/ingest/confbill-csv/readConfbillCsv.ts';
import { runBilling } from '../../src/services/billingRun.ts';
import { deletePlan } from '../../src/services/planLifecycle.ts';
import { ingestCalls } from '../../src/services/ingestCalls.ts';
import { approve, deleteDraft, generateInvoicesPerCustomer } from '../../src/services/invoicing.ts';
import { deliverDueWebhooks, startWebhookDelivery, verifyWebhookSignature, type WebhookRequest, type WebhookSend } from '../../src/services/webhookDelivery.ts';
import { addWebhook, disableWebhook, listWebhooks, webhookDeliveries } from '../../src/services/webhookEndpoints.ts';
import { recordWebhookEvent } from '../../src/services/webhookEvents.ts';
import type { Database } from '../../src/storage/database.ts';
import { claimDueWebhookDeliveries } from '../../src/storage/webhookStore.ts';
import type { Invoice } from '../../src/domain/invoice.ts';
import type { WebhookEventBody } from '../../src/domain/webhookEvent.ts';
import { applyYaml, callsCsv } from '../support/billingFixtures.ts';
import { createTestDatabase, databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const config = `
customers:
  - { id: wh-paid, name: Paid Inc, matching: [{ kind: domain, value: wh-paid.example }] }
plans:
  - { id: wh-plan, copyOf: pay-as-you-go, monthlyFee: "31.00" }
assignments:
  - { customer: wh-paid, plan: wh-plan, from: 2026-09-01 }
`;

interface Outboxed {
  type: string;
  data: Record<string, unknown>;
  endpoints: string[];
}

/** The events written, oldest first, with the endpoints each is to be delivered to. */
async function outbox(db: Database): Promise<Outboxed[]> {
  return db.query<Outboxed>(
    `SELECT o.event_type AS type, o.payload AS data, array_agg(d.endpoint_id ORDER BY d.endpoint_id) AS endpoints
     FROM webhook_outbox o JOIN webhook_deliveries d ON d.event_id = o.id GROUP BY o.id ORDER BY o.created_at, o.id`,
  );
}

/** Delivers everything that is due, answering 200, so that a test starts from no pending delivery. */
async function drain(db: Database): Promise<void> {
  while ((await deliverDueWebhooks(db, { now: new Date(Date.now() + 3600_000), send: async () => ({ status: 200 }), limit: 100 })).attempted > 0);
}

/** A receiver in the test: answers each attempt of a delivery with the next status given (the last one from then on). */
function receiver(...statuses: number[]): WebhookSend & { requests: WebhookRequest[] } {
  const requests: WebhookRequest[] = [];
  const send = async (request: WebhookRequest) => {
    requests.push(request);
    const attempts = requests.filter((r) => r.headers['confbill-delivery'] === request.headers['confbill-delivery']).length;
    return { status: statuses[Math.min(attempts - 1, statuses.length - 1)]! };
  };
  return Object.assign(send, { requests });
}

const invoiceOf = (outcomes: Awaited<ReturnType<typeof generateInvoicesPerCustomer>>): Invoice => {
  const [outcome] = outcomes;
  if (outcome?.result !== 'created') throw new Error(`no invoice made: ${JSON.stringify(outcome)}`);
  return outcome.invoices[0]!;
};

// Issue 10 §6: events written with the change, signed deliveries retried with backoff, nothing lost.
describe.each(databaseKinds)('webhooks on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));
  let all!: string;
  let approvals!: string;
  let allSecret!: string;
  let approvalsSecret!: string;

  beforeAll(async () => {
    await applyYaml(db, config);
    const added = await addWebhook(db, { url: 'https://billing.example.com/hooks', events: ['invoice.generated', 'invoice.approved', 'invoice.deleted', 'calls.untracked'] }, 'alice');
    all = added.webhook.id;
    allSecret = added.secret;
    const added2 = await addWebhook(db, { url: 'http://erp.example.net:8080/approved?x=1', events: ['invoice.approved', 'invoice.approved'] }, 'bob');
    approvals = added2.webhook.id;
    approvalsSecret = added2.secret;
    expect(allSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  });

  it('writes an event with every invoice change, to the endpoints subscribed to it', async () => {
    const invoice = invoiceOf(await generateInvoicesPerCustomer(db, { customerIds: ['wh-paid'], from: '2026-09-01', to: '2026-10-01', now: new Date('2026-10-02T00:00:00Z'), actor: 'test' }));
    const approved = await approve(db, invoice.id, { user: 'carol' });
    const draft = invoiceOf(await generateInvoicesPerCustomer(db, { customerIds: ['wh-paid'], from: '2026-10-01', to: '2026-11-01', now: new Date('2026-11-02T00:00:00Z'), actor: 'test' }));
    await deleteDraft(db, draft.id, 'test');

    const summary = { status: 'draft', number: null, customerId: 'wh-paid', currency: 'EUR', total: '31.00' };
    expect(await outbox(db)).toEqual([
      { type: 'invoice.generated', endpoints: [all], data: { id: invoice.id, ...summary, from: '2026-09-01', to: '2026-10-01' } },
      {
        type: 'invoice.approved',
        endpoints: [all, approvals].sort(),
        data: { id: invoice.id, ...summary, status: 'approved', number: approved.number, from: '2026-09-01', to: '2026-10-01', approvedBy: 'carol', approvedAt: approved.approvedAt },
      },
      { type: 'invoice.generated', endpoints: [all], data: { id: draft.id, ...summary, from: '2026-10-01', to: '2026-11-01' } },
      { type: 'invoice.deleted', endpoints: [all], data: { id: draft.id, ...summary, from: '2026-10-01', to: '2026-11-01' } },
    ]);
    expect(approved.approvedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('reports the drafts that deleting their plan deletes', async () => {
    await applyYaml(db, `
customers: [{ id: wh-gone, name: Gone Inc, matching: [{ kind: domain, value: wh-gone.example }] }]
plans: [{ id: wh-gone-plan, copyOf: pay-as-you-go, monthlyFee: "9.50" }]
assignments: [{ customer: wh-gone, plan: wh-gone-plan, from: 2026-09-01 }]
`);
    const draft = invoiceOf(await generateInvoicesPerCustomer(db, { customerIds: ['wh-gone'], from: '2026-09-01', to: '2026-10-01', now: new Date('2026-10-02T00:00:00Z'), actor: 'test' }));
    await deletePlan(db, 'wh-gone-plan', 'alice', new Date('2026-10-02T00:00:00Z'));
    expect((await outbox(db)).slice(-2)).toEqual([
      { type: 'invoice.generated', endpoints: [all], data: { id: draft.id, number: null, status: 'draft', customerId: 'wh-gone', currency: 'EUR', from: '2026-09-01', to: '2026-10-01', total: '9.50' } },
      { type: 'invoice.deleted', endpoints: [all], data: { id: draft.id, number: null, status: 'draft', customerId: 'wh-gone', currency: 'EUR', from: '2026-09-01', to: '2026-10-01', total: '9.50' } },
    ]);
  });

  it('writes no event for a change that is rolled back', async () => {
    const before = (await outbox(db)).length;
    // The generation's transaction writes its invoice and event, then fails at commit.
    await db.exec(`
      CREATE FUNCTION refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'commit refused by the test'; END $$;
      CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT ON invoices DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_commit();`);
    const october = { customerIds: ['wh-paid'], from: '2026-10-01', to: '2026-11-01', now: new Date('2026-11-02T00:00:00Z'), actor: 'test' };
    await expect(generateInvoicesPerCustomer(db, october)).rejects.toThrow('commit refused by the test');
    expect(await outbox(db)).toHaveLength(before);
    expect(await db.query('SELECT 1 FROM invoices WHERE from_date = $1', ['2026-10-01'])).toEqual([]);

    await db.exec('DROP TRIGGER refuse_commit ON invoices; DROP FUNCTION refuse_commit()');
    const invoice = invoiceOf(await generateInvoicesPerCustomer(db, october));
    expect((await outbox(db)).slice(before)).toEqual([{ type: 'invoice.generated', endpoints: [all], data: expect.objectContaining({ id: invoice.id, total: '31.00' }) }]);
    await deleteDraft(db, invoice.id, 'test');
  });

  it('reports the calls an ingest batch or a matching page leaves untracked, once per batch', async () => {
    const before = (await outbox(db)).length;
    const csv = callsCsv('wh-cms', [
      ['u1', '2026-10-05T08:00:00Z', 600, 'video', 'inbound', 'room@nobody.example'],
      ['u2', '2026-10-05T09:00:00Z', 60, 'video', 'inbound', 'room@later.example'],
      ['u3', '2026-10-05T10:00:00Z', 0, 'video', 'inbound', 'room@nobody.example'],
      ['t1', '2026-10-05T11:00:00Z', 300, 'video', 'inbound', 'room@wh-paid.example'],
    ]);
    const ingest = () => ingestCalls(db, readConfbillCsv, Readable.from([csv]), { format: 'confbill-csv', file: 'untracked.csv' });
    await ingest();
    await ingest(); // the same calls again change nothing, and report nothing again
    const ids = Object.fromEntries((await db.query<{ externalId: string; id: number }>(`SELECT external_id AS "externalId", id FROM calls WHERE source = 'wh-cms'`)).map((r) => [r.externalId, String(r.id)]));
    const ingested = { during: 'ingest', count: 2, sources: ['wh-cms'], reasons: { 'no-customer': 2 }, callIds: [ids.u1, ids.u2], truncated: false };
    expect((await outbox(db)).slice(before)).toEqual([{ type: 'calls.untracked', endpoints: [all], data: ingested }]);

    // A new rule sends the open calls back to matching: the page still leaves u1 untracked.
    await applyYaml(db, config.replace('plans:', '  - { id: wh-later, name: Later, matching: [{ kind: domain, value: later.example }] }\nplans:'));
    await runBilling(db, { now: new Date('2026-12-01T00:00:00Z') });
    expect((await outbox(db)).slice(before + 1)).toEqual([{ type: 'calls.untracked', endpoints: [all], data: { ...ingested, during: 'matching', count: 1, reasons: { 'no-customer': 1 }, callIds: [ids.u1] } }]);

    // At most 1,000 ids in an event; the count says how many there were.
    const many = callsCsv('wh-bulk', Array.from({ length: 1001 }, (_, i) => [`b${i}`, '2026-10-06T08:00:00Z', 60, 'video', 'inbound', `room${i}@nobody.example`] as [string, string, number, string, string, string]));
    await ingestCalls(db, readConfbillCsv, Readable.from([many]), { format: 'confbill-csv', file: 'many.csv' });
    const [bulk] = (await outbox(db)).slice(before + 2);
    expect(bulk!.data).toMatchObject({ during: 'ingest', count: 1001, sources: ['wh-bulk'], reasons: { 'no-customer': 1001 }, truncated: true });
    expect(bulk!.data.callIds).toHaveLength(1000);
  });

  it('retries a receiver that fails, 30 s and then 60 s later, and logs every attempt', async () => {
    await drain(db);
    await approve(db, invoiceOf(await generateInvoicesPerCustomer(db, { customerIds: ['wh-paid'], from: '2026-10-01', to: '2026-11-01', now: new Date('2026-11-02T00:00:00Z'), actor: 'test' })).id);
    const t0 = new Date(Date.now() + 1000);
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
    const send = receiver(500, 500, 200);

    // invoice.generated to one endpoint, invoice.approved to both: three deliveries.
    expect(await deliverDueWebhooks(db, { now: t0, send })).toEqual({ attempted: 3, delivered: 0, retrying: 3, failed: 0 });
    expect(await deliverDueWebhooks(db, { now: at(29), send })).toEqual({ attempted: 0, delivered: 0, retrying: 0, failed: 0 });
    expect(await deliverDueWebhooks(db, { now: at(30), send })).toEqual({ attempted: 3, delivered: 0, retrying: 3, failed: 0 });
    expect(await deliverDueWebhooks(db, { now: at(89), send })).toEqual({ attempted: 0, delivered: 0, retrying: 0, failed: 0 });
    expect(await deliverDueWebhooks(db, { now: at(90), send })).toEqual({ attempted: 3, delivered: 3, retrying: 0, failed: 0 });
    expect(send.requests).toHaveLength(9);

    const delivered = (await webhookDeliveries(db, { status: 'delivered', limit: 3 })).sort((a, b) => a.webhookId.localeCompare(b.webhookId) || a.eventType.localeCompare(b.eventType));
    const expected = [
      { webhookId: all, eventType: 'invoice.approved' },
      { webhookId: all, eventType: 'invoice.generated' },
      { webhookId: approvals, eventType: 'invoice.approved' },
    ].sort((a, b) => a.webhookId.localeCompare(b.webhookId) || a.eventType.localeCompare(b.eventType));
    expect(delivered.map((d) => ({ webhookId: d.webhookId, eventType: d.eventType }))).toEqual(expected);
    for (const delivery of delivered) {
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, deliveredAt: at(90).toISOString(), lastError: null, nextAttemptAt: null });
      expect(delivery.log.map((a) => [a.attemptedAt, a.httpStatus, a.error])).toEqual([
        [t0.toISOString(), 500, null],
        [at(30).toISOString(), 500, null],
        [at(90).toISOString(), 200, null],
      ]);
      // Each request is signed for its endpoint and says which event and delivery it is.
      const requests = send.requests.filter((r) => r.headers['confbill-delivery'] === delivery.id);
      expect(requests.map((r) => r.url)).toEqual(Array(3).fill(delivery.url));
      const last = requests[2]!;
      expect(last.headers).toMatchObject({ 'content-type': 'application/json', 'confbill-event': delivery.eventType });
      expect(last.headers['confbill-signature']).toMatch(new RegExp(`^t=${Math.floor(at(90).getTime() / 1000)},v1=[0-9a-f]{64}$`));
      const secret = delivery.webhookId === all ? allSecret : approvalsSecret;
      expect(verifyWebhookSignature(secret, last.headers['confbill-signature'], last.body, at(90))).toBe(true);
      expect(verifyWebhookSignature(secret === allSecret ? approvalsSecret : allSecret, last.headers['confbill-signature'], last.body, at(90))).toBe(false);
      // The same body for every attempt: a receiver can tell a retry by the event id.
      expect(new Set(requests.map((r) => r.body)).size).toBe(1);
      const body = JSON.parse(last.body) as WebhookEventBody;
      expect(body).toMatchObject({ id: delivery.eventId, type: delivery.eventType, createdAt: delivery.eventCreatedAt, data: { customerId: 'wh-paid', currency: 'EUR', from: '2026-10-01', to: '2026-11-01' } });
    }
  });

  it('gives a delivery up after 15 attempts, and a disabled webhook gets nothing more', async () => {
    await drain(db);
    await recordEventNow(db);
    const send = receiver(503);
    let now = new Date(Date.now() + 1000);
    const gaps: number[] = [];
    for (let attempt = 1; attempt <= 15; attempt++) {
      const round = await deliverDueWebhooks(db, { now, send });
      expect(round.attempted).toBe(1);
      const [delivery] = await webhookDeliveries(db, { webhookId: all, limit: 1 });
      if (attempt < 15) {
        gaps.push((Date.parse(delivery!.nextAttemptAt!) - now.getTime()) / 1000);
        now = new Date(delivery!.nextAttemptAt!);
      } else expect(delivery).toMatchObject({ status: 'failed', attempts: 15, lastError: 'HTTP status 503', nextAttemptAt: null });
    }
    expect(gaps).toEqual([30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600, 21600, 21600]);

    await recordEventNow(db);
    const disabled = await disableWebhook(db, all, 'alice');
    expect(disabled).toMatchObject({ alreadyDisabled: false, webhook: { id: all, disabledBy: 'alice', disabledAt: expect.any(String) } });
    expect((await webhookDeliveries(db, { webhookId: all, limit: 1 }))[0]).toMatchObject({ status: 'failed', lastError: 'the webhook was disabled', attempts: 0 });
    expect((await disableWebhook(db, all, 'bob')).alreadyDisabled).toBe(true);
    await expect(disableWebhook(db, 'no-such-hook', 'bob')).rejects.toThrow('There is no webhook "no-such-hook"; the list of webhooks shows their ids.');
    const before = (await outbox(db)).length;
    await recordEventNow(db);
    expect(await outbox(db)).toHaveLength(before);
    expect((await listWebhooks(db)).map((w) => [w.url, w.events, w.createdBy, w.disabledBy])).toEqual([
      ['https://billing.example.com/hooks', ['invoice.generated', 'invoice.approved', 'invoice.deleted', 'calls.untracked'], 'alice', 'alice'],
      ['http://erp.example.net:8080/approved?x=1', ['invoice.approved'], 'bob', null],
    ]);
    expect(JSON.stringify(await listWebhooks(db))).not.toContain(allSecret);
  });

  it('sends each delivery once when two processes deliver at once', async () => {
    await drain(db);
    const second = await addWebhook(db, { url: 'https://twice.example.com/', events: ['invoice.generated'] }, 'alice');
    for (let i = 0; i < 12; i++) await recordEventNow(db);
    // Two connections on PostgreSQL (two processes); PGlite has the one its data folder lock allows.
    const other = kind === 'postgres' ? await reopen(db) : db;
    const sent: string[] = [];
    const send: WebhookSend = async (request) => {
      sent.push(request.headers['confbill-delivery']!);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { status: 200 };
    };
    const now = new Date(Date.now() + 1000);
    try {
      for (;;) {
        const rounds = await Promise.all([deliverDueWebhooks(db, { now, send, limit: 5 }), deliverDueWebhooks(other, { now, send, limit: 5 })]);
        if (rounds.every((r) => r.attempted === 0)) break;
      }
    } finally {
      if (other !== db) await other.close();
    }
    expect(sent).toHaveLength(12);
    expect(new Set(sent).size).toBe(12);
    expect((await webhookDeliveries(db, { webhookId: second.webhook.id })).map((d) => [d.status, d.attempts, d.log.length])).toEqual(Array(12).fill(['delivered', 1, 1]));
    await disableWebhook(db, second.webhook.id, 'alice');
  });

  it('delivers over HTTP to a receiver that verifies the signature', async () => {
    await drain(db);
    const added = await addWebhook(db, { url: 'http://127.0.0.1:1/', events: ['invoice.generated'] }, 'alice');
    const received: { event: string | undefined; verified: boolean; type: string }[] = [];
    const server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        const verified = verifyWebhookSignature(added.secret, request.headers['confbill-signature'] as string | undefined, body);
        received.push({ event: request.headers['confbill-event'] as string | undefined, verified, type: (JSON.parse(body.toString()) as WebhookEventBody).type });
        response.writeHead(verified ? 204 : 400).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      await db.query('UPDATE webhook_endpoints SET url = $1 WHERE id = $2', [`http://127.0.0.1:${port}/confbill`, added.webhook.id]);
      await recordEventNow(db);
      const round = await deliverDueWebhooks(db);
      expect(received.filter((r) => r.verified)).toEqual([{ event: 'invoice.generated', verified: true, type: 'invoice.generated' }]);
      expect(round.delivered).toBeGreaterThanOrEqual(1);
      expect((await webhookDeliveries(db, { webhookId: added.webhook.id }))[0]).toMatchObject({ status: 'delivered', log: [{ httpStatus: 204, error: null }] });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    // Nothing listens there any more: the error is logged and the delivery waits for its retry.
    await recordEventNow(db);
    await deliverDueWebhooks(db);
    const [failed] = await webhookDeliveries(db, { webhookId: added.webhook.id, limit: 1 });
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, log: [{ httpStatus: null, error: expect.stringContaining('fetch failed') }] });
    await disableWebhook(db, added.webhook.id, 'alice');
  });

  it('refuses a bad URL, event, status or webhook id with a sentence naming the field', async () => {
    await expect(addWebhook(db, { url: 'https://user:pw@billing.example.com/', events: ['invoice.approved'] }, 'alice')).rejects.toMatchObject({ code: 'invalid-argument', details: { field: 'url' } });
    await expect(addWebhook(db, { url: 'https://billing.example.com/', events: ['invoice.paid'] }, 'alice')).rejects.toMatchObject({ code: 'invalid-argument', details: { field: 'events' } });
    await expect(webhookDeliveries(db, { status: 'lost' })).rejects.toThrow('"lost" is not a delivery status: use pending, delivered, failed.');
    await expect(webhookDeliveries(db, { webhookId: "x'; DROP TABLE webhook_outbox; --" })).rejects.toThrow(`There is no webhook "x'; DROP TABLE webhook_outbox; --"; the list of webhooks shows their ids.`);
  });

  it('runs delivery rounds until stopped, and stopping waits for the round under way', async () => {
    await drain(db);
    const added = await addWebhook(db, { url: 'https://runner.example.com/', events: ['invoice.generated'] }, 'alice');
    await recordEventNow(db);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let sent = 0;
    const lines: string[] = [];
    const runner = startWebhookDelivery(db, {
      intervalMs: 10,
      now: () => new Date(Date.now() + 1000),
      log: (line) => lines.push(line),
      send: async () => {
        sent++;
        await released;
        return { status: 200 };
      },
    });
    while (sent === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect((await webhookDeliveries(db, { webhookId: added.webhook.id })).map((d) => d.status)).toEqual(['delivered']);
    expect(lines).toEqual(['webhooks: 1 attempted, 1 delivered, 0 to retry, 0 given up']);
    await recordEventNow(db);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent).toBe(1);
    await disableWebhook(db, added.webhook.id, 'alice');
  });

  async function reopen(open: Database): Promise<Database> {
    const [{ name }] = (await open.query<{ name: string }>('SELECT current_database() AS name')) as [{ name: string }];
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${name}`;
    const { openDatabase } = await import('../../src/storage/database.ts');
    return openDatabase({ databaseUrl: url.toString() });
  }
});

/** An `invoice.generated` event written now, as generation would write it. */
async function recordEventNow(db: Database): Promise<void> {
  await db.transaction((tx) => recordWebhookEvent(tx, 'invoice.generated', { id: 'inv-x', number: null, status: 'draft', customerId: 'wh-paid', currency: 'EUR', from: '2026-01-01', to: '2026-02-01', total: '1.00' }));
}

describe.each(databaseKinds)('webhook events survive a restart on %s', (kind) => {
  it('delivers after the database is closed and opened again what was written or being sent before', async () => {
    const testDb = await createTestDatabase(kind);
    try {
      let db = await testDb.open();
      await applyYaml(db, config);
      const { secret } = await addWebhook(db, { url: 'https://billing.example.com/hooks', events: ['invoice.generated'] }, 'alice');
      const invoice = invoiceOf(await generateInvoicesPerCustomer(db, { customerIds: ['wh-paid'], from: '2026-09-01', to: '2026-10-01', now: new Date('2026-10-02T00:00:00Z'), actor: 'test' }));
      await recordEventNow(db);
      const now = new Date(Date.now() + 1000);
      // A process claims the first event's delivery and stops before its attempt is recorded.
      expect(await claimDueWebhookDeliveries(db, now, 1, new Date(now.getTime() + 120_000))).toHaveLength(1);
      await db.close();

      db = await testDb.open();
      try {
        const send = receiver(200);
        expect(await deliverDueWebhooks(db, { now, send })).toMatchObject({ attempted: 1, delivered: 1 });
        expect(JSON.parse(send.requests[0]!.body)).toMatchObject({ type: 'invoice.generated', data: { id: 'inv-x' } });
        // The claimed one is sent once its claim has run out.
        expect(await deliverDueWebhooks(db, { now: new Date(now.getTime() + 119_000), send })).toMatchObject({ attempted: 0 });
        const later = new Date(now.getTime() + 120_000);
        expect(await deliverDueWebhooks(db, { now: later, send })).toMatchObject({ attempted: 1, delivered: 1 });
        expect(JSON.parse(send.requests[1]!.body)).toMatchObject({ type: 'invoice.generated', data: { id: invoice.id, total: '31.00', from: '2026-09-01', to: '2026-10-01' } });
        expect(verifyWebhookSignature(secret, send.requests[1]!.headers['confbill-signature'], send.requests[1]!.body, later)).toBe(true);
      } finally {
        await db.close();
      }
    } finally {
      await testDb.drop();
    }
  });
});
