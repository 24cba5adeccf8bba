// Phase timing and peak memory for the benchmark, and the result shapes that bench/runOne.ts sends to
// bench/run.ts.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One timed phase of one database run. */
export interface PhaseResult {
  name: PhaseName;
  seconds: number;
  /** Highest resident set size of the Node process during the phase, MiB. */
  peakRssMiB: number;
  /** Resident set size when the phase ended, MiB. */
  endRssMiB: number;
}

export type PhaseName = 'open' | 'copy-reference' | 'apply' | 'ingest' | 'match+rate' | 'invoice';

/** The phases of the product path, whose sum is the end-to-end time. */
export const productPhases: readonly PhaseName[] = ['apply', 'ingest', 'match+rate', 'invoice'];

export interface CurrencyTotal {
  currency: string;
  invoices: number;
  /** Exact decimal sum of the invoice totals, summed by the database. */
  total: string;
}

export interface DbRunResult {
  db: 'pglite' | 'postgres';
  /** `SELECT version()` of the database. */
  version: string;
  legs: number;
  customers: number;
  phases: PhaseResult[];
  /** How the keyed COPY reference was loaded (one stream, or in chunks). */
  copyMethod: string;
  copyRows: number;
  ingest: { read: number; new: number; updated: number; unchanged: number; conflicts: number; rejected: number };
  /** Match status of the stored calls at the end, counted in the database (matching may happen in ingest or in runBilling). */
  match: { matched: number; noCustomer: number; ambiguous: number; pending: number };
  rating: { customers: number; items: number; noPlanCalls: number };
  invoices: { count: number; lines: number; byCurrency: CurrencyTotal[] };
  counts: { calls: number; billingItems: number; invoicedItems: number };
  /** Size of the database (PostgreSQL: pg_database_size; PGlite: its data folder), MiB. */
  dbSizeMiB: number;
  /** Peak RSS of the whole child process (getrusage maxrss), MiB. */
  peakRssMiB: number;
  /** The split of `match+rate` from runBilling's progress calls: seconds until the last matching page, and after it. */
  matchSeconds?: number;
  rateSeconds?: number;
  /** Fingerprint of the files under src/ when the run started. */
  srcFingerprint: string;
}

/** Messages from the child process. */
export type ChildMessage =
  | { type: 'phase'; phase: PhaseResult }
  | { type: 'result'; result: DbRunResult }
  | { type: 'error'; message: string; stack?: string };

const MiB = 1024 * 1024;

export function toMiB(bytes: number): number {
  return Math.round((bytes / MiB) * 10) / 10;
}

/** Peak RSS of this process since it started, bytes (Linux reports maxrss in KiB). */
function maxRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * Times phases and keeps the peak RSS of each. RSS is sampled every 100 ms; because a long
 * synchronous call (PGlite runs PostgreSQL in WebAssembly on the main thread) starves the sampler,
 * the kernel's high-water mark is read too: when it rose during a phase, the phase reached it.
 */
export class PhaseMeter {
  private samplePeak = 0;
  private readonly timer: ReturnType<typeof setInterval>;
  readonly phases: PhaseResult[] = [];

  constructor(private readonly onPhase: (phase: PhaseResult) => void = () => undefined) {
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
  }

  private sample(): number {
    const rss = process.memoryUsage.rss();
    if (rss > this.samplePeak) this.samplePeak = rss;
    return rss;
  }

  async phase<T>(name: PhaseName, work: () => Promise<T>): Promise<T> {
    this.samplePeak = 0;
    this.sample();
    const maxBefore = maxRss();
    const started = performance.now();
    const value = await work();
    const seconds = (performance.now() - started) / 1000;
    const endRss = this.sample();
    const maxAfter = maxRss();
    const peak = maxAfter > maxBefore ? Math.max(maxAfter, this.samplePeak) : this.samplePeak;
    const result: PhaseResult = { name, seconds: Math.round(seconds * 1000) / 1000, peakRssMiB: toMiB(peak), endRssMiB: toMiB(endRss) };
    this.phases.push(result);
    this.onPhase(result);
    return value;
  }

  /** Peak RSS of the whole process so far, MiB. */
  processPeakMiB(): number {
    return toMiB(Math.max(maxRss(), this.samplePeak));
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export interface SqlStat {
  statement: string;
  calls: number;
  seconds: number;
}

/** Accumulated time per SQL statement, grouped by its first characters (for --sql-profile). */
export class SqlProfile {
  private readonly stats = new Map<string, { calls: number; ms: number }>();

  async time<T>(text: string, work: () => Promise<T>): Promise<T> {
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 110);
    const started = performance.now();
    try {
      return await work();
    } finally {
      const stat = this.stats.get(key) ?? { calls: 0, ms: 0 };
      stat.calls++;
      stat.ms += performance.now() - started;
      this.stats.set(key, stat);
    }
  }

  /** The statements by total time, and resets the counters. */
  take(): SqlStat[] {
    const out = [...this.stats].map(([statement, s]) => ({ statement, calls: s.calls, seconds: s.ms / 1000 })).sort((a, b) => b.seconds - a.seconds);
    this.stats.clear();
    return out;
  }
}

/** A logger to standard error with the seconds since `start`, for following a long run. */
export function stderrLogger(prefix: string): (message: string) => void {
  const start = performance.now();
  return (message) => {
    const t = ((performance.now() - start) / 1000).toFixed(1).padStart(7);
    process.stderr.write(`[${prefix} ${t}s] ${message}\n`);
  };
}

/** Calls `log` at most every `everyMs` milliseconds (and always when `force`). */
export function throttled(log: (message: string) => void, everyMs: number): (message: string, force?: boolean) => void {
  let last = 0;
  return (message, force = false) => {
    const now = performance.now();
    if (force || now - last >= everyMs) {
      last = now;
      log(message);
    }
  };
}

/** The files under `dir` (relative paths) with a short hash of each, in name order. */
export function treeHashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.set(relative(dir, path), createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16));
    }
  };
  walk(dir);
  return out;
}

/** One hash of every file under `dir`: tells whether src/ changed between or during runs. */
export function treeFingerprint(dir: string | Map<string, string>): string {
  const hashes = typeof dir === 'string' ? treeHashes(dir) : dir;
  const hash = createHash('sha256');
  for (const [path, h] of hashes) hash.update(`${path}\0${h}\0`);
  return hash.digest('hex').slice(0, 12);
}

/** The paths that differ between two `treeHashes` (changed, added or removed). */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths].filter((p) => before.get(p) !== after.get(p)).sort();
}
