// CDR receivers under load: `confbill serve` in a child process on a prepared database (1,000
// customers' matching rules, a CMS and a Pexip source, an ingest API key), driven from a second
// process (bench/receiverLoad.ts, autocannon) at a fixed rate of single-record posts, each record with
// an id of its own. Reports the achieved rate, p50/p99/max latency, the answers that were not 2xx,
// and checks that every record answered 200 is in the database afterwards.
//
//   node --import tsx bench/receivers.bench.ts [--full] [--json FILE] [--only pglite|postgres] [--vendor cms|pexip]
//        [--rate 1000] [--seconds N] [--connections 200] [--customers 1000] [--cpu-prof DIR]
//
// Without --full each case posts for 10 s; with --full for 60 s. PostgreSQL runs when DATABASE_URL is
// set: a fresh database confbill_bench_receivers_<pid> on that server, dropped at the end. PGlite
// runs in a fresh temporary folder. --cpu-prof writes a V8 CPU profile of each server process to DIR.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { startServe } from './startServe.ts';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createApiKey } from '../src/services/apiKeys.ts';
import { applyConfig } from '../src/services/applyConfig.ts';
import { runScheduledRating } from '../src/services/scheduledRating.ts';
import { syntheticConfig } from '../src/services/syntheticProvider.ts';
import { validateProviderConfig } from '../src/services/providerConfig.ts';
import { openDatabase, type Database } from '../src/storage/database.ts';
import { cmsRecord, pexipEvent, type ReceiverLoadResult, type ReceiverVendor } from './receiverLoad.ts';
import { option as optionOf } from './generateCalls.ts';
import { freshPostgresDatabase } from './ratedBenchDatabase.ts';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoDir = dirname(benchDir);
const log = (message: string): void => void process.stderr.write(`[receivers] ${message}\n`);

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(`--${name}`);
const option = (name: string): string | undefined => optionOf(argv, name, undefined);

const full = flag('full');
const rate = Number(option('rate') ?? 1000);
const seconds = Number(option('seconds') ?? (full ? 60 : 10));
const connections = Number(option('connections') ?? 200);
const customers = Number(option('customers') ?? 1000);
const sources = { cms: 'cms-bench', pexip: 'pexip-bench' } as const;
const targetP99Ms = 100;

interface CaseResult {
  db: 'pglite' | 'postgres';
  vendor: ReceiverVendor;
  load: Omit<ReceiverLoadResult, 'storedIds'>;
  /** CPU time of the server process per post answered, ms (less noisy than latency on a busy machine). */
  serverCpuMsPerPost: number;
  /** PostgreSQL: CPU time of the database's server processes per post answered, ms. */
  databaseCpuMsPerPost?: number;
  answered200: number;
  storedOf200: number;
}

async function prepare(db: Database): Promise<string> {
  const config = syntheticConfig({ customers, seed: 20_261_001, month: '2026-10' });
  config.sources = [
    { id: sources.cms, format: 'cms-xml', timezone: 'UTC' },
    { id: sources.pexip, format: 'pexip-events', timezone: 'UTC' },
  ];
  await applyConfig(db, validateProviderConfig(config), 'bench');
  const { secret } = await createApiKey(db, { name: 'receivers-bench', role: 'ingest', actor: 'bench' });
  // The hour's scheduled rating (of every customer's month) done now, not by the server under load.
  await runScheduledRating(db, { holder: 'bench', now: () => new Date() });
  return secret;
}

/** User + system CPU time of a process so far, ms (Linux /proc; 100 ticks a second). */
function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** CPU time so far of the PostgreSQL server processes serving database `name`, ms. */
async function databaseCpuMs(adminUrl: string, name: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const rows = (await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [name])).rows;
    return rows.reduce((sum, r) => sum + cpuMsOf(r.pid), 0);
  } finally {
    await client.end();
  }
}

