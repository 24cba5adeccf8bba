import { describe, expect, it } from 'vitest';
import { runCli } from '../support/runCli.ts';
import { createTestDatabase, databaseKinds } from '../support/testDatabases.ts';
import { expectBooksVerified } from '../support/booksVerified.ts';
import { principalOfPassword } from '../../src/services/users.ts';

// The README's first command, as typed there: `npx confbill demo` on an empty database.
describe.each(databaseKinds)('confbill demo on %s', (kind) => {
  it('sets up a provider, rates a month of calls, drafts the invoices and prints a summary; a second run only reports', async () => {
    const db = await createTestDatabase(kind);
    try {
      const now = '2026-11-27T12:00:00Z';
      const first = await runCli(['demo'], { env: db.env, now, viaNpx: true });
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      expect(first.stdout).toContain('a small provider with 10 customers and a month of calls (2026-10), rated and invoiced');
      const rows = first.stdout.split('\n').filter((l) => l.startsWith('cust-'));
      expect(rows).toHaveLength(10);
      expect(rows.some((r) => / \d+ JPY$/.test(r))).toBe(true);
      expect(rows.filter((r) => /\d+\.\d\d EUR$/.test(r))).toHaveLength(9);

      const invoices = JSON.parse((await runCli(['invoice', 'list', '--json'], { env: db.env, now })).stdout) as { customerId: string; currency: string; total: string; from: string; to: string; status: string }[];
      expect(invoices).toHaveLength(10);
      expect(invoices.every((i) => i.from === '2026-10-01' && i.to === '2026-11-01' && i.status === 'draft')).toBe(true);
      // The summary prints exactly the stored totals.
      for (const invoice of invoices) expect(first.stdout).toMatch(new RegExp(`${invoice.customerId} .* ${invoice.total.replace('.', '\\.')} ${invoice.currency}\\n`));

      // The web admin's bootstrap administrator: its password, printed once, signs in as admin.
      const password = /sign in as admin with the password (\S+) /.exec(first.stdout)?.[1];
      expect(first.stdout).toContain('npx confbill open');
      const opened = await db.open();
      try {
        expect(await principalOfPassword(opened, 'admin', password ?? '')).toMatchObject({ kind: 'user', name: 'admin', role: 'admin' });
        expect(await principalOfPassword(opened, 'admin', 'not-the-password')).toBeUndefined();
      } finally {
        await opened.close();
      }

      const second = await runCli(['demo'], { env: db.env, now });
      expect(second.stdout).not.toContain('password');
      expect(second.stdout).toContain('already holds data');
      const after = JSON.parse((await runCli(['invoice', 'list', '--json'], { env: db.env, now })).stdout) as unknown[];
      expect(after).toHaveLength(10);
      await expectBooksVerified(db);
    } finally {
      await db.drop();
    }
  });
});
