import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvHeader } from '../support/billingFixtures.ts';
import { runCli } from '../support/runCli.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/testDatabases.ts';
import { expectBooksVerified } from '../support/booksVerified.ts';

const now = '2026-10-20T12:00:00Z';

const config = `
settings: { timezone: UTC, limitAvailableServicesToBillableServices: true }
customers:
  - { id: ent, name: Entities Inc }
plans:
  - { id: ent-plan, copyOf: pay-as-you-go, services: { pexip-vmr: "6.20", cms-space: "0", cms-user: "-1" } }
assignments: [{ customer: ent, plan: ent-plan, from: 2026-10-01 }]
`;

const calls = [csvHeader, 'br,k1,,2026-10-12T09:00:00Z,120,video,inbound,sip,2001@vc.provider.example,,'].join('\n') + '\n';

describe.each(databaseKinds)('confbill entity and service commands on %s', (kind) => {
  let db: TestDatabase;
  let dir: string;
  const cli = (...args: string[]) => runCli(args, { env: db.env, now });

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), 'confbill-entities-'));
    writeFileSync(join(dir, 'provider.yaml'), config);
    writeFileSync(join(dir, 'calls.csv'), calls);
    expect((await cli('apply', join(dir, 'provider.yaml'))).status).toBe(0);
    expect((await cli('ingest', '--format', 'confbill-csv', join(dir, 'calls.csv'))).status).toBe(0);
  });
  afterAll(async () => {
    await expectBooksVerified(db);
    await db?.drop();
  });

  it('lists the service types available now, with their prices', async () => {
    const json = await cli('service', 'available', '--customer', 'ent', '--json');
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toEqual({
      customerId: 'ent', at: '2026-10-20T12:00:00.000Z', date: '2026-10-20', timeZone: 'UTC', limited: true, planId: 'ent-plan',
      serviceTypes: [
        { serviceType: 'cms-space', monthlyPrice: '0', billable: false },
        { serviceType: 'pexip-vmr', monthlyPrice: '6.20', billable: true },
      ],
    });
    const text = await cli('service', 'available', '--customer', 'ent');
    expect(text.stdout).toContain('limitAvailableServicesToBillableServices is on');
    expect(text.stdout).toMatch(/pexip-vmr\s+6\.20 a month/);
    expect(text.stdout).toMatch(/cms-space\s+free/);
    const before = JSON.parse((await cli('service', 'available', '--customer', 'ent', '--at', '2026-09-30T12:00:00Z', '--json')).stdout) as { planId: null; serviceTypes: unknown[] };
    expect(before).toMatchObject({ planId: null, serviceTypes: [] });
  });

  it('refuses a type that is not available with exit status 4 and a clear message', async () => {
    const refused = await cli('entity', 'add', '--customer', 'ent', '--id', 'u1', '--type', 'cms-user', '--json');
    expect(refused.status).toBe(4);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      'confbill: Customer "ent" cannot be given a "cms-user" at 2026-10-20T12:00:00.000Z: its plan "ent-plan" (in force on 2026-10-20) prices "cms-user" at -1, which means not available, and limitAvailableServicesToBillableServices is on. Give it a monthly price ≥ 0 in the plan (0 = free), choose an available type, or turn the setting off. Available to it then: cms-space, pexip-vmr.\n',
    );
    const noPlan = await cli('entity', 'add', '--customer', 'ent', '--id', 'v0', '--type', 'pexip-vmr', '--at', '2026-09-30T12:00:00Z');
    expect(noPlan.status).toBe(4);
    expect(noPlan.stderr).toContain('it has no plan assignment in force on 2026-09-30 (UTC)');
    const badAt = await cli('entity', 'add', '--customer', 'ent', '--id', 'v0', '--type', 'pexip-vmr', '--at', 'yesterday');
    expect(badAt.status).toBe(2);
    expect(badAt.stderr).toContain('--at "yesterday" is not an instant');
    const ghost = await cli('entity', 'list', '--customer', 'ghost');
    expect(ghost.status).toBe(3);
  });

  it('adds an entity whose alias matches a waiting call, lists it, deletes it', async () => {
    const untrackedBefore = JSON.parse((await cli('report', 'untracked', '--json')).stdout) as { externalId: string }[];
    expect(untrackedBefore.map((u) => u.externalId)).toEqual(['k1']);

    const added = await cli('entity', 'add', '--customer', 'ent', '--id', 'vmr-2001', '--type', 'pexip-vmr', '--alias', '2001@vc.provider.example', '--at', '2026-10-11T10:00:00Z', '--json');
    expect(added.stderr).toBe('');
    expect(JSON.parse(added.stdout)).toEqual({
      entity: { id: 'vmr-2001', customerId: 'ent', serviceType: 'pexip-vmr', alias: '2001@vc.provider.example', createdAt: '2026-10-11T10:00:00.000Z', deletedAt: null },
      monthlyPrice: '6.20', billable: true, planId: 'ent-plan',
    });
    const text = await cli('entity', 'add', '--customer', 'ent', '--id', 'space-1', '--type', 'cms-space');
    expect(text.stdout).toContain('Entity space-1 (cms-space) added to customer ent from 2026-10-20T12:00:00.000Z: not billed: plan "ent-plan" prices cms-space at 0.');

    expect(JSON.parse((await cli('report', 'untracked', '--json')).stdout)).toEqual([]);
    // The items behind the next invoice (the preview with --items), valued exactly.
    const openItems = async () => (JSON.parse((await cli('report', 'non-invoiced', '--customer', 'ent', '--items', '--json')).stdout) as { items: { kind: string; date: string; amount: string }[] }[]).flatMap((p) => p.items);
    const open = await openItems();
    expect(open.filter((o) => o.kind === 'call').map((o) => [o.date, o.amount])).toEqual([['2026-10-12', '0.04']]);
    // Service days from creation up to today: 2026-10-11 … 2026-10-20, 6.20/31 = 0.2 each.
    const days = open.filter((o) => o.kind === 'service-day');
    expect(days.map((d) => d.date)).toEqual(['2026-10-11', '2026-10-12', '2026-10-13', '2026-10-14', '2026-10-15', '2026-10-16', '2026-10-17', '2026-10-18', '2026-10-19', '2026-10-20']);
    expect(days.every((d) => d.amount === '0.2')).toBe(true);

    const list = JSON.parse((await cli('entity', 'list', '--customer', 'ent', '--json')).stdout) as { id: string }[];
    expect(list.map((e) => e.id)).toEqual(['space-1', 'vmr-2001']);
    const table = await cli('entity', 'list', '--customer', 'ent');
    expect(table.stdout).toMatch(/vmr-2001\s+pexip-vmr\s+2001@vc\.provider\.example\s+2026-10-11T10:00:00\.000Z/);

    const deleted = await cli('entity', 'delete', '--customer', 'ent', 'vmr-2001', '--at', '2026-10-15T00:00:00Z', '--json');
    expect(deleted.stderr).toBe('');
    expect(JSON.parse(deleted.stdout)).toMatchObject({ id: 'vmr-2001', deletedAt: '2026-10-15T00:00:00.000Z' });
    const afterDelete = await openItems();
    expect(afterDelete.filter((o) => o.kind === 'service-day').map((o) => o.date)).toEqual(['2026-10-11', '2026-10-12', '2026-10-13', '2026-10-14']);
    expect(afterDelete.filter((o) => o.kind === 'call')).toHaveLength(1); // k1 started before the deletion

    const again = await cli('entity', 'delete', '--customer', 'ent', 'vmr-2001');
    expect(again.status).toBe(3);
    expect(again.stderr).toBe('confbill: Entity "vmr-2001" of customer "ent" was already deleted at 2026-10-15T00:00:00.000Z; there is nothing to delete.\n');
    expect((JSON.parse((await cli('entity', 'list', '--customer', 'ent', '--json')).stdout) as unknown[]).length).toBe(1);
    expect((JSON.parse((await cli('entity', 'list', '--customer', 'ent', '--all', '--json')).stdout) as unknown[]).length).toBe(2);
  });

  it('charts the peak ports of a month (report peak-ports)', async () => {
    const json = await cli('report', 'peak-ports', '--customer', 'ent', '--month', '2026-10', '--json');
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toEqual([{
      customerId: 'ent', month: '2026-10', timeZone: 'UTC', from: '2026-10-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z', ports: null, peak: 1,
      points: [{ at: '2026-10-01T00:00:00.000Z', ports: 0 }, { at: '2026-10-12T09:00:00.000Z', ports: 1 }, { at: '2026-10-12T09:02:00.000Z', ports: 0 }],
    }]);
    const text = await cli('report', 'peak-ports', '--customer', 'ent', '--month', '2026-10');
    expect(text.stdout).toContain('Peak ports per minute of ent in 2026-10 (UTC): highest 1, no port pool.');
    expect(text.stdout).toContain(`2026-10-12  ${'·'.repeat(9)}█${'·'.repeat(14)}  1\n`);
    const missing = await cli('report', 'peak-ports', '--customer', 'ent');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--customer ID (repeatable) --month YYYY-MM');
  });
});
