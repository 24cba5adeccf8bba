// The Billing API under load: `confbill serve` in a child process on a database with realistic data,
// driven from a second process (autocannon's CLI) at a fixed rate per route. Reports the achieved
// rate, p50/p99/max latency and the answers that were not 2xx, per route and database.
//
//   node --import tsx bench/apiLoad.bench.ts [--full] [--json FILE] [--only pglite|postgres]
//        [--rate 500] [--seconds N] [--connections 50] [--legs N] [--database-name NAME]
//
// Data: without --full the demo (`confbill demo`: 10 customers, a month of calls, drafts); with --full
// the benchmark's generated provider (bench/generateCalls.ts: 1,000 customers, --legs legs, default
// 200,000) applied, ingested, rated and invoiced through the services bench/runOne.ts uses. Then, by
// the CLI as an operator would: a read key (`confbill apikey create`) and one invoice approved (its
// reads come from the snapshot frozen at approval). Routes: the draft with the most lines, the
// approved invoice, the non-invoiced preview of the busiest customer and the preview's first page
// (100 customers). Each route runs for 10 s (--full: 30 s) at --rate requests/s.
//
// PGlite runs in a fresh temporary folder; PostgreSQL when DATABASE_URL is set, in a fresh database
// (--database-name, default confbill_bench_api_<pid>) created through that server and dropped at the end.

import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { startServe, type RunningServe } from './startServe.ts';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { readConfbillCsv } from '../src/ingest/confbill-csv/readConfbillCsv.ts';
import { applyConfig } from '../src/services/applyConfig.ts';
import { runBilling } from '../src/services/billingRun.ts';
import { ingestCalls } from '../src/services/ingestCalls.ts';
import { generateInvoices } from '../src/services/invoicing.ts';
import { validateProviderConfig } from '../src/services/providerConfig.ts';
import { openDatabase } from '../src/storage/database.ts';
import { generateBenchFiles, option as optionOf } from './generateCalls.ts';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoDir = dirname(benchDir);
const log = (message: string): void => void process.stderr.write(`[api] ${message}\n`);

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(`--${name}`);
const option = (name: string): string | undefined => optionOf(argv, name, undefined);

const full = flag('full');
const rate = Number(option('rate') ?? 500);
const seconds = Number(option('seconds') ?? (full ? 30 : 10));
const connections = Number(option('connections') ?? 50);
const legs = Number(option('legs') ?? 200_000);
const benchCustomers = 1000;
const targetP99Ms = 50;
/** The clock of the full data: the month of the calls is closed and past its settlement delay. */
const fullNow = '2026-12-01T00:00:00Z';

type DbKind = 'pglite' | 'postgres';

interface Route {
  name: string;
  path: string;
}

interface LoadResult {
  rate: number;
  requests: number;
  p50: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
}

interface CaseResult extends LoadResult {
  db: DbKind;
  route: string;
  path: string;
  /** CPU time (user + system) of the server process per request answered: steadier than latency on a busy machine. */
  serverCpuMs: number;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

interface Target {
  kind: DbKind;
  /** The environment and global arguments under which `confbill` reaches this database. */
  env: NodeJS.ProcessEnv;
  args: string[];
  location: { databaseUrl?: string; dataDir?: string };
  cleanUp: () => Promise<void>;
}

/** Runs `confbill ARGS` to its end; its standard output. */
function confbill(target: Target, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoDir, 'bin/confbill.js'), ...target.args, ...args], { cwd: repoDir, env: target.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`confbill ${args.join(' ')} ended with ${code}: ${err.trim()}`))));
  });
}

