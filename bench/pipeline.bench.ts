// The pipeline benchmark of `npm run bench`: bench/run.ts (ingest, match + rate and the invoice run of
// a synthetic month on PGlite and, with DATABASE_URL, on PostgreSQL, next to a COPY of the same file
// into a table with the key of `calls`) run as it is, its figures turned into the benchmarks' JSON.
//
//   node --import tsx bench/pipeline.bench.ts [--full] [--json FILE]
//
// 100,000 legs for 100 customers; --full: 1,000,000 legs for 1,000 customers (issue 12's size).
// bench/run.ts reports only in Markdown (standard output); this script reads its tables, by row and
// column title, and keeps the Markdown as the section's details (inside bench/run.ts's own markers,
// so that a run of bench/run.ts alone still updates it).

import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchArgs, benchCommand, figureAgainst, formatCount, writeBenchResult, type BenchFigure, type BenchResult } from './benchResult.ts';

const benchDir = dirname(fileURLToPath(import.meta.url));

/** Issue 12's targets for the pipeline. */
const TARGET = { legsPerSecond: 100_000, copyRatio: 2, invoiceSeconds: 10 } as const;

interface MarkdownTable {
  header: string[];
  rows: string[][];
}

/** Every table of a Markdown text: its header cells and its rows' cells (the alignment line left out). */
export function markdownTables(text: string): MarkdownTable[] {
  const tables: MarkdownTable[] = [];
  let current: MarkdownTable | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) {
      current = undefined;
      continue;
    }
    const cells = line.replace(/^\|/, '').replace(/\|\s*$/, '').split('|').map((c) => c.trim());
    if (!current) {
      current = { header: cells, rows: [] };
      tables.push(current);
    } else if (!cells.every((c) => /^:?-+:?$/.test(c))) current.rows.push(cells);
  }
  return tables;
}

/** A figure of a table cell ("**1,234.5**", "30.3×"), or undefined ("—"). */
export function cellNumber(cell: string | undefined): number | undefined {
  const digits = cell?.replace(/[*,×\s]/g, '');
  return digits && /^-?\d+(\.\d+)?$/.test(digits) ? Number(digits) : undefined;
}

const databases = [
  { key: 'postgres', title: 'PostgreSQL' },
  { key: 'pglite', title: 'PGlite' },
] as const;

