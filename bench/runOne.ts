// One database run of the benchmark, in its own process so that its peak RSS is its own:
//
//   node --import tsx bench/runOne.ts --db pglite --data-dir DIR --config FILE --csv FILE --legs N --customers N
//   BENCH_DATABASE_URL=postgres://… node --import tsx bench/runOne.ts --db postgres --config FILE --csv FILE …
//
// bench/run.ts starts it with an IPC channel, prepares the empty database (a fresh PGlite folder or a
// fresh PostgreSQL database) and cleans it up afterwards. Phases, in order: open (migrations), a keyed
// COPY of the CSV into a table with the unique key of `calls` as the reference (then dropped), apply the configuration, ingest
// the CSV through the product path, match + rate, generate the invoices of the month. Progress goes
// to standard error; the result goes to the parent (or to standard output when run by hand).

import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { readConfbillCsv } from '../src/ingest/confbill-csv/readConfbillCsv.ts';
import { applyConfig } from '../src/services/applyConfig.ts';
import { runBilling } from '../src/services/billingRun.ts';
import { ingestCalls, type IngestSummary } from '../src/services/ingestCalls.ts';
import { generateInvoices } from '../src/services/invoicing.ts';
import { validateProviderConfig } from '../src/services/providerConfig.ts';
import { openDatabase, type Database, type Sql } from '../src/storage/database.ts';
import { integerOption, option } from './generateCalls.ts';
import { PhaseMeter, SqlProfile, stderrLogger, throttled, toMiB, treeFingerprint, type ChildMessage, type DbRunResult } from './measure.ts';

/** The invoice range and the clock of the run: the month of the calls, invoiced a month later. */
export const INVOICE_FROM = '2026-10-01';
export const INVOICE_TO = '2026-11-01';
export const BENCH_NOW = new Date('2026-12-01T00:00:00Z');

/**
 * The table of the keyed COPY reference: the columns of confbill-csv, typed, with the unique key of
 * `calls` (source, external_id), so that the floor includes the index every stored call must pass.
 */
const REFERENCE_TABLE = 'bench_copy_reference';
const REFERENCE_COLUMNS = ['source', 'external_id', 'conference_id', 'started_at', 'duration_seconds', 'category', 'direction', 'protocol', 'local_alias', 'remote_alias', 'tenant'] as const;
const REFERENCE_DDL = `CREATE TABLE ${REFERENCE_TABLE} (
  source text, external_id text, conference_id text, started_at timestamptz, duration_seconds integer,
  category text, direction text, protocol text, local_alias text, remote_alias text, tenant text,
  UNIQUE (source, external_id))`;

/**
 * PGlite runs one statement at a time: statements sent together (rateCustomers' Promise.all) are
 * timed with their wait behind each other, so their times overlap and can add up to more than the phase.
 */
const pgliteCaveat = ' (PGlite queues concurrent statements: their times include the wait and overlap)';

/** PGlite reference: the file is COPYed through /dev/blob in chunks of about this many bytes. */
const PGLITE_COPY_CHUNK = 64 * 1024 * 1024;

function send(message: ChildMessage): void {
  if (process.send) process.send(message);
}

/** Keyed COPY of the CSV file into the reference table on PostgreSQL: one pg-copy-streams stream from the file. */
async function copyReferencePostgres(databaseUrl: string, csvPath: string): Promise<{ rows: number; method: string; seconds: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(REFERENCE_DDL);
    const started = performance.now();
    const copy = client.query(copyFrom(`COPY ${REFERENCE_TABLE} (${REFERENCE_COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT csv, HEADER true)`));
    await pipeline(createReadStream(csvPath), copy);
    const seconds = (performance.now() - started) / 1000;
    return { rows: copy.rowCount, method: 'pg-copy-streams from a file stream, one COPY … FROM STDIN (FORMAT csv, HEADER)', seconds };
  } finally {
    await client.end();
  }
}