async function pgliteTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'confbill-bench-api-'));
  const dataDir = join(dir, 'data');
  const env = { ...process.env };
  delete env.DATABASE_URL;
  return { kind: 'pglite', env, args: ['--data', dataDir], location: { dataDir }, cleanUp: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function postgresTarget(serverUrl: string): Promise<Target> {
  const name = option('database-name') ?? `confbill_bench_api_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    kind: 'postgres',
    env: { ...process.env, DATABASE_URL: databaseUrl },
    args: [],
    location: { databaseUrl },
    cleanUp: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The benchmark's provider of 1,000 customers, ingested, rated and invoiced as bench/runOne.ts does. */
async function loadGeneratedProvider(target: Target): Promise<void> {
  const files = await generateBenchFiles({ legs, customers: benchCustomers, log });
  const db = await openDatabase(target.location);
  try {
    const started = performance.now();
    await applyConfig(db, validateProviderConfig(JSON.parse(readFileSync(files.configPath, 'utf8')), files.configPath));
    await ingestCalls(db, readConfbillCsv, createReadStream(files.csvPath), { format: 'confbill-csv', file: files.csvPath });
    await runBilling(db, { now: new Date(fullNow), all: true });
    await generateInvoices(db, { from: '2026-10-01', to: '2026-11-01', now: new Date(fullNow), actor: 'bench' });
    log(`${target.kind}: ${legs} legs of ${benchCustomers} customers ingested, rated and invoiced in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await db.close();
  }
}

interface InvoiceSummary {
  id: string;
  customerId: string;
  status: string;
  lines: unknown[];
}

/** Loads the data and makes a read-only key (`confbill apikey create`); the key. */
async function prepare(target: Target): Promise<string> {
  const started = performance.now();
  if (full) await loadGeneratedProvider(target);
  else await confbill(target, ['demo']);
  log(`${target.kind}: data ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return (await confbill(target, ['apikey', 'create', '--name', 'api-bench', '--role', 'viewer'])).trim().split('\n').pop()!;
}

/**
 * The routes to drive: the draft with the most lines, another draft approved for the run by
 * `confbill invoice approve` (through the running server's database), and the previews.
 */
async function routesOf(target: Target, url: string, key: string): Promise<Route[]> {
  const answer = await fetch(`${url}/api/v1/invoices?status=draft&limit=500`, { headers: { authorization: `Bearer ${key}` } });
  if (!answer.ok) throw new Error(`GET /api/v1/invoices answered ${answer.status}`);
  const drafts = ((await answer.json()) as { items: InvoiceSummary[] }).items.sort((a, b) => b.lines.length - a.lines.length);
  const [draft, toApprove] = drafts;
  if (!draft || !toApprove) throw new Error('The data holds fewer than two drafts.');
  await confbill(target, ['invoice', 'approve', toApprove.id, '--yes']);
  log(`${target.kind}: draft ${draft.id} (${draft.lines.length} lines), approved ${toApprove.id} (${toApprove.lines.length} lines), preview of ${draft.customerId}`);
  return [
    { name: 'invoice by id (draft)', path: `/api/v1/invoices/${encodeURIComponent(draft.id)}` },
    { name: 'invoice by id (approved)', path: `/api/v1/invoices/${encodeURIComponent(toApprove.id)}` },
    { name: 'non-invoiced preview (one customer)', path: `/api/v1/reports/non-invoiced?customer=${encodeURIComponent(draft.customerId)}` },
    { name: 'non-invoiced preview (first page)', path: '/api/v1/reports/non-invoiced' },
  ];
}

/** autocannon's CLI in its own process at a fixed overall rate; its JSON summary. */
function drive(url: string, key: string, durationSeconds: number): Promise<LoadResult> {
  const args = [join(repoDir, 'node_modules/autocannon/autocannon.js'), '--json', '--overallRate', String(rate), '--connections', String(connections), '--duration', String(durationSeconds), '--headers', `authorization=Bearer ${key}`, url];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoDir, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon ended with ${code}`));
      const r = JSON.parse(out) as { requests: { total: number }; latency: { p50: number; p99: number; max: number }; non2xx: number; errors: number; timeouts: number; duration: number };
      resolve({ rate: r.requests.total / r.duration, requests: r.requests.total, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, non2xx: r.non2xx, errors: r.errors + r.timeouts });
    });
  });
}

