import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invoice } from '../../src/domain/invoice.ts';
import { callsCsv } from '../support/billingFixtures.ts';
import { runCli } from '../support/runCli.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/testDatabases.ts';
import { expectBooksVerified } from '../support/booksVerified.ts';

const now = '2026-11-27T12:00:00Z';

const config = `
settings: { timezone: UTC, settlementDelayMinutes: 60 }
customers:
  - { id: lc, name: Lifecycle Ltd, matching: [{ kind: domain, value: lc.example }] }
`;

// October: 10 + 5 billed minutes; November: 20 minutes on the 20th.
const calls = callsCsv('mcu', [
  ['c1', '2026-10-05T09:00:00Z', 600, 'video', 'outbound', 'room@lc.example'],
  ['c2', '2026-10-06T09:00:00Z', 300, 'audio', 'inbound', 'room@lc.example'],
  ['c3', '2026-11-20T09:00:00Z', 1200, 'video', 'inbound', 'room@lc.example'],
]);

interface OpenRow {
  date: string;
  kind: string;
  amount: string;
  description: string;
}

describe.each(databaseKinds)('the billing lifecycle from the CLI on %s', (kind) => {
  let db: TestDatabase;
  let dir: string;
  const cli = (...args: string[]) => runCli(args, { env: { ...db.env, CONFBILL_USER: 'operator' }, now });
  const json = async <T>(...args: string[]): Promise<T> => {
    const result = await cli(...args);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return JSON.parse(result.stdout) as T;
  };
  // The open items behind the next invoice: the non-invoiced report (the preview) with --items.
  const openItems = async () => (await json<{ items: OpenRow[] }[]>('report', 'non-invoiced', '--customer', 'lc', '--items', '--json')).flatMap((p) => p.items);
  const openCalls = async () => (await openItems()).filter((r) => r.kind === 'call').map((r) => [r.date, r.amount]);

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), 'confbill-lifecycle-'));
    writeFileSync(join(dir, 'provider.yaml'), config);
    writeFileSync(join(dir, 'calls.csv'), calls);
  });
  afterAll(async () => {
    await expectBooksVerified(db);
    await db?.drop();
  });

  it('copy → assign → draft → unlock, edit, lock & recalculate → the draft keeps its amounts until regenerated', async () => {
    expect((await cli('apply', join(dir, 'provider.yaml'))).status).toBe(0);
    const copy = await json<{ id: string; locked: boolean; version: number; callRates: unknown[] }>('plan', 'copy', 'pay-as-you-go', 'lc-plan', '--name', 'LC plan', '--json');
    expect(copy).toMatchObject({ id: 'lc-plan', locked: true, version: 1, name: 'LC plan', currency: 'EUR' });
    expect((await cli('assignment', 'add', '--customer', 'lc', '--plan', 'lc-plan', '--from', '2026-10-01')).status).toBe(0);
    expect((await cli('ingest', '--format', 'confbill-csv', join(dir, 'calls.csv'))).status).toBe(0);

    const [october] = await json<Invoice[]>('invoice', 'generate', '--customer', 'lc', '--from', '2026-10-01', '--to', '2026-11-01', '--json');
    // The template's */* rate: 0.02 per minute → 10 min 0.20, 5 min 0.10.
    expect(october!.total).toBe('0.30');

    // A locked plan cannot be edited; an unlocked one can, but rating keeps the locked version.
    const locked = await cli('plan', 'set', 'lc-plan', 'monthlyFee', '30');
    expect(locked.status).toBe(4);
    expect(locked.stderr).toContain('unlock it first');
    expect((await cli('plan', 'unlock', 'lc-plan')).status).toBe(0);
    expect((await cli('plan', 'set', 'lc-plan', 'callRates.0.perMinute', '0.10')).status).toBe(0);
    expect((await cli('plan', 'set', 'lc-plan', 'monthlyFee', '30')).status).toBe(0);
    const invalid = await cli('plan', 'set', 'lc-plan', 'monthlyFee', 'thirty');
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain('monthlyFee: must be a decimal number');
    expect((await cli('rate')).status).toBe(0);
    expect(await openCalls()).toEqual([['2026-11-20', '0.4']]);

    const lock = await json<{ version: number; changedFields: string[]; customersRated: number }>('plan', 'lock', 'lc-plan', '--json');
    expect(lock).toEqual(expect.objectContaining({ version: 2, changedFields: ['callRates', 'monthlyFee'], customersRated: 1 }));
    // Lock & recalculate: the November call (in no invoice) now costs 20 × 0.10; the draft is untouched.
    expect(await openCalls()).toEqual([['2026-11-20', '2']]);
    expect((await json<Invoice>('invoice', 'show', october!.id, '--json')).total).toBe('0.30');

    // Deleting and generating the draft again applies the new version: 15 min × 0.10 + 30.00 fee.
    expect((await cli('invoice', 'delete', october!.id)).status).toBe(0);
    const [regenerated] = await json<Invoice[]>('invoice', 'generate', '--customer', 'lc', '--from', '2026-10-01', '--to', '2026-11-01', '--json');
    expect(regenerated!.total).toBe('31.50');
    expect(regenerated!.lines.map((l) => [l.kind, l.description, l.amount])).toEqual([
      ['monthly-fee', expect.any(String), '30.00'],
      ['call-charges', 'audio inbound', '0.50'],
      ['call-charges', 'video outbound', '1.00'],
    ]);

    const history = await json<{ field: string; oldValue: unknown; newValue: unknown; user: string }[]>('plan', 'history', 'lc-plan', '--json');
    expect(history.map((h) => [h.field, h.oldValue, h.newValue])).toEqual([
      ['version', null, 1],
      ['copyOf', null, 'pay-as-you-go'],
      ['locked', true, false],
      ['callRates.0.perMinute', '0.02', '0.10'],
      ['monthlyFee', '0', '30'],
      ['version', 1, 2],
      ['locked', false, true],
    ]);
    expect(new Set(history.map((h) => h.user))).toEqual(new Set(['operator']));
  });

  it('edits a draft with manual lines and notes, then approval freezes it and the plan cannot be deleted', async () => {
    const [draft] = await json<Invoice[]>('invoice', 'list', '--customer', 'lc', '--json');
    const credited = await json<Invoice>('invoice', 'add-line', draft!.id, '--description', 'Goodwill credit', '--unit-price', '-1.50', '--json');
    expect(credited.total).toBe('30.00');
    expect(credited.lines.at(-1)).toMatchObject({ kind: 'manual', description: 'Goodwill credit', quantity: '1', unitPrice: '-1.50', amount: '-1.50' });
    const twice = await json<Invoice>('invoice', 'add-line', draft!.id, '--description', 'Extra room hours', '--quantity', '3', '--unit-price', '2.333', '--json');
    expect(twice.total).toBe('37.00'); // 3 × 2.333 = 6.999 → 7.00, rounded once on its line
    const removed = await json<Invoice>('invoice', 'remove-line', draft!.id, String(twice.lines.length), '--json');
    expect(removed.total).toBe('30.00');
    const computed = await cli('invoice', 'remove-line', draft!.id, '1');
    expect(computed.status).toBe(2);
    expect(computed.stderr).toContain('only manual lines can be removed');
    expect((await cli('invoice', 'note', draft!.id, 'Thank you for your business.')).status).toBe(0);

    expect((await cli('invoice', 'approve', draft!.id, '--yes')).stdout).toContain('number 1');
    const approved = await json<Invoice>('invoice', 'show', draft!.id, '--json');
    expect(approved).toMatchObject({ status: 'approved', number: 1, total: '30.00', notes: 'Thank you for your business.' });
    const frozen = await cli('invoice', 'add-line', draft!.id, '--description', 'Late fee', '--unit-price', '5');
    expect(frozen.status).toBe(4);
    expect(frozen.stderr).toContain('approved');

    const refused = await cli('plan', 'delete', 'lc-plan', '--yes');
    expect(refused.status).toBe(4);
    expect(refused.stderr).toContain('approved invoice 1 uses it');
    expect((await json<{ id: string; template: boolean }[]>('plan', 'list', '--json')).filter((p) => !p.template).map((p) => p.id)).toEqual(['lc-plan']);
  });

  it('moves the customer to another plan mid-month, refuses overlaps, and deleting that plan makes its calls untracked', async () => {
    expect((await cli('plan', 'copy', 'lc-plan', 'lc-cheap', '--name', 'LC cheap')).status).toBe(0);
    const overlap = await cli('assignment', 'add', '--customer', 'lc', '--plan', 'lc-cheap', '--from', '2026-11-15');
    expect(overlap.status).toBe(4);
    expect(overlap.stderr).toContain('two plans at once');
    expect((await cli('assignment', 'end', 'lc@2026-10-01', '--to', '2026-11-15')).status).toBe(0);
    expect((await cli('assignment', 'add', '--customer', 'lc', '--plan', 'lc-cheap', '--from', '2026-11-15')).status).toBe(0);
    expect((await cli('plan', 'unlock', 'lc-cheap')).status).toBe(0);
    expect((await cli('plan', 'set', 'lc-cheap', 'callRates.0.perMinute', '0.01')).status).toBe(0);
    expect((await cli('plan', 'lock', 'lc-cheap')).status).toBe(0);
    expect(await openCalls()).toEqual([['2026-11-20', '0.2']]);
    const assignments = await json<{ id: string; planId: string; from: string; to: string | null }[]>('assignment', 'list', '--customer', 'lc', '--json');
    expect(assignments.map((a) => [a.planId, a.from, a.to])).toEqual([['lc-plan', '2026-10-01', '2026-11-15'], ['lc-cheap', '2026-11-15', null]]);

    // A draft using lc-cheap goes with it; its items are released and re-rated without a plan.
    const [november] = await json<Invoice[]>('invoice', 'generate', '--customer', 'lc', '--from', '2026-11-01', '--to', '2026-11-21', '--json');
    expect(november!.total).toBe('20.20'); // fee 30 × 14/30 under lc-plan + 30 × 6/30 under lc-cheap + 20 min × 0.01
    const deleted = await cli('plan', 'delete', 'lc-cheap', '--yes');
    expect(deleted.status).toBe(0);
    expect(deleted.stdout).toContain(november!.id);
    expect((await cli('invoice', 'show', november!.id)).status).toBe(3);
    const untracked = await json<{ externalId: string; reason: string }[]>('report', 'untracked', '--json');
    expect(untracked.map((u) => [u.externalId, u.reason])).toEqual([['c3', 'no-plan']]);
    const open = await openItems();
    expect(open.filter((r) => r.kind === 'plan-day').map((r) => r.date)).toHaveLength(14); // Nov 1–14 under lc-plan
  });
});