/** Keyed COPY of the CSV file into the reference table on PGlite: `COPY … FROM '/dev/blob'` in chunks cut at line ends. */
async function copyReferencePglite(db: Database, csvPath: string): Promise<{ rows: number; method: string; seconds: number }> {
  await db.exec(REFERENCE_DDL);
  const started = performance.now();
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let headerSkipped = false;
  let chunks = 0;
  const load = async (buffer: Buffer): Promise<void> => {
    if (buffer.length === 0) return;
    await db.copyCsv(REFERENCE_TABLE, REFERENCE_COLUMNS, buffer.toString('utf8'));
    chunks++;
  };
  for await (const piece of createReadStream(csvPath, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    let data = piece;
    if (!headerSkipped) {
      const eol = data.indexOf(10);
      if (eol < 0) throw new Error('The header line of the CSV is longer than 1 MiB.');
      data = data.subarray(eol + 1);
      headerSkipped = true;
    }
    pending.push(data);
    pendingBytes += data.length;
    if (pendingBytes >= PGLITE_COPY_CHUNK) {
      const all = Buffer.concat(pending);
      const cut = all.lastIndexOf(10) + 1; // COPY gets whole lines only; the rest waits for the next chunk
      await load(all.subarray(0, cut));
      pending = [all.subarray(cut)];
      pendingBytes = pending[0]!.length;
    }
  }
  await load(Buffer.concat(pending));
  const seconds = (performance.now() - started) / 1000;
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${REFERENCE_TABLE}`);
  return { rows: row!.n, method: `db.copyCsv: COPY … FROM '/dev/blob' (FORMAT csv) in ${chunks} chunk(s) of ≤ ${PGLITE_COPY_CHUNK / 1024 / 1024} MiB`, seconds };
}

/** The database with every statement timed into `profile` (inside transactions too). */
function profiledDatabase(db: Database, profile: SqlProfile): Database {
  const wrap = (sql: Sql): Sql => ({
    query: <T>(text: string, params?: readonly unknown[]) => profile.time(text, () => sql.query<T>(text, params)),
    exec: (text) => profile.time(text, () => sql.exec(text)),
    copyCsv: (table, columns, csv) => profile.time(`COPY ${table} FROM csv`, () => sql.copyCsv(table, columns, csv)),
  });
  return { ...wrap(db), kind: db.kind, transaction: (work) => db.transaction((tx) => work(wrap(tx))), close: () => db.close() };
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

async function main(argv: readonly string[]): Promise<void> {
  const kind = option(argv, 'db', undefined);
  if (kind !== 'pglite' && kind !== 'postgres') throw new Error('--db must be pglite or postgres.');
  const configPath = option(argv, 'config', undefined);
  const csvPath = option(argv, 'csv', undefined);
  if (!configPath || !csvPath) throw new Error('--config FILE and --csv FILE are required.');
  const legs = integerOption(option(argv, 'legs', undefined, '0'), 'legs');
  const customers = integerOption(option(argv, 'customers', undefined, '0'), 'customers');
  const dataDir = option(argv, 'data-dir', undefined);
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  if (kind === 'pglite' && !dataDir) throw new Error('--data-dir DIR is required for PGlite.');
  if (kind === 'postgres' && !databaseUrl) throw new Error('BENCH_DATABASE_URL is required for PostgreSQL.');

  const srcFingerprint = treeFingerprint(join(dirname(dirname(fileURLToPath(import.meta.url))), 'src'));
  const log = stderrLogger(kind);
  const profile = argv.includes('--sql-profile') ? new SqlProfile() : undefined;
  const meter = new PhaseMeter((phase) => {
    log(`${phase.name}: ${phase.seconds.toFixed(1)} s, peak RSS ${phase.peakRssMiB} MiB`);
    send({ type: 'phase', phase });
    if (profile) {
      const stats = profile.take();
      const total = stats.reduce((sum, s) => sum + s.seconds, 0);
      log(`  SQL of ${phase.name}: ${total.toFixed(1)} s in ${stats.reduce((n, s) => n + s.calls, 0)} statements, ${(phase.seconds - total).toFixed(1)} s outside SQL; top statements:${kind === 'pglite' ? pgliteCaveat : ''}`);
      for (const s of stats.slice(0, 8)) log(`  ${s.seconds.toFixed(2).padStart(8)} s ${String(s.calls).padStart(6)}× ${s.statement}`);
    }
  });

  const opened = await meter.phase('open', () => openDatabase(kind === 'postgres' ? { databaseUrl } : { dataDir }));
  const db = profile ? profiledDatabase(opened, profile) : opened;
  try {
    const [{ version } = { version: '?' }] = await db.query<{ version: string }>('SELECT version() AS version');

    const copy = await meter.phase('copy-reference', () => (kind === 'postgres' ? copyReferencePostgres(databaseUrl!, csvPath) : copyReferencePglite(db, csvPath)));
    log(`keyed COPY: ${copy.rows} rows in ${copy.seconds.toFixed(1)} s (${copy.method})`);
    if (copy.rows !== legs) throw new Error(`The keyed COPY loaded ${copy.rows} rows where the file has ${legs} legs.`);
    await db.exec(`DROP TABLE ${REFERENCE_TABLE}`);
    await db.exec('CHECKPOINT'); // the reference's writes are not left for the product phases to flush

    const applied = await meter.phase('apply', async () => {
      const config = validateProviderConfig(JSON.parse(readFileSync(configPath, 'utf8')), configPath);
      return applyConfig(db, config);
    });
    log(`applied: ${applied.customersChanged} customers, ${applied.plansCreated} plans, ${applied.assignmentsChanged} assignments`);

    const progress = throttled(log, 10_000);
    const ingested = await meter.phase('ingest', () =>
      ingestCalls(db, readConfbillCsv, createReadStream(csvPath), {
        format: 'confbill-csv',
        file: relative(process.cwd(), csvPath),
        onBatch: (s: IngestSummary) => progress(`ingest: ${s.read} records read, ${s.new} new, ${s.rejected} rejected`),
      }),
    );
    log(`ingested: ${ingested.read} read, ${ingested.new} new, ${ingested.updated} updated, ${ingested.unchanged} unchanged, ${ingested.rejected} rejected`);
    if (ingested.new !== legs) throw new Error(`Ingest stored ${ingested.new} new calls where the file has ${legs} legs.`);

    // runBilling matches, then rates; its progress calls tell when the last page of matching was written.
    let billingStarted = 0;
    let lastMatchAt: number | undefined;
    const billing = await meter.phase('match+rate', () => {
      billingStarted = performance.now();
      return runBilling(db, {
        now: BENCH_NOW,
        all: true,
        progress: (phase, done, total) => {
          if (phase === 'matching') lastMatchAt = performance.now();
          progress(`${phase}: ${done}${total === undefined ? '' : ` / ${total}`}`);
        },
      });
    });
    const billingSeconds = meter.phases[meter.phases.length - 1]!.seconds;
    const matchSeconds = lastMatchAt === undefined ? undefined : Math.round(lastMatchAt - billingStarted) / 1000;
    const rateSeconds = matchSeconds === undefined ? undefined : Math.round((billingSeconds - matchSeconds) * 1000) / 1000;
    if (matchSeconds !== undefined) log(`match+rate: matching ${matchSeconds} s, then rating ${rateSeconds} s`);
    log(`runBilling matched ${billing.match.matched}, no customer ${billing.match.noCustomer}, ambiguous ${billing.match.ambiguous}; rated ${billing.rating.customers} customers, ${billing.rating.items} items`);

    const invoices = await meter.phase('invoice', () => generateInvoices(db, { from: INVOICE_FROM, to: INVOICE_TO, now: BENCH_NOW, actor: 'bench' }));
    log(`invoices: ${invoices.length}`);

    // Figures to compare runs for correctness, summed exactly by the database.
    const byCurrency = await db.query<{ currency: string; invoices: number; total: string }>(
      'SELECT currency, count(*)::int AS invoices, sum(total)::text AS total FROM invoices GROUP BY currency ORDER BY currency',
    );
    const [counts] = await db.query<{ calls: number; items: number; invoiced: number; lines: number }>(
      `SELECT (SELECT count(*)::int FROM calls) AS calls, (SELECT count(*)::int FROM billing_items) AS items,
              (SELECT count(*)::int FROM billing_items WHERE invoice_id IS NOT NULL) AS invoiced, (SELECT count(*)::int FROM invoice_lines) AS lines`,
    );
    const statuses = new Map((await db.query<{ status: string; n: number }>('SELECT match_status AS status, count(*)::int AS n FROM calls GROUP BY 1')).map((r) => [r.status, r.n]));
    let dbBytes = 0;
    if (kind === 'postgres') {
      const [size] = await db.query<{ bytes: number }>('SELECT pg_database_size(current_database()) AS bytes');
      dbBytes = size!.bytes;
    }
    await db.close();
    if (kind === 'pglite') dbBytes = folderBytes(dataDir!);
    meter.stop();

    const result: DbRunResult = {
      db: kind,
      version,
      legs,
      customers,
      phases: meter.phases,
      copyMethod: copy.method,
      copyRows: copy.rows,
      ingest: { read: ingested.read, new: ingested.new, updated: ingested.updated, unchanged: ingested.unchanged, conflicts: ingested.conflicts, rejected: ingested.rejected },
      match: { matched: statuses.get('matched') ?? 0, noCustomer: statuses.get('no-customer') ?? 0, ambiguous: statuses.get('ambiguous') ?? 0, pending: statuses.get('pending') ?? 0 },
      rating: billing.rating,
      invoices: { count: invoices.length, lines: counts!.lines, byCurrency },
      counts: { calls: counts!.calls, billingItems: counts!.items, invoicedItems: counts!.invoiced },
      dbSizeMiB: toMiB(dbBytes),
      peakRssMiB: meter.processPeakMiB(),
      matchSeconds,
      rateSeconds,
      srcFingerprint,
    };
    if (process.send) send({ type: 'result', result });
    else console.log(JSON.stringify(result, null, 2));
  } catch (error) {
    meter.stop();
    await db.close().catch(() => undefined);
    throw error;
  }
}

main(process.argv.slice(2)).then(
  () => {
    if (process.send) process.disconnect();
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`runOne failed: ${error instanceof Error ? (error.stack ?? message) : message}\n`);
    send({ type: 'error', message, stack: error instanceof Error ? error.stack : undefined });
    process.exitCode = 1;
    if (process.send) process.disconnect();
  },
);
