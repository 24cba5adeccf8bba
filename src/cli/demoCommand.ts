import { Readable } from 'node:stream';
import { Temporal } from 'temporal-polyfill';
import { readConfbillCsv } from '../ingest/confbill-csv/readConfbillCsv.ts';
import { applyConfig } from '../services/applyConfig.ts';
import { runBilling } from '../services/billingRun.ts';
import { customerCallTotals } from '../services/customerCallTotals.ts';
import { ingestCalls } from '../services/ingestCalls.ts';
import { generateInvoices } from '../services/invoicing.ts';
import { validateProviderConfig } from '../services/providerConfig.ts';
import { callsToCsvLines, syntheticCalls, syntheticConfig } from '../services/syntheticProvider.ts';
import { listCustomers } from '../storage/customerStore.ts';
import type { Database } from '../storage/database.ts';
import { listInvoices } from '../storage/invoiceStore.ts';
import { listAssignments } from '../storage/planStore.ts';
import { println, withDatabase, type CliContext } from './cliContext.ts';
import { progressReporter } from './progressBar.ts';

const demoCustomers = 10;
const demoLegs = 12_000;
const demoSeed = 2026;

/** The latest whole calendar month that ended at least two days ago (past any settlement delay). */
function lastClosedMonth(now: Date): string {
  return Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO('UTC').toPlainDate().subtract({ days: 2 }).toPlainYearMonth().subtract({ months: 1 }).toString();
}

async function setUpDemo(ctx: CliContext, db: Database, month: string): Promise<void> {
  const progress = progressReporter(ctx);
  try {
    const config = validateProviderConfig(syntheticConfig({ customers: demoCustomers, seed: demoSeed, month }), 'demo configuration');
    await applyConfig(db, config, ctx.user);
    const csv = Readable.from(callsToCsvLines(syntheticCalls({ config: config as never, legs: demoLegs, seed: demoSeed, month, source: 'demo-bridge-1' })));
    await ingestCalls(db, readConfbillCsv, csv, { format: 'confbill-csv', file: 'demo calls', onBatch: (s) => progress.update('ingesting demo calls', s.read, demoLegs) });
    await runBilling(db, { now: ctx.now(), all: true, progress: (phase, done, total) => progress.update(phase, done, total) });
    const from = `${month}-01`;
    const to = Temporal.PlainYearMonth.from(month).add({ months: 1 }).toPlainDate({ day: 1 }).toString();
    await generateInvoices(db, { from, to, now: ctx.now() });
  } finally {
    progress.stop();
  }
}

/**
 * `confbill demo`: on an empty data folder, sets up a small provider (a customer on each built-in
 * plan and a JPY customer), a realistic month of calls, rates them, drafts the invoices and prints a
 * summary. On a folder that already holds data it only prints the summary.
 */
export async function demoCommand(ctx: CliContext): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const month = lastClosedMonth(ctx.now());
    const fresh = (await listCustomers(db)).length === 0;
    if (fresh) await setUpDemo(ctx, db, month);
    const customers = await listCustomers(db);
    const assignments = await listAssignments(db);
    const invoices = await listInvoices(db);
    const calls = await customerCallTotals(db);
    println(ctx, fresh ? `confbill demo: a small provider with ${customers.length} customers and a month of calls (${month}), rated and invoiced.` : 'confbill demo: this data folder already holds data; here is what it contains.');
    println(ctx, `Database: ${ctx.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded, in ${ctx.dataDir}`}\n`);
    const rows = customers.map((c) => {
      const usage = calls.find((r) => r.customerId === c.id);
      const plan = assignments.filter((a) => a.customerId === c.id).map((a) => a.planId).join(', ');
      const totals = invoices.filter((i) => i.customerId === c.id).map((i) => `${i.total} ${i.currency}`).join(' + ') || '-';
      return [c.id, c.name, plan, String(usage?.calls ?? 0), String(usage?.billedMinutes ?? 0), totals];
    });
    const head = ['customer', 'name', 'plan', 'calls', 'minutes', 'invoiced (draft)'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const right = new Set([3, 4, 5]);
    for (const r of [head, ...rows]) println(ctx, r.map((cell, i) => (right.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  '));
    const untracked = calls.find((r) => r.customerId === null);
    println(ctx, `\nUnmatched calls: ${untracked?.calls ?? 0} (see \`npx confbill report untracked\`).`);
    println(ctx, 'Next: `npx confbill invoice list`, `npx confbill invoice show ID`, `npx confbill report usage`.');
    return 0;
  });
}
