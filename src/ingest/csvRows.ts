import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
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

/** The options of csv-parse for every CSV adapter. */
const csvParseOptions = { bom: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_error: true, info: true, raw: true } as const;

/**
 * The rows of a CSV stream (RFC 4180, BOM tolerated, empty lines skipped) one at a time, in file
 * order, with their line numbers. A row that CSV itself cannot read (a stray quote) comes out as a
 * reject at its place, and reading goes on: the shared first step of every CSV adapter.
 *
 * Rows that are plain — one line, fields unquoted or quoted without a line break inside, lines ending
 * all in \n or all in \r\n — are split here (csv-parse costs several microseconds a row, more than
 * the rest of a reader). From the first row that is not plain (or a BOM) on, the rest of the stream
 * goes to csv-parse as before, told the line end and the lines already read, so the rows, line
 * numbers, raw texts and rejects are those csv-parse gives for the whole file.
 */
export async function* readCsvRows(input: Readable): AsyncGenerator<CsvRow | RejectRecord> {
  const chunks = (input as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  let buffer: Buffer = Buffer.alloc(0);
  /** Where the bytes not yet given as a row start (empty lines before the next row included: csv-parse keeps them in its raw). */
  let pending = 0;
  /** The line number of the last row given. */
  let lines = 0;
  let emptyLines = 0;
  let lineEnd: '\n' | '\r\n' | undefined;
  let ended = false;
  let plain = true;
  while (plain) {
    const next = ended ? undefined : await chunks.next();
    if (next && !next.done) {
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      buffer = pending === 0 ? (buffer.length ? Buffer.concat([buffer, chunk]) : chunk) : Buffer.concat([buffer.subarray(pending), chunk]);
      pending = 0;
    } else ended = true;
    const atStart = lines === 0 && emptyLines === 0 && pending === 0;
    if (atStart && buffer.length < 3 && !ended) continue; // a BOM may still be arriving
    if (atStart && buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) plain = false;
    if (lineEnd === undefined && plain) {
      const first = firstLineBreak(buffer);
      if (first === 10) lineEnd = '\n';
      else if (first === 13 && buffer.length > buffer.indexOf(13) + 1) {
        if (buffer[buffer.indexOf(13) + 1] === 10) lineEnd = '\r\n';
        else plain = false;
      } else if (!ended) continue; // no whole line yet
    }
    let start = pending + emptyLinesBytes(emptyLines, lineEnd);
    while (plain) {
      const newline = buffer.indexOf(10, start);
      const last = newline < 0;
      if (last && !ended) break;
      let end = last ? buffer.length : newline;
      if (lineEnd === '\r\n' && !last) {
        if (buffer[end - 1] !== 13) {
          plain = false;
          break;
        }
        end--;
      }
      if (end === start) {
        if (last) break;
        emptyLines++;
        start = newline + 1;
        continue;
      }
      const text = buffer.toString('utf8', start, end);
      const record = text.includes('\r') ? undefined : plainCsvFields(text);
      if (!record) {
        plain = false;
        break;
      }
      lines += emptyLines + 1;
      const rowEnd = last ? buffer.length : newline + 1;
      // csv-parse's raw text keeps the first character only of each line end (\r of \r\n), the skipped empty lines' too.
      const lineEndKept = lineEnd?.[0] ?? '';
      yield { kind: 'row', line: lines, record, raw: lineEndKept.repeat(emptyLines) + text + (last ? '' : lineEndKept) };
      emptyLines = 0;
      pending = rowEnd;
      start = rowEnd;
      if (last) break;
    }
    if (ended && plain) return;
  }
  // The rest, from the first byte not given as a row, through csv-parse.
  const rest = buffer.subarray(pending);
  async function* remaining(): AsyncGenerator<Buffer | string> {
    if (rest.length) yield rest;
    if (ended) return;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  yield* csvParseRows(Readable.from(remaining()), lines, lines > 0 ? lineEnd : undefined);
}

/** The first line-break byte of `buffer` (10 or 13), or undefined. */
function firstLineBreak(buffer: Buffer): number | undefined {
  const lf = buffer.indexOf(10);
  const cr = buffer.indexOf(13);
  if (cr >= 0 && (lf < 0 || cr < lf)) return 13;
  return lf >= 0 ? 10 : undefined;
}

function emptyLinesBytes(count: number, lineEnd: string | undefined): number {
  return count * (lineEnd?.length ?? 1);
}

/**
 * The fields of one line of CSV when it is plain: unquoted fields without a quote, or quoted fields
 * (doubled quotes inside) that end at a comma or the line's end. Undefined for anything else (a quote
 * inside an unquoted field, text after a closing quote, a quoted field going on to the next line):
 * csv-parse reads those, rejects included.
 */
export function plainCsvFields(line: string): string[] | undefined {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    if (line.charCodeAt(at) === 34) {
      let value = '';
      let from = at + 1;
      for (;;) {
        const quote = line.indexOf('"', from);
        if (quote < 0) return undefined;
        value += line.slice(from, quote);
        if (line.charCodeAt(quote + 1) === 34) {
          value += '"';
          from = quote + 2;
          continue;
        }
        at = quote + 1;
        break;
      }
      fields.push(value);
      if (at === line.length) return fields;
      if (line.charCodeAt(at) !== 44) return undefined;
      at++;
    } else {
      const comma = line.indexOf(',', at);
      const value = comma < 0 ? line.slice(at) : line.slice(at, comma);
      if (value.includes('"')) return undefined;
      fields.push(value);
      if (comma < 0) return fields;
      at = comma + 1;
    }
  }
}

/**
 * The rows csv-parse reads from `input`, which follows `linesBefore` lines already read. csv-parse is
 * given that many empty lines first (it skips them): its line numbers, in rows and in its messages,
 * are then those of the whole file; the first row's raw text drops them again.
 */
async function* csvParseRows(input: Readable, linesBefore: number, lineEnd: string | undefined): AsyncGenerator<CsvRow | RejectRecord> {
  const skipped: RejectRecord[] = [];
  const padding = lineEnd ? lineEnd.repeat(linesBefore) : '';
  // csv-parse keeps the first character of each skipped line's end in the next row's raw text.
  const paddingRaw = lineEnd ? lineEnd[0]!.repeat(linesBefore) : '';
  async function* padded(): AsyncGenerator<Buffer | string> {
    if (padding) yield padding;
    yield* input;
  }
  const parser = (padding ? Readable.from(padded()) : input).pipe(parse(lineEnd ? { ...csvParseOptions, record_delimiter: lineEnd } : csvParseOptions));
  let first = true;
  /** The line of the first unreadable row: csv-parse empties its raw text there, and the padding goes with it. */
  let firstSkippedLine = Infinity;
  parser.on('skip', (error: Error & { lines?: number; record?: string[] }) => {
    firstSkippedLine = Math.min(firstSkippedLine, error.lines ?? -Infinity);
    skipped.push({ kind: 'reject', line: error.lines ?? null, field: null, reason: `unreadable CSV: ${error.message}`, raw: error.record?.join(',') ?? '' });
  });
  for await (const entry of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) {
    while (skipped.length) yield skipped.shift()!;
    const raw = first && paddingRaw && entry.info.lines <= firstSkippedLine && entry.raw.startsWith(paddingRaw) ? entry.raw.slice(paddingRaw.length) : entry.raw;
    first = false;
    yield { kind: 'row', line: entry.info.lines, record: entry.record, raw };
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
