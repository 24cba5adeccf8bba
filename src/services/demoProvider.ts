import { Readable } from 'node:stream';
import { Temporal } from 'temporal-polyfill';
import { readConfbillCsv } from '../ingest/confbill-csv/readConfbillCsv.ts';
import { listCustomers } from '../storage/customerStore.ts';
import type { Database } from '../storage/database.ts';
import { listInvoices } from '../storage/invoiceStore.ts';
import { listAssignments } from '../storage/planStore.ts';
import { applyConfig } from './applyConfig.ts';
import { runBilling, type Progress } from './billingRun.ts';
import { customerCallTotals } from './customerCallTotals.ts';
import { ingestCalls } from './ingestCalls.ts';
import { generateInvoices } from './invoicing.ts';
import { validateProviderConfig } from './providerConfig.ts';
import { callsToCsvLines, syntheticCalls, syntheticConfig } from './syntheticProvider.ts';

const demoCustomers = 10;
const demoLegs = 12_000;
const demoSeed = 2026;

/** The latest whole calendar month that ended at least two days ago (past any settlement delay). */
export function lastClosedMonth(now: Date): string {
  return Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO('UTC').toPlainDate().subtract({ days: 2 }).toPlainYearMonth().subtract({ months: 1 }).toString();
}

/**
 * The demo provider on an empty database: ten customers on the built-in plans (one in JPY), a
 * realistic month of calls, rated, with draft invoices. Does nothing on a database that holds
 * customers; says whether it set up anything.
 */
export async function setUpDemoProvider(db: Database, options: { month: string; now: Date; user: string; progress?: Progress }): Promise<boolean> {
  if ((await listCustomers(db)).length > 0) return false;
  const { month, now, progress = () => {} } = options;
  const config = validateProviderConfig(syntheticConfig({ customers: demoCustomers, seed: demoSeed, month }), 'demo configuration');
  await applyConfig(db, config, options.user);
  const csv = Readable.from(callsToCsvLines(syntheticCalls({ config: config as never, legs: demoLegs, seed: demoSeed, month, source: 'demo-bridge-1' })));
  await ingestCalls(db, readConfbillCsv, csv, { format: 'confbill-csv', file: 'demo calls', onBatch: (s) => progress('ingesting demo calls', s.read, demoLegs) });
  await runBilling(db, { now, all: true, progress });
  const from = `${month}-01`;
  const to = Temporal.PlainYearMonth.from(month).add({ months: 1 }).toPlainDate({ day: 1 }).toString();
  await generateInvoices(db, { from, to, now, actor: options.user });
  return true;
}

/** One customer in the demo's summary: its plans, calls, billed minutes and invoice totals. */
export interface DemoCustomerRow {
  customerId: string;
  name: string;
  planIds: string[];
  calls: number;
  billedMinutes: number;
  invoiced: { total: string; currency: string }[];
}

/** What the database holds, per customer, and how many calls matched no one. */
export async function demoSummary(db: Database): Promise<{ customers: DemoCustomerRow[]; unmatchedCalls: number }> {
  const customers = await listCustomers(db);
  const assignments = await listAssignments(db);
  const invoices = await listInvoices(db);
  const calls = await customerCallTotals(db);
  return {
    customers: customers.map((c) => {
      const usage = calls.find((r) => r.customerId === c.id);
      return {
        customerId: c.id,
        name: c.name,
        planIds: assignments.filter((a) => a.customerId === c.id).map((a) => a.planId),
        calls: usage?.calls ?? 0,
        billedMinutes: usage?.billedMinutes ?? 0,
        invoiced: invoices.filter((i) => i.customerId === c.id).map((i) => ({ total: i.total, currency: i.currency })),
      };
    }),
    unmatchedCalls: calls.find((r) => r.customerId === null)?.calls ?? 0,
  };
}
