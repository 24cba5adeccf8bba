import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvHeader } from '../support/billingFixtures.ts';
import { runCli } from '../support/runCli.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/testDatabases.ts';
import { expectBooksVerified } from '../support/booksVerified.ts';

const now = '2026-11-27T12:00:00Z';

const config = `
settings: { timezone: UTC, settlementDelayMinutes: 60 }
customers:
  - id: acme
    name: Acme Corp
    timezone: Europe/Oslo
    matching:
      - { kind: domain, value: acme.example }
      - { kind: number-range, from: "4721000000", to: "4721009999" }
plans:
  - id: acme-payg
    copyOf: pay-as-you-go
    name: Acme pay as you go
    callRates:
      - { category: video, direction: outbound, startupCharge: "0.50", perMinute: "0.035" }
      - { category: "*", direction: "*", startupCharge: "0", perMinute: "0.02" }
    customElements: [{ name: Support, unitPrice: "49.00", quantity: 1, recurrence: monthly }]
assignments: [{ customer: acme, plan: acme-payg, from: 2026-10-01 }]
`;

const calls = [
  csvHeader,
  'bridge-1,c1,conf-1,2026-10-05T09:00:00+02:00,61,video,outbound,sip,room@acme.example,bob@elsewhere.example,',
  'bridge-1,c2,conf-1,2026-10-05T10:00:00Z,150,video,outbound,sip,room@acme.example,"Bob, Jr <sip:bob@elsewhere.example>",',
  'bridge-1,c3,,2026-10-06T10:00:00Z,30,audio,inbound,h323,+47 21 00 12 34,,',
  'bridge-1,c4,,2026-10-06T10:00:00Z,abc,audio,inbound,sip,room@acme.example,,',
  'bridge-1,c5,,2026-10-06T10:00:00,30,audio,inbound,sip,room@acme.example,,',
  'bridge-1,c6,,2026-10-06T10:00:00Z,30,smell,inbound,sip,room@acme.example,,',
  'bridge-1,c7,,2026-10-07T10:00:00Z,90,video,inbound,sip,nobody@unknown.example,,',
  'bridge-1,c8,,2026-10-07T10:00:00Z,0,video,inbound,sip,room@acme.example,,',
].join('\n') + '\n';

