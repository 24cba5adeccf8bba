// The result of one benchmark script, as every `bench/<name>.bench.ts` writes it with `--json FILE`
// and as bench/runAll.ts collects it into BENCHMARKS.md (the convention of issue 12):
//
//   node --import tsx bench/<name>.bench.ts [--full] [--json FILE]
//
// Without --full a benchmark runs at a size that takes well under a minute; with --full at the size
// of the target.

import { writeFileSync } from 'node:fs';

/** A figure measured in the same run, to read the figure against (e.g. a keyed COPY of the same file). */
export interface BenchReference {
  figure: string;
  value: number;
  unit: string;
}

export interface BenchFigure {
  figure: string;
  value: number;
  unit: string;
  /** The target, as text ("≥ 100,000 records/s"). */
  target?: string;
  reference?: BenchReference;
  /** Whether the target was met (only with a target). */
  met?: boolean;
}

export interface BenchResult {
  /** The file's name without `.bench.ts`: the key of its BENCHMARKS.md section. */
  name: string;
  title: string;
  /** The command that reproduces the figures. */
  command: string;
  /** The size of the run, in words ("100,000 records per reader"). */
  size: string;
  figures: BenchFigure[];
  notes?: string[];
  /** Markdown shown below the figures in BENCHMARKS.md (e.g. the pipeline's tables per phase); optional. */
  details?: string;
}

/** `--full` and `--json FILE` of a benchmark's command line. */
export interface BenchArgs {
  full: boolean;
  json?: string;
}

export function benchArgs(argv: readonly string[]): BenchArgs {
  const i = argv.indexOf('--json');
  const json = i >= 0 ? argv[i + 1] : undefined;
  if (i >= 0 && (json === undefined || json.startsWith('--'))) throw new Error('--json needs a file name.');
  return { full: argv.includes('--full'), json };
}

/** The command line that reproduces a benchmark at the size it ran. */
export function benchCommand(name: string, full: boolean): string {
  return `node --import tsx bench/${name}.bench.ts${full ? ' --full' : ''}`;
}

/** Writes the result where `--json` asked (nothing without it). */
export function writeBenchResult(args: BenchArgs, result: BenchResult): void {
  if (args.json) writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
}

/** A figure against an upper (`at most`) or lower (`at least`) bound, with the target text and whether it was met. */
export function figureAgainst(figure: Omit<BenchFigure, 'target' | 'met'>, bound: { atLeast?: number; atMost?: number }, target: string): BenchFigure {
  const met = (bound.atLeast === undefined || figure.value >= bound.atLeast) && (bound.atMost === undefined || figure.value <= bound.atMost);
  return { ...figure, target, met };
}

/** Thousands separated, as the issue writes them. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
