import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planHistory } from '../../src/storage/planHistoryStore.ts';
import { runCli } from '../support/runCli.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/testDatabases.ts';

// Issue 9 §3, §4, §10, §16, §17 as an operator sees them: what apply prints (and --dry-run), whose name
// the history has, plan show as text with its customers, templates, and assignment list --plan. The
// storage behind it is tested on every database (applyChanges, planCatalog); the CLI on the first.

const now = '2026-12-01T00:00:00Z';

const config = (name: string) => `
customers:
  - { id: pe-a, name: Alpha AS }
plans:
  - { id: pe-gold, copyOf: concurrent-calls, name: ${name}, monthlyFee: 25, services: { pexip-vmr: "6.20", cms-space: "-1" } }
assignments:
  - { customer: pe-a, plan: pe-gold, from: 2026-10-01 }
`;

describe.each(databaseKinds.slice(0, 1))('plan and apply commands on %s', (kind) => {
  let db: TestDatabase;
  let dir: string;
  const cli = (...args: string[]) => runCli(args, { env: { ...db.env, CONFBILL_USER: 'ops-carla' }, now });

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), 'confbill-plans-'));
    writeFileSync(join(dir, 'provider.yaml'), config('Gold'));
    writeFileSync(join(dir, 'renamed.yaml'), config('Gold 2027'));
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('apply --dry-run names every object and field and changes nothing; apply records the user of CONFBILL_USER', async () => {
    const dry = await cli('apply', '--dry-run', join(dir, 'provider.yaml'));
    expect(dry.stderr).toBe('');
    expect(dry.stdout).toContain(['  plan pe-gold: created', '    version: 1', '    copyOf: "concurrent-calls"', '    name: "Gold"', '    monthlyFee: "25"'].join('\n'));
    expect(dry.stdout).toContain(['  assignment pe-a@2026-10-01: created', '    customer: "pe-a"', '    plan: "pe-gold"', '    from: "2026-10-01"'].join('\n'));
    expect(dry.stdout).toContain('In all: 1 customer, 1 new plan, 1 assignment.');
    const applied = await cli('apply', join(dir, 'provider.yaml'));
    expect(applied.stdout).toContain('In all: 1 customer, 1 new plan, 1 assignment.');
    const renamed = await cli('apply', join(dir, 'renamed.yaml'));
    expect(renamed.stdout).toBe(`Applied ${join(dir, 'renamed.yaml')}:\n  plan pe-gold: changed\n    name: "Gold" → "Gold 2027"\n    version: 1 → 2\nIn all: 1 changed plan.\n`);
    const opened = await db.open();
    try {
      expect((await planHistory(opened, 'pe-gold')).map((h) => [h.field, h.newValue, h.user])).toEqual([
        ['version', 1, 'ops-carla'],
        ['copyOf', 'concurrent-calls', 'ops-carla'],
        ['name', 'Gold 2027', 'ops-carla'],
        ['version', 2, 'ops-carla'],
      ]);
    } finally {
      await opened.close();
    }
  });

  it('plan show prints the plan as text with its customers, and a built-in template marked as one', async () => {
    const shown = await cli('plan', 'show', 'pe-gold');
    expect(shown.stdout).toBe(
      [
        'Plan pe-gold — Gold 2027',
        '  Version 2 in force, locked',
        '  Currency:          EUR',
        '  Monthly fee:       25 EUR',
        '  Port pool:         20 ports, overage 0.10 EUR per port-minute',
        '  Included minutes:  none',
        '  Call rates:        none',
        '  Services:',
        '    cms-space  not available',
        '    pexip-vmr  6.20 EUR a month per unit',
        '  Custom elements:   none',
        '  Customers assigned (1 customer; from the first day up to the day before "to"):',
        '    pe-a  Alpha AS  2026-10-01 – open end  pe-a@2026-10-01',
        '',
      ].join('\n'),
    );
    const template = await cli('plan', 'show', 'included-minutes');
    expect(template.status).toBe(0);
    expect(template.stdout).toContain('Built-in template included-minutes — Included minutes\n  A template, not a plan: copy it with `confbill plan copy included-minutes NEW-ID`');
    expect(template.stdout).toContain('  Included minutes:  3000 a month, overage 0.05 EUR per minute');
  });

  it('assignment list --plan lists the customers of a plan', async () => {
    const listed = await cli('assignment', 'list', '--plan', 'pe-gold', '--json');
    expect(JSON.parse(listed.stdout)).toEqual([{ id: 'pe-a@2026-10-01', customerId: 'pe-a', planId: 'pe-gold', from: '2026-10-01', to: null }]);
  });
});
