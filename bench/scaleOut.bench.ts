// Several confbill processes on one PostgreSQL (docs/scaling.md): the benchmark's month stored,
// rated and invoiced by 1, 2 and 4 processes at once, each a real CLI process, coordinated by the
// database alone (advisory try-locks, keyed merges).
//
//   DATABASE_URL=postgres://… node --import tsx bench/scaleOut.bench.ts [--full] [--json FILE] [--processes 1,2,4]
//
// For each number of processes N, on a fresh database with the provider's configuration applied:
//   1. ingest: the CSV cut into N parts, `confbill ingest --format confbill-csv PART` × N at once (each
//      also matches and rates what it stored, as the command does);
//   2. rating: every customer marked due again, `confbill rate` × N at once;
//   3. invoice run: `confbill invoice generate --all` for the month × N at once;
// then `confbill verify`, and the drafts counted: each customer's once, whatever N.
// Small: 100,000 legs, 100 customers; --full: 1,000,000 legs, 1,000 customers. PostgreSQL only: the
// embedded database is one process's by design.

import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { benchArgs, benchCommand, writeBenchResult, type BenchFigure } from './benchResult.ts';
import { generateBenchFiles, integerOption, option } from './generateCalls.ts';
import { BENCH_NOW, freshPostgresDatabase, INVOICE_FROM, INVOICE_TO } from './ratedBenchDatabase.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const args = benchArgs(argv);
const legs = integerOption(option(argv, 'legs', undefined, args.full ? '1000000' : '100000'), 'legs');
const customers = integerOption(option(argv, 'customers', undefined, args.full ? '1000' : '100'), 'customers');
const counts = option(argv, 'processes', undefined, '1,2,4').split(',').map((n) => integerOption(n, 'processes'));
const log = (message: string): void => void process.stderr.write(`[scaleOut] ${message}\n`);

/** Runs one CLI command as its own process; resolves with its exit status and standard error's end. */
function cli(commandArgs: readonly string[], env: Record<string, string>): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/confbill.js'), ...commandArgs], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? 1, stderr }));
  });
}

async function timedAll(label: string, runs: readonly (readonly string[])[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const results = await Promise.all(runs.map((r) => cli(r, env)));
  const seconds = (performance.now() - started) / 1000;
  const failed = results.find((r) => r.status !== 0);
  if (failed) throw new Error(`${label}: a process exited ${failed.status}: ${failed.stderr}`);
  log(`${label}: ${seconds.toFixed(2)} s`);
  return seconds;
}

/** The CSV cut into `parts` files of whole lines, each with the header. */
async function splitCsv(csvPath: string, parts: number, dir: string): Promise<string[]> {
  const paths = Array.from({ length: parts }, (_, i) => join(dir, `part-${parts}-${i}.csv`));
  const outs: WriteStream[] = paths.map((p) => createWriteStream(p));
  let header: string | undefined;
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(csvPath), crlfDelay: Infinity })) {
    if (header === undefined) {
      header = line;
      for (const o of outs) o.write(`${line}\n`);
      continue;
    }
    const out = outs[n++ % parts]!;
    if (!out.write(`${line}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await Promise.all(outs.map((o) => new Promise<void>((r) => o.end(() => r()))));
  return paths;
}

async function main(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  const figures: BenchFigure[] = [];
  const notes: string[] = [];
  if (!serverUrl) {
    notes.push('Skipped: DATABASE_URL is not set (several processes share one PostgreSQL server; the embedded database is one process\'s).');
    writeBenchResult(args, { name: 'scaleOut', title: 'Several processes on one PostgreSQL', command: benchCommand('scaleOut', args.full), size: `${legs} legs, ${customers} customers`, figures, notes });
    log(notes[0]!);
    return;
  }
  const files = await generateBenchFiles({ legs, customers, log });
  const dir = mkdtempSync(join(tmpdir(), 'confbill-scaleout-'));
  const rows: string[] = [];
  const base: Record<string, number> = {};
  try {
    for (const n of counts) {
      const db = await freshPostgresDatabase(serverUrl, `confbill_bench_scale_${process.pid}_${n}`);
      try {
        const env = { DATABASE_URL: db.url, CONFBILL_NOW: BENCH_NOW.toISOString(), CONFBILL_USER: 'bench' };
        await timedAll(`apply (N=${n})`, [['apply', files.configPath]], env);
        const parts = await splitCsv(files.csvPath, n, dir);
        const ingest = await timedAll(`ingest + match + rate, ${n} process(es)`, parts.map((p) => ['ingest', '--format', 'confbill-csv', p]), env);
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        await client.query('UPDATE rating_state SET dirty = true, generation = generation + 1');
        const rating = await timedAll(`rating of every customer, ${n} process(es)`, Array.from({ length: n }, () => ['rate']), env);
        const invoicing = await timedAll(`invoice run, ${n} process(es)`, Array.from({ length: n }, () => ['invoice', 'generate', '--all', '--from', INVOICE_FROM, '--to', INVOICE_TO]), env);
        const [drafts] = (await client.query<{ invoices: number; customers: number; doubled: number }>(
          `SELECT count(*)::int AS invoices, count(DISTINCT customer_id)::int AS customers,
                  (SELECT count(*)::int FROM (SELECT customer_id, currency FROM invoices GROUP BY 1, 2 HAVING count(*) > 1) d) AS doubled FROM invoices`,
        )).rows;
        await client.end();
        const verified = await cli(['verify'], env);
        if (verified.status !== 0) throw new Error(`verify failed after ${n} process(es): ${verified.stderr}`);
        if (drafts!.doubled !== 0) throw new Error(`${drafts!.doubled} customers got two drafts of one currency with ${n} processes.`);
        base[`ingest`] ??= ingest;
        base[`rating`] ??= rating;
        base[`invoicing`] ??= invoicing;
        rows.push(`| ${n} | ${ingest.toFixed(2)} (${(base.ingest! / ingest).toFixed(2)}×) | ${rating.toFixed(2)} (${(base.rating! / rating).toFixed(2)}×) | ${invoicing.toFixed(2)} (${(base.invoicing! / invoicing).toFixed(2)}×) | ${drafts!.invoices} / ${drafts!.customers} | clean |`);
        figures.push(
          { figure: `ingest + match + rate, ${n} process(es)`, value: Number(ingest.toFixed(2)), unit: 's' },
          { figure: `rating of every customer, ${n} process(es)`, value: Number(rating.toFixed(2)), unit: 's' },
          { figure: `invoice run, ${n} process(es)`, value: Number(invoicing.toFixed(2)), unit: 's' },
        );
      } finally {
        await db.drop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const details = [
    'Wall-clock seconds of the N processes run at once (speed-up against one process in brackets); drafts made / customers with a draft; `confbill verify` after the run.',
    '',
    '| processes | ingest + match + rate, s | rating of every customer, s | invoice run, s | drafts / customers | verify |',
    '| ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
  ].join('\n');
  notes.push('The PostgreSQL server runs on the same 2 cores as the confbill processes: more processes help only while a process waits on the database.');
  writeBenchResult(args, { name: 'scaleOut', title: 'Several processes on one PostgreSQL', command: `DATABASE_URL=… ${benchCommand('scaleOut', args.full)}`, size: `${legs.toLocaleString('en-US')} legs, ${customers.toLocaleString('en-US')} customers`, figures, notes, details });
  process.stdout.write(`${details}\n`);
}

await main();
