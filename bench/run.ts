// `npm run bench`: ingest + match + rate + invoice of synthetic legs on PGlite and on PostgreSQL, with
// a keyed COPY of the same CSV file (a table with the unique key of `calls`), timed in the same run, as the reference.
//
//   npm run bench -- [--legs 1000000] [--customers 1000] [--only pglite|postgres] [--seed N]
//                    [--no-write] [--sql-profile] [--cpu-prof]
//   (or BENCH_LEGS, BENCH_CUSTOMERS, BENCH_ONLY, BENCH_SEED)
//
// PostgreSQL runs when DATABASE_URL is set: a fresh database confbill_bench_<pid> is created on that
// server and dropped at the end; the database of DATABASE_URL itself is never used. PGlite runs in a
// fresh temporary folder. Each database runs in its own child process (bench/runOne.ts) so that the
// peak RSS is per database, and runs a copy of src/ taken at the start, so that edits made meanwhile
// cannot make the two databases run different code. The figures are printed and written into
// BENCHMARKS.md (unless --no-write).
//
// --sql-profile logs, per phase, the time spent in SQL and the slowest statements; --cpu-prof writes a V8
// CPU profile of each database run to bench/out/cpuprof/ (both to find bottlenecks).

import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { benchOutDir, generateBenchFiles, integerOption, option, BENCH_SEED, type GeneratedFiles } from './generateCalls.ts';
import { changedFiles, stderrLogger, treeFingerprint, treeHashes, type ChildMessage } from './measure.ts';
import { renderSection, writeBenchmarksFile, type RunContext, type RunOutcome } from './report.ts';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoDir = dirname(benchDir);
const log = stderrLogger('bench');

/** Cleanups still to run (a database to drop, a folder to remove), also on Ctrl-C. */
const cleanups = new Set<() => Promise<void>>();

