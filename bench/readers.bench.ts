// Every call-data reader on its own: records per second from an in-memory stream of N records
// (bench/readerInputs.ts), through the reader's public function as `confbill ingest` calls it (the
// format's default mapping, a source time zone, a domain lookup). No database. Target of issue 12:
// every reader ≥ 100,000 records/s.
//
//   node --import tsx bench/readers.bench.ts [--full] [--json FILE] [--only cms-xml,cucm-csv]
//                                            [--records N] [--digest]
//
// 100,000 records per reader (--full: 1,000,000). The input is generated before the clock starts.
// --digest prints, instead of timings, a SHA-256 of every reader's output on its generated input and
// on the repository's fixture files: the same digests before and after a change to a reader mean the
// same legs, rejects and exclusions.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { callDataFormatNamed, callDataFormats } from '../src/ingest/callDataFormats.ts';
import type { IngestRecord, ReaderOptions } from '../src/ingest/ingestRecord.ts';
import { benchArgs, benchCommand, figureAgainst, formatCount, writeBenchResult, type BenchFigure, type BenchResult } from './benchResult.ts';
import { readerFormats, readerInput } from './readerInputs.ts';

const TARGET = 100_000;
const repoDir = dirname(dirname(fileURLToPath(import.meta.url)));

/** The reader options of an ingest from a configured source in Oslo whose customers own two domains. */
function readerOptions(format: string): ReaderOptions {
  const owners = new Map([['acme.example', 'acme'], ['customer.example', 'customer']]);
  return {
    file: 'bench',
    source: 'bench-1',
    timeZone: 'Europe/Oslo',
    mapping: callDataFormatNamed(format)!.defaultMapping,
    customerOfDomain: (domain) => owners.get(domain),
  };
}

interface Counted {
  calls: number;
  rejects: number;
  excluded: number;
  firstReject?: string;
}

async function readAll(format: string, chunks: Buffer[], onRecord?: (r: IngestRecord) => void): Promise<Counted> {
  const counted: Counted = { calls: 0, rejects: 0, excluded: 0 };
  for await (const record of callDataFormatNamed(format)!.reader(Readable.from(chunks), readerOptions(format))) {
    if (record.kind === 'call') counted.calls++;
    else if (record.kind === 'reject') {
      counted.rejects++;
      counted.firstReject ??= `${record.field ?? '?'}: ${record.reason}`;
    } else counted.excluded++;
    onRecord?.(record);
  }
  return counted;
}

/** The fixture files of the repository for a format (test/fixtures/<vendor>/…), read whole. */
function fixtureFiles(format: string): string[] {
  const dirs: Record<string, string> = { 'cms-xml': 'test/fixtures/cisco-cms/capture-2026-10-05', 'cucm-csv': 'test/fixtures/cisco-ucm', 'expressway-json': 'test/fixtures/cisco-expressway' };
  const dir = dirs[format];
  if (!dir) return [];
  const extension = format === 'cms-xml' ? '.xml' : format === 'cucm-csv' ? '.csv' : '.json';
  return readdirSync(join(repoDir, dir)).filter((f) => f.endsWith(extension)).sort().map((f) => join(repoDir, dir, f));
}

async function digests(formats: readonly string[], records: number): Promise<void> {
  for (const format of formats) {
    const hash = createHash('sha256');
    const onRecord = (r: IngestRecord): void => void hash.update(`${JSON.stringify(r)}\n`);
    await readAll(format, readerInput(format, records).chunks, onRecord);
    for (const file of fixtureFiles(format)) await readAll(format, [readFileSync(file)], onRecord);
    process.stdout.write(`${format.padEnd(16)} ${hash.digest('hex')} (${formatCount(records)} generated records, ${fixtureFiles(format).length} fixture files)\n`);
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const args = benchArgs(argv);
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1]!.split(',') : undefined;
  const recordsAt = argv.indexOf('--records');
  const records = recordsAt >= 0 ? Number(argv[recordsAt + 1]) : args.full ? 1_000_000 : 100_000;
  const missing = Object.keys(callDataFormats).filter((f) => !readerFormats.includes(f));
  const formats = Object.keys(callDataFormats).filter((f) => readerFormats.includes(f) && (!only || only.includes(f)));
  if (argv.includes('--digest')) return digests(formats, recordsAt >= 0 ? records : 20_000);

  const figures: BenchFigure[] = [];
  const notes: string[] = [];
  for (const format of formats) {
    const input = readerInput(format, records);
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const counted = await readAll(format, input.chunks);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    // CPU time of this process (every thread, the garbage collector's too): on a shared machine it
    // moves far less than the wall-clock time with what else runs.
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    if (counted.calls !== records) throw new Error(`${format}: ${formatCount(counted.calls)} legs from ${formatCount(records)} records (${counted.rejects} rejects, first: ${counted.firstReject ?? '—'}; ${counted.excluded} excluded).`);
    const perSecond = records / seconds;
    process.stdout.write(`${format.padEnd(16)} ${formatCount(perSecond).padStart(10)} records/s  (${formatCount(records)} records, ${(input.bytes / 1024 / 1024).toFixed(1)} MiB, ${seconds.toFixed(2)} s; ${formatCount(records / cpuSeconds)} records per CPU second)\n`);
    figures.push(figureAgainst({ figure: `${format} reader`, value: Math.round(perSecond), unit: 'records/s' }, { atLeast: TARGET }, '≥ 100,000 records/s'));
    figures.push({ figure: `${format} reader, per CPU second of the process`, value: Math.round(records / cpuSeconds), unit: 'records/s' });
    notes.push(`${format}: ${formatCount(records)} records, ${(input.bytes / 1024 / 1024).toFixed(1)} MiB, ${seconds.toFixed(2)} s (${cpuSeconds.toFixed(2)} s of CPU).`);
  }
  if (missing.length) notes.push(`No generated input for ${missing.join(', ')} (test/support/formatSamples.ts has no sample): not measured.`);
  const result: BenchResult = {
    name: 'readers',
    title: 'Every call-data reader on its own',
    command: benchCommand('readers', args.full) + (only ? ` --only ${only.join(',')}` : ''),
    size: `${formatCount(records)} records per reader, in memory (no database)`,
    figures,
    notes: [
      'Input: each format’s sample of test/support/formatSamples.ts with ids, start times and durations varied record by record (bench/readerInputs.ts); every record is one leg. Options as an ingest from a source in Europe/Oslo with the format’s default mapping.',
      ...notes,
    ],
  };
  writeBenchResult(args, result);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