async function runCase(target: Target): Promise<CaseResult[]> {
  const key = await prepare(target);
  const server = await startServer(target);
  const results: CaseResult[] = [];
  try {
    const routes = await routesOf(target, server.url, key);
    for (const route of routes) {
      // A short warm-up at the same rate: the first requests compile the route's code paths.
      await drive(server.url + route.path, key, 2);
      const cpuBefore = cpuSecondsOf(server.child.pid!);
      const r = await drive(server.url + route.path, key, seconds);
      const serverCpuMs = ((cpuSecondsOf(server.child.pid!) - cpuBefore) * 1000) / Math.max(1, r.requests);
      log(`${target.kind} ${route.name}: ${r.rate.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms, non-2xx ${r.non2xx}, errors ${r.errors}; server CPU ${serverCpuMs.toFixed(2)} ms/request`);
      results.push({ db: target.kind, route: route.name, path: route.path, ...r, serverCpuMs });
    }
  } finally {
    await server.stop();
  }
  return results;
}

/** The server of a target, its CPU read by pid. */
function startServer(target: Target): Promise<RunningServe> {
  const env = full ? { ...target.env, CONFBILL_NOW: fullNow } : target.env;
  return startServe({ env: { ...env, ...(process.env.API_BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.API_BENCH_NODE_OPTIONS } : {}) }, args: target.args });
}

async function main(): Promise<void> {
  const only = option('only');
  const kinds: DbKind[] = [];
  if (only !== 'postgres') kinds.push('pglite');
  if (only !== 'pglite' && process.env.DATABASE_URL) kinds.push('postgres');
  const results: CaseResult[] = [];
  for (const kind of kinds) {
    const target = kind === 'pglite' ? await pgliteTarget() : await postgresTarget(process.env.DATABASE_URL!);
    try {
      results.push(...(await runCase(target)));
    } finally {
      await target.cleanUp();
    }
  }

  const size = full ? `${benchCustomers} customers, ${legs.toLocaleString('en')} legs, invoiced; ${seconds} s per route at ${rate} req/s` : `the demo (10 customers, a month of calls); ${seconds} s per route at ${rate} req/s`;
  console.log(`API load (${size}, ${connections} connections, autocannon in its own process):\n`);
  console.log('| database | route | achieved req/s | p50 ms | p99 ms | max ms | non-2xx | errors | server CPU ms/request |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) console.log(`| ${r.db} | ${r.route} | ${r.rate.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.max} | ${r.non2xx} | ${r.errors} | ${r.serverCpuMs.toFixed(2)} |`);

  const json = option('json');
  if (json) {
    const figures = results.flatMap((r) => [
      { figure: `${r.db}: ${r.route}, achieved rate`, value: Math.round(r.rate), unit: 'req/s', target: `≥ ${rate} req/s`, met: r.rate >= rate * 0.98 && r.non2xx === 0 && r.errors === 0 },
      { figure: `${r.db}: ${r.route}, p50`, value: r.p50, unit: 'ms' },
      { figure: `${r.db}: ${r.route}, p99`, value: r.p99, unit: 'ms', target: `≤ ${targetP99Ms} ms at ${rate} req/s`, met: r.p99 <= targetP99Ms },
      { figure: `${r.db}: ${r.route}, max`, value: r.max, unit: 'ms' },
      { figure: `${r.db}: ${r.route}, answers not 2xx`, value: r.non2xx + r.errors, unit: 'requests' },
      { figure: `${r.db}: ${r.route}, server CPU per request`, value: Math.round(r.serverCpuMs * 100) / 100, unit: 'ms' },
    ]);
    const result = {
      name: 'apiLoad',
      title: 'Billing API under load (invoice by id, non-invoiced preview)',
      command: `node --import tsx bench/apiLoad.bench.ts${full ? ' --full' : ''}`,
      size,
      figures,
      notes: ['Load from a second process: autocannon at a fixed overall rate, after a 2 s warm-up per route; latency as autocannon measures it (from the request written to the answer read).'],
    };
    writeFileSync(json, JSON.stringify(result, null, 2) + '\n');
  }
}

await main();
