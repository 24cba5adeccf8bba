import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyYaml } from '../support/billingFixtures.ts';
import { runCli } from '../support/runCli.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabases.ts';

const now = '2026-12-01T00:00:00Z';

// Issue 10 §5 on the command line: a command records the CLI's user (CONFBILL_USER), and
// `confbill audit` prints one line per entry, newest first, with the values before → after.
describe('confbill audit', () => {
  let db!: TestDatabase;
  const cli = (args: string[], user = 'frank'): ReturnType<typeof runCli> => runCli(args, { env: { ...db.env, CONFBILL_USER: user }, now });

  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    const open = await db.open();
    try {
      await applyYaml(open, `
customers: [{ id: cli-au, name: Audit Red }]
plans: [{ id: cli-au-plan, copyOf: pay-as-you-go, monthlyFee: "31.00" }]
assignments: [{ customer: cli-au, plan: cli-au-plan, from: 2026-10-01 }]
`);
    } finally {
      await open.close();
    }
  });
  afterAll(async () => db?.drop());

  it('records the CLI user and lists entries newest first, filtered, a page at a time', async () => {
    expect(await cli(['assignment', 'end', 'cli-au@2026-10-01', '--to', '2026-12-01'])).toMatchObject({ status: 0, stderr: '' });

    const listed = await cli(['audit', '--limit', '2']);
    expect(listed.stderr).toBe('');
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    // When (the database's clock), actor, action, object, then the changed values.
    expect(lines.slice(0, 2).map((l) => l.replace(/^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/, 'WHEN'))).toEqual([
      'WHEN  frank         assignment.changed      assignment cli-au@2026-10-01  to null → "2026-12-01"',
      // jsonb keeps an object's keys in its own order (shorter first).
      'WHEN  apply         assignment.added        assignment cli-au@2026-10-01  from "2026-10-01", plan "cli-au-plan", customer "cli-au"',
    ]);
    const next = /^More entries: add --before (\d+)\.$/.exec(lines[2]!)?.[1];
    expect(next).toBeDefined();

    const byKind = await cli(['audit', '--kind', 'plan', '--actor', 'apply', '--before', next!, '--json']);
    const page = JSON.parse(byKind.stdout) as { entries: { action: string; objectId: string; before: unknown; after: unknown }[]; next: number | null };
    expect(page.entries.map((e) => [e.action, e.objectId, e.before, e.after])).toEqual([
      ['plan.added', 'cli-au-plan', { copyOf: null }, { copyOf: 'pay-as-you-go' }],
      ['plan.added', 'cli-au-plan', { version: null }, { version: 1 }],
    ]);
    expect(page.next).toBeNull();

    const refused = await cli(['audit', '--limit', '5000']);
    expect(refused).toMatchObject({ status: 2, stdout: '', stderr: 'confbill: --limit "5000" is not a whole number from 1 to 1000.\n' });
  });
});