/** The figures of one bench/run.ts report, per database that ran. */
export function pipelineFigures(markdown: string, legs: number, full: boolean): { figures: BenchFigure[]; notes: string[] } {
  const tables = markdownTables(markdown);
  const phases = tables.find((t) => t.header[0] === 'phase');
  const throughput = tables.find((t) => t.header[0] === 'figure' && t.rows.some((r) => /peak RSS/.test(r[0]!)));
  if (!phases) throw new Error('bench/run.ts printed no table of phases.');
  const figures: BenchFigure[] = [];
  const notes: string[] = [];
  for (const db of databases) {
    const column = phases.header.indexOf(`${db.title} s`);
    if (column < 0) continue;
    const row = (pattern: RegExp): string[] | undefined => phases.rows.find((r) => pattern.test(r[0]!));
    const seconds = (pattern: RegExp): number | undefined => cellNumber(row(pattern)?.[column]);
    const copyRow = row(/COPY/);
    const copy = cellNumber(copyRow?.[column]);
    const ingest = seconds(/^ingest/);
    const billing = seconds(/^match \+ rate/);
    const invoice = seconds(/^invoice/);
    const endToEnd = seconds(/end-to-end/);
    const rss = cellNumber(throughput?.rows.find((r) => /peak RSS of the whole process/.test(r[0]!))?.[throughput.header.indexOf(db.title)]);
    if (ingest === undefined || billing === undefined) {
      notes.push(`${db.title}: bench/run.ts reported no ingest or match + rate time.`);
      continue;
    }
    const copyTitle = (copyRow?.[0] ?? 'COPY').replace(/\s*\(reference\)/, '');
    const reference = copy === undefined ? undefined : { figure: `${copyTitle}, ${db.title}`, value: copy, unit: 's' };
    figures.push({ figure: `${db.title}: ingest`, value: Math.round(legs / ingest), unit: 'legs/s' });
    if (db.key === 'postgres') {
      figures.push(figureAgainst({ figure: 'PostgreSQL: ingest + match + rate', value: Math.round(legs / (ingest + billing)), unit: 'legs/s', reference }, { atLeast: TARGET.legsPerSecond }, '≥ 100,000 legs/s'));
    } else {
      figures.push({ figure: `${db.title}: ingest + match + rate`, value: Math.round(legs / (ingest + billing)), unit: 'legs/s', reference });
    }
    if (copy !== undefined) {
      figures.push(figureAgainst({ figure: `${db.title}: ingest + match + rate time ÷ ${copyTitle} time`, value: Math.round(((ingest + billing) / copy) * 10) / 10, unit: '×', reference }, { atMost: TARGET.copyRatio }, '≤ 2×'));
    }
    if (invoice !== undefined) {
      const figure = { figure: `${db.title}: invoice run (all drafts of the month)`, value: invoice, unit: 's' };
      if (db.key !== 'postgres') figures.push(figure);
      else if (full) figures.push(figureAgainst(figure, { atMost: TARGET.invoiceSeconds }, '≤ 10 s'));
      else figures.push({ ...figure, target: '≤ 10 s at 1,000,000 legs (--full only)' });
    }
    if (endToEnd !== undefined) figures.push({ figure: `${db.title}: end-to-end (apply, ingest, match + rate, invoice)`, value: endToEnd, unit: 's' });
    if (rss !== undefined) figures.push({ figure: `${db.title}: peak RSS of the confbill process`, value: rss, unit: 'MiB' });
  }
  for (const line of markdown.split('\n')) {
    if (/skipped:|FAILED:/.test(line)) notes.push(line.replace(/^-\s*/, '').replace(/\*\*/g, ''));
    if (/databases (agree|DISAGREE)/.test(line)) notes.push(`Correctness table: ${line.replace(/\*\*/g, '')}`);
  }
  return { figures, notes };
}

function runPipeline(legs: number, customers: number): Promise<string> {
  const args = ['--import', 'tsx', join(benchDir, 'run.ts'), '--legs', String(legs), '--customers', String(customers), '--no-write'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: dirname(benchDir), stdio: ['ignore', 'pipe', 'inherit'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const text = Buffer.concat(out).toString('utf8');
      if (code === 0) resolve(text);
      else reject(new Error(`bench/run.ts ended with ${signal ? `signal ${signal}` : `exit code ${code}`}:\n${text}`));
    });
  });
}

async function main(argv: readonly string[]): Promise<void> {
  const args = benchArgs(argv);
  const legs = args.full ? 1_000_000 : 100_000;
  const customers = args.full ? 1_000 : 100;
  const markdown = (await runPipeline(legs, customers)).trim();
  process.stdout.write(`${markdown}\n`);
  const { figures, notes } = pipelineFigures(markdown, legs, args.full);
  const result: BenchResult = {
    name: 'pipeline',
    title: 'Pipeline: ingest, match + rate, invoice run',
    command: `${benchCommand('pipeline', args.full)} (runs: node --import tsx bench/run.ts --legs ${legs} --customers ${customers})`,
    size: `${formatCount(legs)} confbill-csv legs, ${formatCount(customers)} customers, one month`,
    figures,
    notes: [...notes, ...(process.env.DATABASE_URL ? [] : ['DATABASE_URL was not set: PGlite only.'])],
    // bench/run.ts's own markers: a run of bench/run.ts alone (without --no-write) replaces just this part.
    details: `The report of bench/run.ts:\n\n<!-- bench:start -->\n${markdown}\n<!-- bench:end -->`,
  };
  writeBenchResult(args, result);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
