// Peak-port sweep of one customer's month, as the invoice computes it (src/domain/computeInvoice.ts:
// each call's port occupancy, the per-minute peaks, the overage port-minutes over the covered days)
// and the usage report reads it (the highest peak). Target of issue 12: ≤ 1 s for 1,000,000 legs.
//
//   node --import tsx bench/peakPorts.bench.ts [--full] [--json FILE]     (100,000 legs; --full 1,000,000)
//
// The legs are seeded: starts spread over the month with a working-day profile, whole billed
// minutes of 1–6 (mostly short), so that ports overlap as at a busy customer (about 50–60 at the peak).
// The month's legs are built before the clock starts; the sweep is timed several times and the
// median is the figure (after two sweeps that pay the JIT warm-up).

import { highestPeak, overagePortMinutes, peakPortsPerMinute, portOccupancy, type InstantWindow } from '../src/domain/peakPorts.ts';
import { benchArgs, benchCommand, figureAgainst, formatCount, writeBenchResult, type BenchResult } from './benchResult.ts';

const MONTH_START = Date.parse('2026-10-01T00:00:00Z');
const MONTH_END = Date.parse('2026-11-01T00:00:00Z');
const PORTS = 10;
const WARM_UP = 2;
const RUNS = 5;

/** A rated call as the sweep reads it. */
interface RatedCall {
  startedAt: number;
  billedMinutes: number;
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `legs` calls in the month: most in working hours, whole seconds, billed 1–6 minutes. */
function monthOfCalls(legs: number, seed: number): RatedCall[] {
  const next = random(seed);
  const days = (MONTH_END - MONTH_START) / 86_400_000;
  const calls: RatedCall[] = new Array(legs);
  for (let i = 0; i < legs; i++) {
    const day = Math.floor(next() * days);
    // 60 % between 07:00 and 19:00 UTC, the rest at any time of day.
    const secondOfDay = next() < 0.6 ? 7 * 3600 + Math.floor(next() * 12 * 3600) : Math.floor(next() * 86_400);
    const minutes = 1 + Math.min(5, Math.floor(-Math.log(1 - next()) * 0.5));
    calls[i] = { startedAt: MONTH_START + day * 86_400_000 + secondOfDay * 1000, billedMinutes: minutes };
  }
  return calls;
}

/** What computeInvoice and monthlyUsage do with a customer's rated calls of the month. */
function sweep(calls: readonly RatedCall[], windows: readonly InstantWindow[]): { overage: number; peak: number; runs: number } {
  const runs = peakPortsPerMinute(calls.map(portOccupancy));
  return { overage: overagePortMinutes(runs, PORTS, windows), peak: highestPeak(runs, windows), runs: runs.length };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(argv: readonly string[]): Promise<void> {
  const args = benchArgs(argv);
  const legs = args.full ? 1_000_000 : 100_000;
  const calls = monthOfCalls(legs, 20_261_001);
  const windows: InstantWindow[] = [{ start: MONTH_START, end: MONTH_END }];
  const seconds: number[] = [];
  // CPU time of the process (the garbage collector's threads too): on a shared machine it moves far less than the wall clock.
  const cpuSeconds: number[] = [];
  let outcome: ReturnType<typeof sweep> | undefined;
  for (let run = 0; run < WARM_UP + RUNS; run++) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const result = sweep(calls, windows);
    const cpu = process.cpuUsage(cpuStarted);
    if (run >= WARM_UP) {
      seconds.push((performance.now() - started) / 1000);
      cpuSeconds.push((cpu.user + cpu.system) / 1e6);
    }
    if (outcome && (outcome.overage !== result.overage || outcome.peak !== result.peak)) throw new Error('Two sweeps of the same calls disagree.');
    outcome = result;
  }
  const figure = median(seconds);
  const perMillion = (figure * 1_000_000) / legs;
  const result: BenchResult = {
    name: 'peakPorts',
    title: 'Peak-port sweep of one customer’s month',
    command: benchCommand('peakPorts', args.full),
    size: `${formatCount(legs)} legs of one customer in 2026-10 (median of ${RUNS} sweeps after ${WARM_UP} to warm up)`,
    figures: [
      args.full
        ? figureAgainst({ figure: `sweep of ${formatCount(legs)} legs (occupancy, per-minute peaks, overage, highest peak)`, value: round(figure, 3), unit: 's' }, { atMost: 1 }, '≤ 1 s')
        : { figure: `sweep of ${formatCount(legs)} legs (occupancy, per-minute peaks, overage, highest peak)`, value: round(figure, 3), unit: 's', target: '≤ 1 s at 1,000,000 legs (--full only)' },
      { figure: 'CPU time of the sweep (median)', value: round(median(cpuSeconds), 3), unit: 's' },
      { figure: 'sweep time per million legs', value: round(perMillion, 3), unit: 's' },
      { figure: 'legs per second', value: Math.round(legs / figure), unit: 'legs/s' },
      { figure: 'highest per-minute peak (the overlap of the input)', value: outcome!.peak, unit: 'ports' },
      { figure: `overage port-minutes over a pool of ${PORTS}`, value: outcome!.overage, unit: 'port-minutes' },
    ],
    notes: [`Every sweep: ${seconds.map((s) => s.toFixed(3)).join(', ')} s; ${formatCount(outcome!.runs)} runs of equal peak.`],
  };
  process.stdout.write(`${result.title}: ${formatCount(legs)} legs in ${figure.toFixed(3)} s (median of ${seconds.map((s) => s.toFixed(3)).join(', ')}; CPU ${median(cpuSeconds).toFixed(3)} s); peak ${outcome!.peak} ports, overage ${outcome!.overage} port-minutes over ${PORTS}\n`);
  writeBenchResult(args, result);
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
