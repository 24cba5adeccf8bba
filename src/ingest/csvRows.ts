import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import type { IngestRecord } from './ingestRecord.ts';
import { unstorableTextReason } from './unstorableText.ts';

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

export interface CsvFields {
  kind: 'fields';
  line: number;
  /** The row as it stood in the file, without its line end. */
  raw: string;
  /** Each column's trimmed value by its header name. */
  fields: Record<string, string>;
}

/**
 * The first column of a row whose value confbill cannot store (a NUL byte: a damaged row), named by
 * its header, as the field and reason of a reject of the whole row.
 */
export function unstorableColumn(header: readonly string[], record: readonly string[]): { field: string; reason: string } | undefined {
  for (const [i, value] of record.entries()) {
    const problem = unstorableTextReason(value);
    if (problem) {
      const field = header[i] ?? `column ${i + 1}`;
      return { field, reason: `${field} ${problem}` };
    }
  }
  return undefined;
}

/**
 * The rows of a CSV whose first row names the columns, as fields by name. A header without the
 * required columns is one reject (with `hint` on what file was expected) and ends the file; a row
 * with another number of fields than the header, or with a NUL byte in a field, is a reject, and
 * reading goes on.
 */
export async function* readHeaderedCsv(input: Readable, requiredColumns: readonly string[], hint?: string): AsyncGenerator<CsvFields | RejectRecord> {
  let header: string[] | undefined;
  for await (const entry of readCsvRows(input)) {
    if (entry.kind === 'reject') {
      yield entry;
      continue;
    }
    const { record, line } = entry;
    const raw = entry.raw.trimEnd();
    if (!header) {
      header = record.map((h) => h.trim());
      const missing = requiredColumns.filter((c) => !header!.includes(c));
      if (missing.length) {
        yield { kind: 'reject', line, field: missing[0]!, reason: `the header row lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}${hint ? ` (${hint})` : ''}; no row of this file can be read`, raw };
        return;
      }
      continue;
    }
    if (record.length !== header.length) {
      yield { kind: 'reject', line, field: null, reason: `has ${record.length} fields where the header has ${header.length}`, raw };
      continue;
    }
    const unstorable = unstorableColumn(header, record);
    if (unstorable) {
      yield { kind: 'reject', line, ...unstorable, raw };
      continue;
    }
    yield { kind: 'fields', line, raw, fields: Object.fromEntries(header.map((h, i) => [h, record[i]!.trim()])) };
  }
}