async function runCleanups(): Promise<void> {
  for (const cleanup of [...cleanups]) {
    cleanups.delete(cleanup);
    await cleanup().catch((error: unknown) => log(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`));
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void runCleanups().finally(() => process.exit(130));
  });
}

async function withAdminClient<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty PostgreSQL database on the server of `databaseUrl`, and its cleanup. */
async function freshPostgresDatabase(databaseUrl: string): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const base = new URL(databaseUrl);
  const name = `confbill_bench_${process.pid}`;
  if (base.pathname.replace(/^\//, '') === name) throw new Error(`DATABASE_URL already names ${name}.`);
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const url = new URL(base);
  url.pathname = `/${name}`;
  await withAdminClient(admin.href, (c) => c.query(`CREATE DATABASE ${name}`));
  const drop = (): Promise<void> => withAdminClient(admin.href, async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
  return { url: url.href, name, drop };
}

/** Runs bench/runOne.ts in a child process and collects its phases and result. */
interface CodeSnapshot {
  /** The copy's root: src/, bench/*.ts, package.json, tsconfig.json and a link to node_modules. */
  dir: string;
  /** `git describe` of the working tree when the copy was taken. */
  version: string;
  hashes: Map<string, string>;
}

/**
 * Copies src/ and bench/ aside at the start, and every database runs that copy: other people edit
 * src/ while a run of several minutes goes on, and both databases must run the same code.
 */
function snapshotCode(): CodeSnapshot {
  const dir = mkdtempSync(join(tmpdir(), 'confbill-bench-code-'));
  cpSync(join(repoDir, 'src'), join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'bench'));
  for (const f of readdirSync(benchDir)) if (f.endsWith('.ts')) cpSync(join(benchDir, f), join(dir, 'bench', f));
  for (const f of ['package.json', 'tsconfig.json']) cpSync(join(repoDir, f), join(dir, f));
  symlinkSync(join(repoDir, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const commit = shell('git', ['rev-parse', '--short', 'HEAD']);
  const dirty = commit ? shell('git', ['status', '--porcelain', '--', 'src']) : undefined;
  const version = commit ? `commit ${commit}${dirty ? ' with uncommitted changes in src/' : ''}` : 'not a git checkout';
  return { dir, version, hashes: treeHashes(join(dir, 'src')) };
}

function runChild(code: CodeSnapshot, db: RunOutcome['db'], files: GeneratedFiles, extraArgs: string[], env: NodeJS.ProcessEnv, nodeArgs: string[]): Promise<RunOutcome> {
  const outcome: RunOutcome = { db, phases: [] };
  const started = performance.now();
  const args = [
    ...nodeArgs, '--import', 'tsx', join(code.dir, 'bench', 'runOne.ts'),
    '--db', db, '--config', files.configPath, '--csv', files.csvPath, '--legs', String(files.legs), '--customers', String(files.customers),
    ...extraArgs,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: repoDir, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'phase') outcome.phases.push(message.phase);
      else if (message.type === 'result') outcome.result = message.result;
      else outcome.error = message.message;
    });
    child.on('error', (error) => {
      outcome.error = error.message;
    });
    child.on('exit', (code, signal) => {
      outcome.wallSeconds = (performance.now() - started) / 1000;
      if (!outcome.result && !outcome.error) outcome.error = `the child process ended with ${signal ? `signal ${signal}` : `exit code ${code}`} before reporting a result`;
      resolve(outcome);
    });
  });
}

function shell(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { cwd: repoDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Which code ran: the snapshot taken at the start, and whether the working tree moved on meanwhile. */
function describeCode(code: CodeSnapshot, outcomes: readonly RunOutcome[]): string {
  const ran = [...new Set(outcomes.flatMap((o) => (o.result ? [o.result.srcFingerprint] : [])))];
  const fingerprint = treeFingerprint(code.hashes);
  const mismatch = ran.some((f) => f !== fingerprint) ? ' **(a database reported another fingerprint!)**' : '';
  const changed = changedFiles(code.hashes, treeHashes(join(repoDir, 'src')));
  const later = changed.length === 0
    ? ''
    : `; src/ changed in the working tree during the run (${changed.slice(0, 4).map((f) => `src/${f}`).join(', ')}${changed.length > 4 ? ` and ${changed.length - 4} more` : ''}), the run used the copy`;
  return `${code.version} at the start; every database ran a copy of src/ taken then (fingerprint ${fingerprint})${mismatch}${later}`;
}

function describeSoftware(outcomes: readonly RunOutcome[]): string {
  const pglite = (JSON.parse(readFileSync(join(repoDir, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')) as { version: string }).version;
  const pgVersion = outcomes.find((o) => o.db === 'postgres')?.result?.version.match(/^PostgreSQL [\d.]+/)?.[0];
  return [
    `Node ${process.version}`,
    `PGlite ${pglite}`,
    pgVersion ? `${pgVersion} server on the same machine (default settings: fsync and synchronous_commit on)` : undefined,
  ].filter(Boolean).join(', ');
}

async function main(argv: readonly string[]): Promise<void> {
  const legs = integerOption(option(argv, 'legs', process.env.BENCH_LEGS, '1000000'), 'legs');
  const customers = integerOption(option(argv, 'customers', process.env.BENCH_CUSTOMERS, '1000'), 'customers');
  const seed = integerOption(option(argv, 'seed', process.env.BENCH_SEED, String(BENCH_SEED)), 'seed');
  const only = option(argv, 'only', process.env.BENCH_ONLY);
  if (only !== undefined && only !== 'pglite' && only !== 'postgres') throw new Error(`--only "${only}": expected pglite or postgres.`);
  const write = !argv.includes('--no-write');
  const date = new Date();

  const files = await generateBenchFiles({ legs, customers, seed, log });
  const outcomes: RunOutcome[] = [];
  const code = snapshotCode();
  const removeSnapshot = async (): Promise<void> => rmSync(code.dir, { recursive: true, force: true });
  cleanups.add(removeSnapshot);
  log(`code: ${code.version}, copied to ${code.dir}`);
  const passOn = argv.includes('--sql-profile') ? ['--sql-profile'] : [];
  // --cpu-prof: each child writes a V8 CPU profile (open it in Chrome DevTools or speedscope).
  const nodeArgs = argv.includes('--cpu-prof') ? ['--cpu-prof', `--cpu-prof-dir=${join(benchOutDir, 'cpuprof')}`] : [];
  const { DATABASE_URL: databaseUrl, ...envWithoutUrl } = process.env;

  for (const db of ['pglite', 'postgres'] as const) {
    if (only && only !== db) continue;
    if (db === 'pglite') {
      const dataDir = mkdtempSync(join(tmpdir(), 'confbill-bench-pglite-'));
      const remove = async (): Promise<void> => rmSync(dataDir, { recursive: true, force: true });
      cleanups.add(remove);
      log(`PGlite in ${dataDir}`);
      outcomes.push(await runChild(code, db, files, ['--data-dir', dataDir, ...passOn], envWithoutUrl, nodeArgs));
      cleanups.delete(remove);
      await remove();
    } else {
      if (!databaseUrl) {
        const skipped = 'DATABASE_URL is not set (e.g. `source /tmp/pgenv` or `DATABASE_URL=postgres://… npm run bench`).';
        log(`PostgreSQL skipped: ${skipped}`);
        outcomes.push({ db, phases: [], skipped });
        continue;
      }
      const fresh = await freshPostgresDatabase(databaseUrl);
      cleanups.add(fresh.drop);
      log(`PostgreSQL in the fresh database ${fresh.name}`);
      outcomes.push(await runChild(code, db, files, passOn, { ...envWithoutUrl, BENCH_DATABASE_URL: fresh.url }, nodeArgs));
      cleanups.delete(fresh.drop);
      await fresh.drop();
    }
    const last = outcomes[outcomes.length - 1]!;
    if (last.error) log(`${db} FAILED: ${last.error}`);
  }

  const cpuList = cpus();
  const ctx: RunContext = {
    date,
    legs,
    customers,
    seed,
    month: files.month,
    csvBytes: files.csvBytes,
    generateSeconds: files.seconds,
    machine: `${cpuList.length} cores (${cpuList[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, Linux ${release()}`,
    software: describeSoftware(outcomes),
    code: describeCode(code, outcomes),
  };
  const section = renderSection(ctx, outcomes);
  process.stdout.write(`\n${section}\n`);
  if (write) {
    writeBenchmarksFile(join(repoDir, 'BENCHMARKS.md'), section);
    log('wrote BENCHMARKS.md');
  }
  if (outcomes.some((o) => o.error)) process.exitCode = 1;
}

main(process.argv.slice(2))
  .catch((error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  })
  .finally(() => runCleanups());