describe.each(databaseKinds)('the confbill CLI on %s', (kind) => {
  let db: TestDatabase;
  let dir: string;
  const cli = (...args: string[]) => runCli(args, { env: db.env, now });

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), 'confbill-cli-'));
    writeFileSync(join(dir, 'provider.yaml'), config);
    writeFileSync(join(dir, 'calls.csv'), calls);
  });
  afterAll(async () => {
    await expectBooksVerified(db);
    await db?.drop();
  });

  it('applies a configuration, twice without change, and refuses a bad one with the key path', async () => {
    const first = await cli('apply', join(dir, 'provider.yaml'));
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('In all: 1 customer, 1 new plan, 1 assignment.');
    const again = await cli('apply', join(dir, 'provider.yaml'));
    expect(again.stdout).toBe(`Applied ${join(dir, 'provider.yaml')}: nothing changed.\n`);
    writeFileSync(join(dir, 'bad.yaml'), 'customers:\n  - { id: x, name: X, colour: red }\nplans:\n  - { id: p, copyOf: pay-as-you-go, monthlyFee: ten }\n');
    const bad = await cli('apply', join(dir, 'bad.yaml'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('customers[0]: unknown key "colour"');
    expect(bad.stderr).toContain('plans[0].monthlyFee');
    const list = await cli('invoice', 'list', '--json');
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('ingests good rows, rejects bad ones with line, field and reason, and is idempotent', async () => {
    const first = await cli('ingest', '--format', 'confbill-csv', join(dir, 'calls.csv'));
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Records read: 8. Calls new: 5, updated: 0, unchanged (duplicates): 0, refused changes to invoiced calls: 0, rejected: 3.');
    expect(first.stdout).toContain('line 5 field durationSeconds');
    expect(first.stdout).toContain('line 6 field startedAt');
    expect(first.stdout).toContain('line 7 field category: category "smell" is not one of');
    const again = await cli('ingest', '--format', 'confbill-csv', join(dir, 'calls.csv'));
    expect(again.stdout).toContain('Calls new: 0, updated: 0, unchanged (duplicates): 5');
    const rejected = JSON.parse((await cli('report', 'rejected', '--json')).stdout) as { line: number; field: string }[];
    // The second run reports the same three rejects and stores none of them again.
    expect(again.stdout).toContain('rejected: 3.');
    expect(rejected.map((r) => [r.line, r.field])).toEqual([[5, 'durationSeconds'], [6, 'startedAt'], [7, 'category']]);
  });

  it('reads standard input and refuses an unknown format', async () => {
    const stdin = await runCli(['ingest', '--format', 'confbill-csv', '--source', 'stdin-src', '-'], { env: db.env, now, input: `${csvHeader}\n,s1,,2026-10-08T10:00:00Z,60,video,inbound,sip,room@acme.example,,\n` });
    expect(stdin.stdout).toContain('Calls new: 1');
    const unknown = await cli('ingest', '--format', 'nope', join(dir, 'calls.csv'));
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Unknown --format "nope"');
    const missing = await cli('ingest', '--format', 'confbill-csv', join(dir, 'missing.csv'));
    expect(missing.status).toBe(6);
  });

  it('reports untracked calls with reasons', async () => {
    const rows = JSON.parse((await cli('report', 'untracked', '--json')).stdout) as { externalId: string; reason: string }[];
    expect(rows.map((r) => [r.externalId, r.reason])).toEqual([['c7', 'no-customer']]);
  });

  it('refuses generation inside the settlement delay, then generates, shows, approves', async () => {
    const early = await runCli(['invoice', 'generate', '--customer', 'acme', '--from', '2026-10-01', '--to', '2026-11-01'], { env: db.env, now: '2026-10-31T23:30:00Z' });
    expect(early.status).toBe(4);
    expect(early.stderr).toContain('can be generated after 2026-11-01T00:00:00.000Z'); // Oslo midnight + 60 min
    const generated = await cli('invoice', 'generate', '--customer', 'acme', '--from', '2026-10-01', '--to', '2026-11-01', '--json');
    expect(generated.stderr).toBe('');
    const [invoice] = JSON.parse(generated.stdout) as { id: string; lines: { kind: string; description: string; quantity: string; amount: string }[]; total: string; status: string; number: null }[];
    // c1 61 s and c2 150 s video outbound: 0.57 + 0.605 = 1.175 → 1.18; c3 (number range) and s1: 2 × 0.02;
    // Support 49.00 a month over 31 days.
    expect(invoice!.lines.map((l) => [l.kind, l.description, l.quantity, l.amount])).toEqual([
      ['call-charges', 'audio inbound', '1', '0.02'],
      ['call-charges', 'video inbound', '1', '0.02'],
      ['call-charges', 'video outbound', '5', '1.18'],
      ['custom-element', 'Support (1 × 49.00 a month)', '31', '49.00'],
    ]);
    expect(invoice).toMatchObject({ status: 'draft', number: null, total: '50.22' });
    const again = await cli('invoice', 'generate', '--customer', 'acme', '--from', '2026-10-01', '--to', '2026-11-01', '--json');
    expect(JSON.parse(again.stdout)).toEqual([]);
    const shown = await cli('invoice', 'show', invoice!.id);
    expect(shown.stdout).toContain('Invoice DRAFT');
    expect(shown.stdout).toMatch(/Total\s+50\.22 EUR/);
    const approved = await cli('invoice', 'approve', invoice!.id, '--yes');
    expect(approved.stdout).toContain('approved as number 1');
    const del = await cli('invoice', 'delete', invoice!.id);
    expect(del.status).toBe(4);
    expect(del.stderr).toContain('approved: it can never be deleted');
    const list = JSON.parse((await cli('invoice', 'list', '--customer', 'acme', '--json')).stdout) as { number: number; status: string }[];
    expect(list.map((i) => [i.number, i.status])).toEqual([[1, 'approved']]);
  });

  it('lists plans, shows one and its history after a changed apply', async () => {
    const list = JSON.parse((await cli('plan', 'list', '--json')).stdout) as { template: boolean }[];
    expect(list.filter((p) => !p.template)).toEqual([{ id: 'acme-payg', name: 'Acme pay as you go', currency: 'EUR', locked: true, version: 1, template: false }]);
    writeFileSync(join(dir, 'changed.yaml'), config.replace('name: Acme pay as you go', 'name: Acme PAYG 2026'));
    expect((await cli('apply', join(dir, 'changed.yaml'))).stdout).toContain('In all: 1 changed plan.');
    const shown = JSON.parse((await cli('plan', 'show', 'acme-payg', '--json')).stdout) as { version: number; name: string; callRates: unknown[] };
    expect(shown).toMatchObject({ version: 2, name: 'Acme PAYG 2026' });
    expect(shown.callRates).toHaveLength(2);
    const history = JSON.parse((await cli('plan', 'history', 'acme-payg', '--json')).stdout) as { field: string; oldValue: unknown; newValue: unknown; user: string }[];
    expect(history.map((h) => [h.field, h.oldValue, h.newValue])).toEqual([
      ['version', null, 1],
      ['copyOf', null, 'pay-as-you-go'],
      ['name', 'Acme pay as you go', 'Acme PAYG 2026'],
      ['version', 1, 2],
    ]);
    const missing = await cli('plan', 'show', 'nope');
    expect(missing.status).toBe(3);
    expect(missing.stderr).toContain('No plan with id "nope"');
  });

  it('reports usage and non-invoiced items as JSON', async () => {
    const usage = JSON.parse((await cli('report', 'usage', '--customer', 'acme', '--json')).stdout) as { month: string; billedMinutes: number; calls: number }[];
    expect(usage.find((u) => u.month === '2026-10')).toMatchObject({ billedMinutes: 7, calls: 4 });
    const [preview] = JSON.parse((await cli('report', 'non-invoiced', '--customer', 'acme', '--items', '--json')).stdout) as { customerId: string; currency: string; total: string; items: { date: string; kind: string }[] }[];
    expect(preview).toMatchObject({ customerId: 'acme', currency: 'EUR' });
    expect(preview!.items.length).toBeGreaterThan(0);
    expect(preview!.items.every((o) => o.date >= '2026-11-01' && o.kind === 'plan-day')).toBe(true);
  });
});
