import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callsCsv } from '../support/billingFixtures.ts';
import { runCli } from '../support/runCli.ts';
import { createTestDatabase, databaseKinds } from '../support/testDatabases.ts';
import { expectBooksVerified } from '../support/booksVerified.ts';

const config = `
customers:
${Array.from({ length: 6 }, (_, i) => `  - { id: k${i}, name: K${i}, matching: [{ kind: domain, value: k${i}.example }] }`).join('\n')}
plans: [{ id: k-plan, copyOf: included-minutes, monthlyFee: "31.00", includedMinutes: { minutesPerMonth: 100, overagePerMinute: "0.01" } }]
assignments:
${Array.from({ length: 6 }, (_, i) => `  - { customer: k${i}, plan: k-plan, from: 2026-10-01 }`).join('\n')}
`;

const calls = callsCsv(
  'k-src',
  Array.from({ length: 120 }, (_, n): [string, string, number, string, string, string] => [`c${n}`, new Date(Date.UTC(2026, 9, 1 + (n % 30), 9, n % 60)).toISOString(), 60 * (1 + (n % 17)), 'video', 'inbound', `room@k${n % 6}.example`]),
);

describe.each(databaseKinds)('concurrent processes on %s', (kind) => {
  const now = '2026-11-27T12:00:00Z';

  it.runIf(kind === 'postgres')('three processes generating the same invoices while two re-rate put every item in exactly one invoice', async () => {
    const db = await createTestDatabase(kind);
    try {
      const dir = db.location.dataDir ?? '/tmp';
      writeFileSync(join(dir, `k-${process.pid}.yaml`), config);
      writeFileSync(join(dir, `k-${process.pid}.csv`), calls);
      expect((await runCli(['apply', join(dir, `k-${process.pid}.yaml`)], { env: db.env, now })).status).toBe(0);
      expect((await runCli(['ingest', '--format', 'confbill-csv', join(dir, `k-${process.pid}.csv`)], { env: db.env, now })).status).toBe(0);
      // Three generators and, at the same time, two rating runs (a cron job) re-rating the same customers.
      const [runs, ratings] = await Promise.all([
        Promise.all([0, 1, 2].map(() => runCli(['invoice', 'generate', '--all', '--from', '2026-10-01', '--to', '2026-11-01', '--json'], { env: db.env, now, ownProcess: true }))),
        Promise.all([0, 1].map(() => runCli(['rate'], { env: db.env, now, ownProcess: true }))),
      ]);
      for (const r of ratings) expect(r.stderr).toBe('');
      // A generator that came second finds the first one's drafts and says so on standard error, nothing else.
      for (const r of runs) for (const line of r.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^Customer k\d: already has draft /);
      const made = runs.flatMap((r) => JSON.parse(r.stdout) as { id: string; customerId: string }[]);
      expect(made.map((i) => i.customerId).sort()).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5']);
      const open = await db.open();
      try {
        const [counts] = await open.query<{ items: number; invoiced: number; calls: number }>(
          `SELECT count(*)::int AS items, count(invoice_id)::int AS invoiced, count(*) FILTER (WHERE kind = 'call')::int AS calls FROM billing_items WHERE date < '2026-11-01'`,
        );
        expect(counts).toEqual({ items: 6 * 31 + 120, invoiced: 6 * 31 + 120, calls: 120 });
        // Approving them all at once gives the numbers 1..6, no gap, no repeat.
        await Promise.all(made.map((i) => runCli(['invoice', 'approve', i.id, '--yes'], { env: db.env, now, ownProcess: true })));
        const numbers = await open.query<{ number: number }>('SELECT number FROM invoices ORDER BY number');
        expect(numbers.map((n) => n.number)).toEqual([1, 2, 3, 4, 5, 6]);
      } finally {
        await open.close();
      }
      await expectBooksVerified(db);
    } finally {
      await db.drop();
    }
  });

  it.runIf(kind === 'pglite')('a second process on the same embedded database is refused with a clear error', async () => {
    const db = await createTestDatabase(kind);
    try {
      const holder = await db.open(); // this test process holds the embedded database open
      let refused;
      try {
        refused = await runCli(['rate'], { env: db.env, now, ownProcess: true });
      } finally {
        await holder.close();
      }
      expect(refused.status).toBe(7);
      expect(refused.stderr).toMatch(/is in use by another confbill process \(pid \d+\)/);
      const after = await runCli(['rate'], { env: db.env, now, ownProcess: true });
      expect(after.status).toBe(0);
    } finally {
      await db.drop();
    }
  });
});
