// Writes the benchmark input: the provider configuration (the `confbill apply` file, as JSON) and a
// confbill-csv file of N synthetic legs, both derived from a fixed seed, into bench/out/.
//
//   node --import tsx bench/generateCalls.ts [--legs 1000000] [--customers 1000] [--seed 20261001] [--force]
//
// The CSV is streamed (a generator, written in ~1 MiB chunks with back-pressure), so a file of
// millions of legs never sits in memory. A finished pair is reused when its metadata file says it
// was made with the same parameters; the metadata is written last, so a half-written file is not.

import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { callsToCsvLines, syntheticCalls, syntheticConfig } from '../src/services/syntheticProvider.ts';

/** The month the synthetic calls fall in; invoices are generated for it. */
export const BENCH_MONTH = '2026-10';
/** The seed of every benchmark run, so that two runs bill the very same calls. */
export const BENCH_SEED = 20_261_001;
/** The source name of the synthetic legs. */
export const BENCH_SOURCE = 'bench-1';

export const benchOutDir = join(dirname(fileURLToPath(import.meta.url)), 'out');

export interface GenerateOptions {
  legs: number;
  customers: number;
  seed?: number;
  month?: string;
  outDir?: string;
  /** Write even when a finished file with the same parameters exists. */
  force?: boolean;
  log?: (message: string) => void;
}

export interface GeneratedFiles {
  configPath: string;
  csvPath: string;
  legs: number;
  customers: number;
  seed: number;
  month: string;
  /** Size of the CSV in bytes. */
  csvBytes: number;
  configBytes: number;
  /** Seconds spent generating (0 when reused). */
  seconds: number;
  reused: boolean;
}

interface Meta {
  legs: number;
  customers: number;
  seed: number;
  month: string;
  source: string;
  csvBytes: number;
  configBytes: number;
}

/** Joins the yielded lines into chunks of about `chunkBytes` characters, so the stream moves few, large buffers. */
function* chunked(lines: Iterable<string>, chunkBytes = 1 << 20): Generator<string> {
  let parts: string[] = [];
  let size = 0;
  for (const line of lines) {
    parts.push(line);
    size += line.length;
    if (size >= chunkBytes) {
      yield parts.join('');
      parts = [];
      size = 0;
    }
  }
  if (parts.length) yield parts.join('');
}

/** Writes (or reuses) the config JSON and the CSV for these parameters and says where they are. */
export async function generateBenchFiles(options: GenerateOptions): Promise<GeneratedFiles> {
  const seed = options.seed ?? BENCH_SEED;
  const month = options.month ?? BENCH_MONTH;
  const outDir = options.outDir ?? benchOutDir;
  const { legs, customers } = options;
  const log = options.log ?? (() => undefined);
  mkdirSync(outDir, { recursive: true });

  const base = `${month}-s${seed}`;
  const configPath = join(outDir, `config-${base}-c${customers}.json`);
  const csvPath = join(outDir, `calls-${base}-c${customers}-l${legs}.csv`);
  const metaPath = `${csvPath}.meta.json`;
  const wanted = { legs, customers, seed, month, source: BENCH_SOURCE };

  if (!options.force && existsSync(metaPath) && existsSync(csvPath) && existsSync(configPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Meta;
    const same = (Object.keys(wanted) as (keyof typeof wanted)[]).every((k) => meta[k] === wanted[k]);
    if (same && statSync(csvPath).size === meta.csvBytes && statSync(configPath).size === meta.configBytes) {
      log(`reusing ${relative(process.cwd(), csvPath)} (${mib(meta.csvBytes)} MiB) and ${relative(process.cwd(), configPath)}`);
      return { configPath, csvPath, legs, customers, seed, month, csvBytes: meta.csvBytes, configBytes: meta.configBytes, seconds: 0, reused: true };
    }
  }

  const started = performance.now();
  const config = syntheticConfig({ customers, seed, month });
  writeFileSync(configPath, JSON.stringify(config, null, 2) + '\n');
  const configBytes = statSync(configPath).size;

  // Written under a temporary name and renamed when complete.
  const partial = `${csvPath}.partial`;
  const calls = syntheticCalls({ config, legs, seed, month, source: BENCH_SOURCE });
  await pipeline(Readable.from(chunked(callsToCsvLines(calls)), { objectMode: false }), createWriteStream(partial));
  renameSync(partial, csvPath);
  const csvBytes = statSync(csvPath).size;
  const meta: Meta = { ...wanted, csvBytes, configBytes };
  writeFileSync(metaPath, JSON.stringify(meta, null, 2) + '\n');
  const seconds = (performance.now() - started) / 1000;
  log(`wrote ${relative(process.cwd(), csvPath)}: ${legs} legs, ${mib(csvBytes)} MiB in ${seconds.toFixed(1)} s; ${relative(process.cwd(), configPath)}: ${customers} customers, ${(configBytes / 1024).toFixed(0)} KiB`);
  return { configPath, csvPath, legs, customers, seed, month, csvBytes, configBytes, seconds, reused: false };
}

export function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** Reads `--name value` / `--name=value` from argv, else the environment variable, else the default. */
export function option(argv: readonly string[], name: string, env: string | undefined, fallback: string): string;
export function option(argv: readonly string[], name: string, env: string | undefined, fallback?: string): string | undefined;
export function option(argv: readonly string[], name: string, env: string | undefined, fallback?: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === `--${name}`) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value.`);
      return value;
    }
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return env ?? fallback;
}

/** A positive integer option; accepts `1_000_000` and `1e6`. */
export function integerOption(value: string, name: string): number {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} "${value}" is not a positive integer.`);
  return n;
}

async function main(argv: readonly string[]): Promise<void> {
  const legs = integerOption(option(argv, 'legs', process.env.BENCH_LEGS, '1000000'), 'legs');
  const customers = integerOption(option(argv, 'customers', process.env.BENCH_CUSTOMERS, '1000'), 'customers');
  const seed = integerOption(option(argv, 'seed', process.env.BENCH_SEED, String(BENCH_SEED)), 'seed');
  const files = await generateBenchFiles({ legs, customers, seed, force: argv.includes('--force'), log: (m) => console.log(m) });
  console.log(JSON.stringify({ configPath: files.configPath, csvPath: files.csvPath, csvBytes: files.csvBytes, csvMiB: Number(mib(files.csvBytes)), legs: files.legs, customers: files.customers, seed: files.seed, month: files.month }, null, 2));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
