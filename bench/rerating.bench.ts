// Re-rating after a plan change: `plan unlock`, one rate changed, `plan lock` (lock & recalculate,
// docs/billing-rules.md §3), timed from the lock until every customer of the plan is rated again.
//
//   node --import tsx bench/rerating.bench.ts [--full] [--json FILE] [--db pglite|postgres] [--legs N --customers N]
//
// The database holds the benchmark's generated month (bench/generateCalls.ts), ingested and rated
// through the product path (bench/ratedBenchDatabase.ts). The plan changed is the generated provider's
// JPY pay-as-you-go plan: with --full (1,000,000 legs, 1,000 customers) about 100 customers and
// 100,000 legs use it, the size of the issue's target. Without --full the month is 100,000 legs for
// 100 customers (about 10 customers on the plan). PostgreSQL when DATABASE_URL is set (a fresh
// database made and dropped on its server), else PGlite in a temporary folder.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customersNeedingRating } from '../src/storage/ratingStateStore.ts';
import { lockPlan, setPlanField, unlockPlan } from '../src/services/planLifecycle.ts';
import { openDatabase, type Database } from '../src/storage/database.ts';
import { generateBenchFiles, integerOption, option } from './generateCalls.ts';
import { BENCH_NOW, freshPostgresDatabase, loadRatedMonth } from './ratedBenchDatabase.ts';

const PLAN = 'jpy-payg';
/** The plan's first rate (video outbound), 5 → 6 JPY a minute. */
const FIELD = 'callRates.0.perMinute';
const VALUE = '6';
const TARGET_SECONDS = 2;

const argv = process.argv.slice(2);
const full = argv.includes('--full');
const legs = integerOption(option(argv, 'legs', undefined, full ? '1000000' : '100000'), 'legs');
const customers = integerOption(option(argv, 'customers', undefined, full ? '1000' : '100'), 'customers');
const jsonPath = option(argv, 'json', undefined);
const kind = option(argv, 'db', undefined, process.env.DATABASE_URL ? 'postgres' : 'pglite');
if (kind !== 'pglite' && kind !== 'postgres') throw new Error('--db must be pglite or postgres.');
const log = (message: string): void => void process.stderr.write(`[rerating] ${message}\n`);

async function withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  if (kind === 'postgres') {
    if (!process.env.DATABASE_URL) throw new Error('--db postgres needs DATABASE_URL (a server where this role may CREATE DATABASE).');
    const fresh = await freshPostgresDatabase(process.env.DATABASE_URL, `confbill_bench_rerating_${process.pid}`);
    try {
      const db = await openDatabase({ databaseUrl: fresh.url });
      try {
        return await work(db);
      } finally {
        await db.close();
      }
    } finally {
      await fresh.drop();
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'confbill-rerating-'));
  try {
    const db = await openDatabase({ dataDir: dir });
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const files = await generateBenchFiles({ legs, customers, log });
const outcome = await withDatabase(async (db) => {
  let started = performance.now();
  await loadRatedMonth(db, files);
  log(`prepared ${legs} legs for ${customers} customers on ${kind} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const [touched] = await db.query<{ customers: number; legs: number }>(
    `SELECT count(DISTINCT a.customer_id)::int AS customers,
            (SELECT count(*)::int FROM calls k WHERE k.customer_id IN (SELECT customer_id FROM assignments WHERE plan_id = $1)) AS legs
     FROM assignments a WHERE a.plan_id = $1`,
    [PLAN],
  );
  await unlockPlan(db, PLAN, 'bench');
  await setPlanField(db, PLAN, FIELD, VALUE, 'bench');
  started = performance.now();
  const locked = await lockPlan(db, PLAN, 'bench', BENCH_NOW);
  const seconds = (performance.now() - started) / 1000;
  const stale = await customersNeedingRating(db, '0001-01-01');
  if (stale.length) throw new Error(`${stale.length} customers still need rating after the lock.`);
  if (locked.changedFields.length === 0 || !locked.rating) throw new Error('The lock changed nothing: no re-rating was measured.');
  log(`lock & recalculate of ${PLAN}: ${seconds.toFixed(2)} s for ${locked.rating.customers} customers (${touched!.legs} legs), ${locked.rating.items} items rated, ${locked.rating.itemsWritten} written, ${locked.rating.itemsDeleted} deleted`);
  return { seconds, customers: locked.rating.customers, legs: touched!.legs, rating: locked.rating };
});

// The target is for a plan of 100 customers with 100,000 legs: a smaller plan's time says nothing about it.
const atTargetSize = outcome.customers >= 100 && outcome.legs >= 100_000;
const met = atTargetSize ? outcome.seconds <= TARGET_SECONDS : undefined;
const report = {
  name: 'rerating',
  title: 'Re-rating after a plan lock',
  command: `node --import tsx bench/rerating.bench.ts${full ? ' --full' : ''}${argv.includes('--legs') || argv.includes('--customers') ? ` --legs ${legs} --customers ${customers}` : ''}${kind === 'postgres' ? ' (DATABASE_URL set)' : ''}`,
  size: `${legs.toLocaleString('en')} legs, ${customers.toLocaleString('en')} customers; plan ${PLAN} used by ${outcome.customers} customers with ${outcome.legs.toLocaleString('en')} legs; ${kind}`,
  figures: [
    { figure: 'lock & recalculate until the plan\'s customers are rated again', value: Math.round(outcome.seconds * 1000) / 1000, unit: 's', target: '≤ 2 s for 100 customers (100,000 legs)', ...(met === undefined ? {} : { met }) },
    { figure: 'customers re-rated', value: outcome.customers, unit: 'customers' },
    { figure: 'legs of those customers', value: outcome.legs, unit: 'legs' },
    { figure: 'items written (changed) by the re-rating', value: outcome.rating.itemsWritten, unit: 'items' },
  ],
  notes: [`${FIELD} of ${PLAN} changed to ${VALUE}; the lock's own transaction and the rating it triggers (rateCustomers) are timed together.`],
};
console.log(`${report.title} (${report.size}): ${outcome.seconds.toFixed(2)} s — target ≤ ${TARGET_SECONDS} s for 100 customers and 100,000 legs${met === undefined ? ' (not this size: use --full)' : met ? ' met' : ' not met'}`);
if (jsonPath) writeFileSync(jsonPath, JSON.stringify(report, null, 2) + '\n');
