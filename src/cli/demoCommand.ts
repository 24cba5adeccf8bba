import { demoSummary, lastClosedMonth, setUpDemoProvider } from '../services/demoProvider.ts';
import { println, withDatabase, type CliContext } from './cliContext.ts';
import { progressReporter } from './progressBar.ts';

/**
 * `confbill demo`: on an empty data folder, sets up a small provider (a customer on each built-in
 * plan and a JPY customer), a realistic month of calls, rates them, drafts the invoices and prints a
 * summary. On a folder that already holds data it only prints the summary.
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
    return 0;
  });
}
