// How long a CLI command on the embedded database takes, as a user waits for it: `confbill demo` into a
// temporary folder once, then `node bin/confbill.js …` timed as whole processes (start to exit), several
// runs each: median, min and max. Beside them, the parts of a start, each timed alone in its own
// process: Node itself (`node -e 0`), and opening the demo's embedded database (PGlite's start and the
// migrations check) and closing it again.
//
//   node --import tsx bench/cliLatency.bench.ts [--full] [--json FILE] [--runs N]
//
// Without --full 5 runs per command, with --full 15.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchFile = fileURLToPath(import.meta.url);
const repoDir = dirname(dirname(benchFile));
const log = (message: string): void => void process.stderr.write(`[cli] ${message}\n`);

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
};
const full = argv.includes('--full');
const runs = Number(option('runs') ?? (full ? 15 : 5));
const targetSeconds = 1;

/** Runs a process to its end; its wall time in seconds and its standard output. */
function timed(args: string[], env: NodeJS.ProcessEnv): Promise<{ seconds: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: repoDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.once('exit', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) reject(new Error(`node ${args.join(' ')} ended with ${code}: ${stderr.trim()}`));
      else resolve({ seconds, stdout });
    });
  });
}

interface Timing {
  name: string;
  command: string;
  median: number;
  min: number;
  max: number;
}

async function time(name: string, args: string[], env: NodeJS.ProcessEnv, command: string): Promise<Timing> {
  const seconds: number[] = [];
  for (let i = 0; i < runs; i++) seconds.push((await timed(args, env)).seconds);
  seconds.sort((a, b) => a - b);
  const t = { name, command, median: seconds[Math.floor(seconds.length / 2)]!, min: seconds[0]!, max: seconds[seconds.length - 1]! };
  log(`${name}: median ${t.median.toFixed(2)} s, min ${t.min.toFixed(2)} s, max ${t.max.toFixed(2)} s`);
  return t;
}

/** In a child of its own: opens the embedded database of a data folder and closes it; prints the times. */
async function openOnly(dataDir: string): Promise<void> {
  const started = performance.now();
  const { openDatabase } = await import('../src/services/openDatabase.ts');
  const imported = performance.now();
  const db = await openDatabase({ dataDir });
  const opened = performance.now();
  await db.close();
  const closed = performance.now();
  console.log(JSON.stringify({ importSeconds: (imported - started) / 1000, openSeconds: (opened - imported) / 1000, closeSeconds: (closed - opened) / 1000 }));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'confbill-bench-cli-'));
  const dataDir = join(dir, 'data');
  const env: NodeJS.ProcessEnv = { ...process.env, CONFBILL_DATA: dataDir };
  delete env.DATABASE_URL;
  const cli = join(repoDir, 'bin/confbill.js');
  try {
    const demo = await timed([cli, 'demo'], env);
    log(`demo in ${demo.seconds.toFixed(1)} s`);
    const invoices = JSON.parse((await timed([cli, 'invoice', 'list', '--json'], env)).stdout) as { id: string }[];
    const id = invoices[0]!.id;

    const timings: Timing[] = [];
    timings.push(await time('node alone (node -e 0)', ['-e', '0'], env, 'node -e 0'));
    timings.push(await time('confbill --help', [cli, '--help'], env, 'node bin/confbill.js --help'));
    timings.push(await time('confbill invoice list', [cli, 'invoice', 'list'], env, 'node bin/confbill.js invoice list'));
    timings.push(await time('confbill invoice show ID', [cli, 'invoice', 'show', id], env, 'node bin/confbill.js invoice show ID'));

    const opens: { importSeconds: number; openSeconds: number; closeSeconds: number }[] = [];
    for (let i = 0; i < runs; i++) opens.push(JSON.parse((await timed(['--import', 'tsx', benchFile, '--open-only', dataDir], env)).stdout));
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const open = { import: median(opens.map((o) => o.importSeconds)), open: median(opens.map((o) => o.openSeconds)), close: median(opens.map((o) => o.closeSeconds)) };
    log(`database alone (medians): import ${open.import.toFixed(2)} s, open + migrations check ${open.open.toFixed(2)} s, close ${open.close.toFixed(2)} s`);

    console.log(`CLI latency on the demo's embedded database (${runs} runs each, whole processes):\n`);
    console.log('| command | median s | min s | max s |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const t of timings) console.log(`| \`${t.command}\` | ${t.median.toFixed(2)} | ${t.min.toFixed(2)} | ${t.max.toFixed(2)} |`);
    console.log(`\nParts (medians, each in a process of its own): importing the database modules ${open.import.toFixed(2)} s, opening the demo's PGlite folder with the migrations check ${open.open.toFixed(2)} s, closing it ${open.close.toFixed(2)} s.`);

    const json = option('json');
    if (json) {
      const list = timings.find((t) => t.name === 'confbill invoice list')!;
      const result = {
        name: 'cliLatency',
        title: 'A CLI command on the embedded database (demo data)',
        command: `node --import tsx bench/cliLatency.bench.ts${full ? ' --full' : ''}`,
        size: `the demo (10 customers, a month of calls); ${runs} runs per command`,
        figures: [
          ...timings.map((t) => ({
            figure: `${t.command}, median of ${runs}`,
            value: Math.round(t.median * 1000) / 1000,
            unit: 's',
            ...(t === list ? { target: `≤ ${targetSeconds} s`, met: t.median <= targetSeconds } : {}),
          })),
          ...timings.map((t) => ({ figure: `${t.command}, max of ${runs}`, value: Math.round(t.max * 1000) / 1000, unit: 's' })),
          { figure: 'importing the database modules (median)', value: Math.round(open.import * 1000) / 1000, unit: 's' },
          { figure: 'opening the embedded database with the migrations check (median)', value: Math.round(open.open * 1000) / 1000, unit: 's' },
          { figure: 'closing the embedded database (median)', value: Math.round(open.close * 1000) / 1000, unit: 's' },
        ],
        notes: ['Wall time of whole processes, from spawn to exit, measured in Node; the parts are timed in processes of their own and overlap the commands\' times.'],
      };
      writeFileSync(json, JSON.stringify(result, null, 2) + '\n');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const openOnlyDir = option('open-only');
if (openOnlyDir) await openOnly(openOnlyDir);
else await main();