/** A few posts before the measured ones: the server compiles its code paths on their first use. */
async function warmUp(url: string, vendor: ReceiverVendor, key: string): Promise<void> {
  for (let n = 0; n < 30; n++) {
    const response = vendor === 'pexip'
      ? await fetch(`${url}/cdr/pexip/${sources.pexip}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: pexipEvent(`warm-${n}`, n) })
      : await fetch(`${url}/cdr/cms/${sources.cms}/${key}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: cmsRecord('0000warm-1111-4111-8111-000000000000', n) });
    if (response.status !== 200) throw new Error(`warm-up post answered ${response.status}: ${await response.text()}`);
  }
}

function drive(url: string, vendor: ReceiverVendor, key: string, outFile: string): Promise<ReceiverLoadResult> {
  const args = ['--import', 'tsx', join(benchDir, 'receiverLoad.ts'), '--url', url, '--vendor', vendor, '--source', sources[vendor], '--key', key,
    '--rate', String(rate), '--seconds', String(seconds), '--connections', String(connections), '--run', `r${process.pid.toString(36)}${vendor[0]}`, '--out', outFile];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoDir, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`the load process ended with ${code}`));
      resolve(JSON.parse(readFileSync(outFile, 'utf8')) as ReceiverLoadResult);
    });
  });
}

