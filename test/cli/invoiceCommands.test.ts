import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyYaml } from '../support/billingFixtures.ts';
import { runCli } from '../support/runCli.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabases.ts';

const now = '2026-12-01T00:00:00Z';

// Issue 9 §8, §11, §12, §13 as an operator meets them on the command line (embedded database).
describe('invoice commands', () => {
  let db!: TestDatabase;
  const cli = (args: string[], user = 'carol'): ReturnType<typeof runCli> => runCli(args, { env: { ...db.env, CONFBILL_USER: user }, now });

  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    const open = await db.open();
    try {
      await applyYaml(open, `
customers:
  - { id: cli-free, name: Free Inc, matching: [{ kind: domain, value: cli-free.example }] }
  - { id: cli-paid, name: Paid Inc, matching: [{ kind: domain, value: cli-paid.example }] }
plans:
  - { id: cli-free-plan, copyOf: pay-as-you-go, monthlyFee: "0" }
  - { id: cli-paid-plan, copyOf: pay-as-you-go, monthlyFee: "31.00" }
assignments:
  - { customer: cli-free, plan: cli-free-plan, from: 2026-10-01 }
  - { customer: cli-paid, plan: cli-paid-plan, from: 2026-10-01 }
`);
    } finally {
      await open.close();
    }
  });
  afterAll(async () => db?.drop());

  it('generates, says who had nothing to bill, refuses to approve unasked, approves with --yes and shows the invoice by number', async () => {
    const generated = await cli(['invoice', 'generate', '--all', '--from', '2026-10-01', '--to', '2026-11-01']);
    expect(generated.stderr).toBe('');
    expect(generated.stdout).toContain('Customer cli-free: nothing to bill from 2026-10-01 to 2026-11-01; no invoice made.');
    const id = /Customer cli-paid: draft (\S+) created, total 31\.00 EUR\./.exec(generated.stdout)?.[1];
    expect(id).toBeDefined();
    expect(generated.stdout).toContain('1 draft invoice created; 1 customer with nothing to bill; 0 customers with a draft already.');

    const unasked = await cli(['invoice', 'approve', id!]);
    expect(unasked).toMatchObject({ status: 2, stdout: '' });
    expect(unasked.stderr).toContain('add --yes to do it without asking');

    const approved = await cli(['invoice', 'approve', id!, '--yes']);
    expect(approved.stdout).toMatch(new RegExp(`^Invoice ${id} approved as number 1 \\(approved by carol at 20\\d\\d-\\d\\d-\\d\\dT[\\d:.]+Z\\)\\.\\n$`));

    const shown = await cli(['invoice', 'show', '1']);
    expect(shown.stdout).toMatch(new RegExp(`^Invoice 1 \\(${id}\\) — customer cli-paid, 2026-10-01 to 2026-11-01, approved by carol at 20`));
    expect(shown.stdout).toMatch(/monthly-fee {2}.*: monthly fee {2}31 day × 1\.00 {2}31\.00\n/);
  });
});
