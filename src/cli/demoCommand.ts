import { randomBytes } from 'node:crypto';
import { createApiKey } from '../services/apiKeys.ts';
import { addUser } from '../services/users.ts';
import { demoSummary, lastClosedMonth, setUpDemoProvider } from '../services/demoProvider.ts';
import { println, withDatabase, type CliContext } from './cliContext.ts';
import { progressReporter } from './progressBar.ts';

/**
 * `confbill demo`: on an empty data folder, sets up a small provider (a customer on each built-in
 * plan and a JPY customer), a realistic month of calls, rates them, drafts the invoices and prints a
 * summary, with an administrator's API key for the Billing API (shown this once). On a folder that
 * already holds data it only prints the summary.
 */
export async function demoCommand(ctx: CliContext): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const month = lastClosedMonth(ctx.now());
    const progress = progressReporter(ctx);
    let fresh: boolean;
    try {
      fresh = await setUpDemoProvider(db, { month, now: ctx.now(), user: ctx.user, progress: (phase, done, total) => progress.update(phase, done, total) });
    } finally {
      progress.stop();
    }
    const summary = await demoSummary(db);
    println(ctx, fresh ? `confbill demo: a small provider with ${summary.customers.length} customers and a month of calls (${month}), rated and invoiced.` : 'confbill demo: this data folder already holds data; here is what it contains.');
    println(ctx, `Database: ${ctx.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded, in ${ctx.dataDir}`}\n`);
    const rows = summary.customers.map((c) => [c.customerId, c.name, c.planIds.join(', '), String(c.calls), String(c.billedMinutes), c.invoiced.map((i) => `${i.total} ${i.currency}`).join(' + ') || '-']);
    const head = ['customer', 'name', 'plan', 'calls', 'minutes', 'invoiced (draft)'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const right = new Set([3, 4, 5]);
    for (const r of [head, ...rows]) println(ctx, r.map((cell, i) => (right.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  '));
    println(ctx, `\nUnmatched calls: ${summary.unmatchedCalls} (see \`npx confbill report untracked\`).`);
    println(ctx, 'Next: `npx confbill invoice list`, `npx confbill invoice show ID`, `npx confbill report usage`.');
    if (fresh) {
      // A demo folder is for trying things: the API should answer at once, so it gets a key to call it with.
      const { secret } = await createApiKey(db, { name: 'demo-admin', role: 'admin', actor: ctx.user, now: ctx.now() });
      // And a user to sign in to the web admin with; the password is random, since a demo folder may outlive the demo.
      const password = randomBytes(12).toString('base64url');
      await addUser(db, { name: 'admin', role: 'admin', password, actor: ctx.user, now: ctx.now() });
      println(ctx, '\nWeb admin: run `npx confbill serve`, then open it with `npx confbill open` (or browse to http://127.0.0.1:8080/)');
      println(ctx, `and sign in as admin with the password ${password} (\`npx confbill user add\` makes other users).`);
      println(ctx, '\nBilling API: the same server, documented at http://127.0.0.1:8080/api/docs; for example:');
      println(ctx, `  curl -H "Authorization: Bearer ${secret}" http://127.0.0.1:8080/api/v1/invoices`);
      println(ctx, 'An administrator\'s API key (demo-admin), shown this once (`npx confbill apikey create` makes others):');
      println(ctx, secret);
    }
    return 0;
  });
}
