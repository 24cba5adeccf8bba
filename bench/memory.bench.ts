// Memory flat in the file size (issue 12): the peak RSS of the `confbill ingest` process (the product
// path: ingest, then match + rate) on a generated confbill-csv file, on PostgreSQL and on PGlite.
//
//   node --import tsx bench/memory.bench.ts [--full] [--json FILE] [--only pglite|postgres] [--legs N]
//
// Without --full: 200,000 legs (about 28 MiB of CSV: `npm run bench` stays a few minutes); with --full: 10,000,000 legs (about
// 1.4 GiB, written to bench/out/ and reused by later runs; delete it after). 1,000 customers either
// way (--legs N: another size, for a quick try). PostgreSQL runs when DATABASE_URL is set, in a fresh database confbill_membench_<pid> made and
// dropped on that server; PGlite in a fresh temporary folder. Each database gets `confbill apply` of
// the configuration first, then `confbill ingest FILE` in a child process whose peak RSS is the
// kernel's high-water mark (VmHWM of /proc/<pid>/status), read every 50 ms while it runs: the mark
// never falls, so the last reading holds every earlier peak (only a new peak in the last 50 ms
// could be missed). It is the Node process's own: PGlite's WebAssembly PostgreSQL is in it, the
// PostgreSQL server's processes are not.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_SEED, generateBenchFiles, integerOption, option } from './generateCalls.ts';
import { freshPostgresDatabase } from './ratedBenchDatabase.ts';

const repoDir = dirname(dirname(fileURLToPath(import.meta.url)));
const cliPath = join(repoDir, 'bin', 'confbill.js');
const customers = 1000;
/** The clock of the run: the month of the calls is over, as in the pipeline benchmark. */
const now = '2026-12-01T00:00:00Z';
const targets = { postgres: 300, pglite: 1000 } as const;
const dbTitle = { postgres: 'PostgreSQL', pglite: 'PGlite' } as const;

interface Figure {
  figure: string;
  value: number;
  unit: string;
  target?: string;
  met?: boolean;
}

interface ChildRun {
  status: number | null;
  seconds: number;
  peakBytes: number;
  stdout: string;
  stderr: string;
}

function highWaterMark(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined; // the process has ended
  }
}

/** Runs the CLI with `args` and measures its wall time and its peak RSS. */
function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cliPath, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let peakBytes = 0;
    const sample = (): void => {
      const bytes = child.pid === undefined ? undefined : highWaterMark(child.pid);
      if (bytes !== undefined) peakBytes = Math.max(peakBytes, bytes);
    };
    const sampler = setInterval(sample, 50);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (error) => {
      clearInterval(sampler);
      reject(error);
    });
    child.on('exit', (status) => {
      clearInterval(sampler);
      resolve({ status, seconds: (performance.now() - started) / 1000, peakBytes, stdout, stderr });
    });
  });
}

/** A fresh empty database of this kind, the CLI's environment for it, and its removal. */
async function freshDatabase(kind: 'postgres' | 'pglite'): Promise<{ env: NodeJS.ProcessEnv; drop: () => Promise<void> }> {
  const base: NodeJS.ProcessEnv = { ...process.env, CONFBILL_NOW: now, CONFBILL_USER: 'bench' };
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'confbill-membench-'));
    delete base.DATABASE_URL;
    return { env: { ...base, CONFBILL_DATA: join(dir, 'data') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const fresh = await freshPostgresDatabase(process.env.DATABASE_URL!, `confbill_membench_${process.pid}`);
  return { env: { ...base, DATABASE_URL: fresh.url }, drop: fresh.drop };
}

const mb = (bytes: number): number => Math.round(bytes / 1e5) / 10;

async function measure(kind: 'postgres' | 'pglite', files: { csvPath: string; configPath: string }, legs: number): Promise<Figure[]> {
  const { env, drop } = await freshDatabase(kind);
  try {
    const applied = await runCli(['apply', files.configPath], env);
    if (applied.status !== 0) throw new Error(`confbill apply failed on ${kind}: ${applied.stderr || applied.stdout}`);
    const ingested = await runCli(['ingest', '--format', 'confbill-csv', files.csvPath], env);
    if (ingested.status !== 0) throw new Error(`confbill ingest failed on ${kind}: ${ingested.stderr || ingested.stdout}`);
    process.stderr.write(`[memory] ${kind}: ${ingested.stdout.trim().split('\n')[0]}\n`);
    const peak = mb(ingested.peakBytes);
    const target = targets[kind];
    return [
      { figure: `peak RSS of \`confbill ingest\` (ingest + match + rate), ${dbTitle[kind]}`, value: peak, unit: 'MB', target: `≤ ${target} MB for 10,000,000 legs`, met: legs >= 10_000_000 ? peak <= target : undefined },
      { figure: `time of \`confbill ingest\`, ${dbTitle[kind]}`, value: Math.round(ingested.seconds * 10) / 10, unit: 's' },
      { figure: `legs per second of \`confbill ingest\`, ${dbTitle[kind]}`, value: Math.round(legs / ingested.seconds), unit: 'legs/s' },
    ];
  } finally {
    await drop();
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const full = argv.includes('--full');
  const legs = integerOption(option(argv, 'legs', undefined, full ? '10000000' : '200000'), 'legs');
  const jsonPath = option(argv, 'json', undefined);
  const only = option(argv, 'only', undefined);
  const files = await generateBenchFiles({ legs, customers, seed: BENCH_SEED, log: (m) => process.stderr.write(`[memory] ${m}\n`) });
  const kinds = (['postgres', 'pglite'] as const).filter((k) => !only || only === k);
  const figures: Figure[] = [];
  const notes: string[] = [
    'Peak RSS: VmHWM of the confbill process, read every 50 ms; PGlite\'s WebAssembly PostgreSQL is in the process, the PostgreSQL server\'s processes are not.',
    `Input: ${legs.toLocaleString('en-US')} legs for ${customers} customers, seed ${BENCH_SEED}; confbill apply of the configuration first, not measured.`,
  ];
  for (const kind of kinds) {
    if (kind === 'postgres' && !process.env.DATABASE_URL) {
      notes.push('PostgreSQL skipped: DATABASE_URL is not set.');
      continue;
    }
    figures.push(...(await measure(kind, files, legs)));
  }
  const command = `node --import tsx bench/memory.bench.ts${full ? ' --full' : ''}${argv.includes('--legs') ? ` --legs ${legs}` : ''}`;
  const result = { name: 'memory', title: 'Memory flat in the file size: peak RSS of confbill ingest', command, size: `${legs.toLocaleString('en-US')} legs`, figures, notes };
  for (const f of figures) console.log(`${f.figure}: ${f.value.toLocaleString('en-US')} ${f.unit}${f.target ? ` (target ${f.target}: ${f.met === undefined ? 'judged at that size only' : f.met ? 'met' : 'NOT met'})` : ''}`);
  for (const n of notes) console.log(`  ${n}`);
  if (jsonPath) writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`memory bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