/** How many of the records answered 200 are in the database. */
async function storedOf(db: { query: Database['query'] }, vendor: ReceiverVendor, ids: string[]): Promise<number> {
  if (vendor === 'pexip') {
    const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM calls WHERE source = $1 AND external_id = ANY($2::text[])', [sources.pexip, ids]);
    return row!.n;
  }
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM cms_records WHERE source = $1 AND (session || '/' || correlator_index::text) = ANY($2::text[])`, [sources.cms, ids]);
  return row!.n;
}

async function runDatabase(kind: 'pglite' | 'postgres', vendors: ReceiverVendor[], work: string): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  let env: NodeJS.ProcessEnv = { ...process.env };
  let serveArgs: string[] = [];
  let open: () => Promise<Database>;
  let cleanup = async (): Promise<void> => {};
  let databaseCpu: (() => Promise<number>) | undefined;
  if (kind === 'postgres') {
    const name = `confbill_bench_receivers_${process.pid}`;
    const fresh = await freshPostgresDatabase(process.env.DATABASE_URL!, name);
    const admin = new URL(fresh.url);
    admin.pathname = '/postgres';
    cleanup = fresh.drop;
    env = { ...env, DATABASE_URL: fresh.url };
    databaseCpu = () => databaseCpuMs(admin.href, name);
    open = () => openDatabase({ databaseUrl: fresh.url });
  } else {
    const dataDir = join(work, 'pglite');
    delete env.DATABASE_URL;
    serveArgs = ['--data', dataDir];
    open = () => openDatabase({ dataDir });
    cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
  }
  try {
    log(`${kind}: preparing ${customers} customers, sources ${sources.cms} and ${sources.pexip}`);
    let db = await open();
    const key = await prepare(db);
    await db.close();
    for (const vendor of vendors) {
      const server = await startServe({ env, args: serveArgs, nodeArgs: option('cpu-prof') ? ['--cpu-prof', '--cpu-prof-dir', option('cpu-prof')!] : [] });
      let load: ReceiverLoadResult;
      let serverCpuMs: number;
      let dbCpuMs: number | undefined;
      try {
        await warmUp(server.url, vendor, key);
        log(`${kind} ${vendor}: ${rate} posts/s for ${seconds} s over ${connections} connections`);
        const cpuBefore = cpuMsOf(server.child.pid);
        const dbBefore = databaseCpu ? await databaseCpu() : undefined;
        load = await drive(server.url, vendor, key, join(work, `${kind}-${vendor}.json`));
        serverCpuMs = cpuMsOf(server.child.pid) - cpuBefore;
        // The pool's connections live on for 10 s idle: they are all still there.
        if (databaseCpu && dbBefore !== undefined) dbCpuMs = (await databaseCpu()) - dbBefore;
      } finally {
        await server.stop();
      }
      db = await open();
      try {
        const storedOf200 = await storedOf(db, vendor, load.storedIds);
        const { storedIds, ...rest } = load;
        const perPost = (ms: number): number => Math.round((ms / Math.max(1, storedIds.length)) * 100) / 100;
        results.push({ db: kind, vendor, load: rest, answered200: storedIds.length, storedOf200, serverCpuMsPerPost: perPost(serverCpuMs), ...(dbCpuMs === undefined ? {} : { databaseCpuMsPerPost: perPost(dbCpuMs) }) });
      } finally {
        await db.close();
      }
    }
  } finally {
    await cleanup();
  }
  return results;
}

function summary(r: CaseResult): string {
  const non2xx = Object.entries(r.load.statuses).filter(([s]) => !s.startsWith('2')).map(([s, n]) => `${n}×${s}`).join(', ') || 'none';
  return `${r.db.padEnd(8)} ${r.vendor.padEnd(5)} ${r.load.achievedRate.toFixed(0).padStart(5)} req/s  p50 ${r.load.latencyMs.p50} ms  p99 ${r.load.latencyMs.p99} ms  max ${r.load.latencyMs.max} ms  non-2xx ${non2xx}  errors ${r.load.errors}  stored ${r.storedOf200}/${r.answered200} answered 200  CPU/post: server ${r.serverCpuMsPerPost} ms${r.databaseCpuMsPerPost === undefined ? '' : `, PostgreSQL ${r.databaseCpuMsPerPost} ms`}`;
}

async function main(): Promise<void> {
  const only = option('only');
  const kinds = (['pglite', 'postgres'] as const).filter((k) => (only ? k === only : k === 'pglite' || process.env.DATABASE_URL));
  const vendors = (['cms', 'pexip'] as const).filter((v) => !option('vendor') || v === option('vendor'));
  const work = mkdtempSync(join(tmpdir(), 'confbill-bench-receivers-'));
  const results: CaseResult[] = [];
  try {
    for (const kind of kinds) results.push(...(await runDatabase(kind, [...vendors], work)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(`CDR receivers, ${rate} single-record posts/s for ${seconds} s (${connections} connections), ${customers} customers' rules\n`);
  for (const r of results) process.stdout.write(`${summary(r)}\n`);
  const jsonFile = option('json');
  if (jsonFile) {
    const figures = results.flatMap((r) => {
      const label = `${r.vendor === 'cms' ? 'CMS' : 'Pexip'} receiver on ${r.db === 'pglite' ? 'PGlite' : 'PostgreSQL'}`;
      const non2xx = Object.entries(r.load.statuses).filter(([s]) => !s.startsWith('2')).reduce((a, [, n]) => a + n, 0) + r.load.errors;
      return [
        { figure: `${label}: achieved rate`, value: Math.round(r.load.achievedRate), unit: 'req/s', target: `≥ ${rate} req/s`, met: r.load.achievedRate >= rate * 0.98 },
        { figure: `${label}: p50 latency`, value: r.load.latencyMs.p50, unit: 'ms' },
        { figure: `${label}: p99 latency`, value: r.load.latencyMs.p99, unit: 'ms', target: `≤ ${targetP99Ms} ms`, met: r.load.latencyMs.p99 <= targetP99Ms },
        { figure: `${label}: max latency`, value: r.load.latencyMs.max, unit: 'ms' },
        { figure: `${label}: answers not 2xx (and errors)`, value: non2xx, unit: 'requests' },
        { figure: `${label}: server CPU per post`, value: r.serverCpuMsPerPost, unit: 'ms' },
        ...(r.databaseCpuMsPerPost === undefined ? [] : [{ figure: `${label}: PostgreSQL CPU per post`, value: r.databaseCpuMsPerPost, unit: 'ms' }]),
        { figure: `${label}: records answered 200 and not stored`, value: r.answered200 - r.storedOf200, unit: 'records', target: '0', met: r.answered200 === r.storedOf200 },
      ];
    });
    const command = `node --import tsx bench/receivers.bench.ts${full ? ' --full' : ''}`;
    writeFileSync(jsonFile, `${JSON.stringify({
      name: 'receivers', title: 'CDR receivers: single-record posts at a fixed rate', command, size: `${rate} posts/s for ${seconds} s per case, ${connections} connections, ${customers} customers`,
      figures, notes: ['Load from a second process (autocannon); the server is `confbill serve` in a child process.'],
    }, null, 2)}\n`);
  }
  if (results.some((r) => r.answered200 !== r.storedOf200)) process.exitCode = 1;
}

await main();
