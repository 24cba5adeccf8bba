import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/runCli.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabases.ts';

// Every report option either works for that report or is refused; an unknown customer is never "(none)".
describe('confbill report options', () => {
  let db: TestDatabase;
  const cli = (...args: string[]) => runCli(args, { env: db.env, now: '2026-11-02T00:00:00Z' });

  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    const dir = mkdtempSync(join(tmpdir(), 'confbill-report-options-'));
    writeFileSync(join(dir, 'provider.yaml'), `
customers: [{ id: ro, name: Report options, matching: [{ kind: domain, value: ro.example }] }]
plans: [{ id: ro-plan, copyOf: included-minutes }]
assignments: [{ customer: ro, plan: ro-plan, from: 2026-10-01 }]
`);
    expect((await cli('apply', join(dir, 'provider.yaml'))).status).toBe(0);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('refuses an unknown customer (exit 3) and an option the report does not take (exit 2), and previews the next invoice', async () => {
    const unknown = await cli('report', 'non-invoiced', '--customer', 'nosuch');
    expect([unknown.status, unknown.stdout, unknown.stderr]).toEqual([3, '', 'confbill: No customer with id "nosuch". Customers are added with `confbill apply FILE`.\n']);

    const ignored = await cli('report', 'usage', '--from', '2026-10-01');
    expect([ignored.status, ignored.stderr]).toEqual([2, 'confbill: The usage report does not take --from: it takes --customer, --json.\n']);

    const preview = await cli('report', 'non-invoiced', '--customer', 'ro', '--from', '2026-10-01', '--to', '2026-11-01');
    expect(preview.stderr).toBe('');
    expect(preview.stdout).toBe([
      'Customer ro, EUR, 2026-10-01 to 2026-11-01: the invoice that generating now would make (nothing is stored)',
      '  1. 2026-10  monthly-fee  Included minutes: monthly fee  31 day  100.00',
      `${'Total'.padEnd(66)}100.00 EUR`, // the amount under the lines' amounts
      '',
    ].join('\n'));
  });
});
