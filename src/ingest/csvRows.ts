import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import type { IngestRecord } from './ingestRecord.ts';

export interface CsvRow {
  kind: 'row';
  line: number;
  record: string[];
  /** The row as it stood in the file, kept whole in rejects. */
  raw: string;
}

type RejectRecord = Extract<IngestRecord, { kind: 'reject' }>;

/**
 * The rows of a CSV stream (RFC 4180, BOM tolerated, empty lines skipped) one at a time, in file
 * order, with their line numbers. A row that CSV itself cannot read (a stray quote) comes out as a
 * reject at its place, and reading goes on: the shared first step of every CSV adapter.
 */
export async function* readCsvRows(input: Readable): AsyncGenerator<CsvRow | RejectRecord> {
  const skipped: RejectRecord[] = [];
  const parser = input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_error: true, info: true, raw: true }));
  parser.on('skip', (error: Error & { lines?: number; record?: string[] }) => {
    skipped.push({ kind: 'reject', line: error.lines ?? null, field: null, reason: `unreadable CSV: ${error.message}`, raw: error.record?.join(',') ?? '' });
  });
  for await (const entry of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) {
    while (skipped.length) yield skipped.shift()!;
    yield { kind: 'row', line: entry.info.lines, record: entry.record, raw: entry.raw };
  }
  while (skipped.length) yield skipped.shift()!;
}
