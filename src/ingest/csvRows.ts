import { parse } from 'csv-parse';
import { StringDecoder } from 'node:string_decoder';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import type { IngestRecord } from './ingestRecord.ts';
import { textMayHoldUnstorable, unstorableTextReason } from './unstorableText.ts';

export interface CsvRow {
  kind: 'row';
  line: number;
  record: string[];
  /** The row as it stood in the file, kept whole in rejects. */
  raw: string;
}

type RejectRecord = Extract<IngestRecord, { kind: 'reject' }>;

type LineEnd = '\n' | '\r' | '\r\n';

/** csv-parse, as every row was read before papaparse took the plain rows (ADR 0030). */
const strictOptions = { bom: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_error: true, info: true, raw: true } as const;

/** A row holding one of these may read otherwise in csv-parse: it goes to csv-parse. */
const mayDiffer = /["\r\n]/;

/**
 * Past this much text without a whole row (a quote never closed), csv-parse reads the rest: papaparse
 * would scan the growing text again at every chunk.
 */
const maxPendingChars = 1 << 20;

/**
 * The line end of a file as csv-parse finds it: the first CR LF, LF or CR. Undefined while the text
 * holds none yet (or ends with a CR whose next character is still to come).
 */
function lineEndOf(text: string, ended: boolean): LineEnd | undefined {
  const at = text.search(/[\r\n]/);
  if (at < 0) return ended ? '\n' : undefined;
  if (text[at] === '\n') return '\n';
  if (at + 1 < text.length) return text[at + 1] === '\n' ? '\r\n' : '\r';
  return ended ? '\r' : undefined;
}

/** Whether a row that holds quotes read as csv-parse reads it: whole fields quoted, no quote inside a value, nothing between a closing quote and the next comma. */
function quotedAsCsvParseReads(fields: readonly string[], text: string): boolean {
  let length = fields.length - 1;
  for (const field of fields) {
    if (field.includes('"')) return false;
    length += field.length;
  }
  let quotes = 0;
  for (let at = text.indexOf('"'); at >= 0; at = text.indexOf('"', at + 1)) quotes++;
  return length + quotes === text.length;
}

/** The text of a stream's chunks, decoded as UTF-8 across chunk boundaries. */
async function* decoded(chunks: AsyncIterator<Buffer | string>, decoder: StringDecoder): AsyncGenerator<string> {
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    yield typeof next.value === 'string' ? next.value : decoder.write(next.value);
  }
  yield decoder.end();
}

/**
 * The rest of a file read by csv-parse: `text` (from a row's start, at `line`), then what is left of
 * the stream. A dummy row on the line before brings csv-parse to the same line count, line end and
 * raw text that it would have had reading the file from its start.
 */
async function* csvParseRows(text: AsyncIterable<string | Buffer>, skipFirstRecord: boolean): AsyncGenerator<(CsvRow | RejectRecord)[]> {
  const skipped: RejectRecord[] = [];
  const parser = Readable.from(text).pipe(parse(strictOptions));
  parser.on('skip', (error: Error & { lines?: number; record?: string[] }) => {
    skipped.push({ kind: 'reject', line: error.lines ?? null, field: null, reason: `unreadable CSV: ${error.message}`, raw: error.record?.join(',') ?? '' });
  });
  let skipFirst = skipFirstRecord;
  for await (const entry of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) {
    const batch: (CsvRow | RejectRecord)[] = skipped.splice(0);
    if (skipFirst) skipFirst = false;
    else batch.push({ kind: 'row', line: entry.info.lines, record: entry.record, raw: entry.raw });
    if (batch.length) yield batch;
  }
  if (skipped.length) yield skipped;
}

/**
 * The rows of a CSV stream (RFC 4180, BOM tolerated, empty lines skipped) in file order, a batch
 * per chunk, with their line numbers. A row that CSV itself cannot read (a stray quote) comes out as
 * a reject at its place, and reading goes on: the shared first step of every CSV adapter.
 *
 * csv-parse's reading is the rule (its line numbers, raw text and rejects). papaparse, several times
 * faster, reads the rows that it provably reads the same (no quote inside a value, no line break
 * inside a row, nothing after a closing quote); from the first other row on, csv-parse reads the
 * rest of the file (ADR 0030).
 */
export async function* readCsvRowBatches(input: Readable): AsyncGenerator<(CsvRow | RejectRecord)[]> {
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const decoder = new StringDecoder('utf8');
  let text = '';
  let started = false;
  /** Whether the file's start was looked at for a UTF-8 byte order mark (csv-parse drops one, there only). */
  let bomChecked = false;
  let hadBom = false;
  let lineEnd: LineEnd | undefined;
  /** The line of the text's first character. */
  let line = 1;
  /** Empty lines since the last row: csv-parse keeps the first character of each one's line end in the next row's raw text. */
  let emptyLines = 0;
  for (;;) {
    const next = await chunks.next();
    if (!next.done) {
      const chunk = next.value;
      if (!started) {
        started = true;
        // A UTF-16 byte order mark: csv-parse decodes the file as UTF-16.
        if (typeof chunk !== 'string' && chunk[0] === 0xff && chunk[1] === 0xfe) {
          yield* csvParseRows((async function* () {
            yield chunk;
            for (let rest = await chunks.next(); !rest.done; rest = await chunks.next()) yield rest.value;
          })(), false);
          return;
        }
      }
      text += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      if (!bomChecked && text !== '') {
        bomChecked = true;
        hadBom = text.charCodeAt(0) === 0xfeff;
        if (hadBom) text = text.slice(1);
      }
    } else text += decoder.end();
    const ended = next.done === true;
    lineEnd ??= lineEndOf(text, ended);
    if (!lineEnd) continue;
    const lastLineEnd = text.lastIndexOf(lineEnd);
    const end = ended ? text.length : lastLineEnd < 0 ? 0 : lastLineEnd + lineEnd.length;
    const batch: (CsvRow | RejectRecord)[] = [];
    let rowStart = 0;
    let differsAt = -1;
    if (end > 0) {
      const part = end === text.length ? text : text.slice(0, end);
      const rowEnd = lineEnd;
      const parser: InstanceType<typeof Papa.Parser> = new Papa.Parser({
        delimiter: ',', newline: rowEnd, quoteChar: '"',
        step: (step) => {
          if (differsAt >= 0) return;
          const record = step.data[0]!;
          const stop = step.meta.cursor;
          let rowText = part.slice(rowStart, stop);
          const terminated = rowText.endsWith(rowEnd);
          if (terminated) rowText = rowText.slice(0, -rowEnd.length);
          if (step.errors.length || (mayDiffer.test(rowText) && (/[\r\n]/.test(rowText) || !quotedAsCsvParseReads(record, rowText)))) {
            differsAt = rowStart;
            parser.abort();
            return;
          }
          const start = rowStart;
          rowStart = stop;
          if (rowText === '') {
            if (terminated) {
              emptyLines++;
              line++;
            }
            return;
          }
          // csv-parse's raw text: the row and the first character of its line end (one slice of the text, mostly).
          const withLineEnd = part.slice(start, terminated ? stop - rowEnd.length + 1 : stop);
          batch.push({ kind: 'row', line, record, raw: emptyLines ? rowEnd[0]!.repeat(emptyLines) + withLineEnd : withLineEnd });
          emptyLines = 0;
          if (terminated) line++;
        },
      });
      parser.parse(part, 0, !ended);
    }
    if (differsAt < 0 && !ended && text.length - rowStart > maxPendingChars) differsAt = rowStart;
    if (differsAt >= 0) {
      if (batch.length) yield batch;
      // csv-parse reads on from the end of the last row, the empty lines since included (it keeps
      // their line ends in the next row's raw text), after a dummy row that brings it to that line.
      const runLine = line - emptyLines;
      // From the file's start, its byte order mark goes back: csv-parse drops it (and only it) itself.
      const dummy = runLine > 1 ? `${lineEnd.repeat(runLine - 2)}x${lineEnd}` : hadBom ? '\uFEFF' : '';
      const rest = dummy + lineEnd.repeat(emptyLines) + text.slice(differsAt);
      yield* csvParseRows((async function* () {
        yield rest;
        yield* decoded(chunks, decoder);
      })(), runLine > 1);
      return;
    }
    text = text.slice(rowStart);
    if (batch.length) yield batch;
    if (ended) return;
  }
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
  for (let i = 0; i < record.length; i++) {
    const problem = unstorableTextReason(record[i]!);
    if (problem) {
      const field = header[i] ?? `column ${i + 1}`;
      return { field, reason: `${field} ${problem}` };
    }
  }
  return undefined;
}

/**
 * The rows of a CSV whose first row names the columns, as fields by name, a batch at a time. A
 * header without the required columns is one reject (with `hint` on what file was expected) and
 * ends the file; a row with another number of fields than the header, or with a NUL byte in a
 * field, is a reject, and reading goes on.
 */
export async function* readHeaderedCsv(input: Readable, requiredColumns: readonly string[], hint?: string): AsyncGenerator<(CsvFields | RejectRecord)[]> {
  let header: string[] | undefined;
  // A column named __proto__ needs Object.fromEntries (an assignment would set the prototype).
  let plainNames = true;
  for await (const rows of readCsvRowBatches(input)) {
    const batch: (CsvFields | RejectRecord)[] = [];
    for (const entry of rows) {
      if (entry.kind === 'reject') {
        batch.push(entry);
        continue;
      }
      const { record, line } = entry;
      const raw = entry.raw.trimEnd();
      if (!header) {
        header = record.map((h) => h.trim());
        plainNames = !header.includes('__proto__');
        const missing = requiredColumns.filter((c) => !header!.includes(c));
        if (missing.length) {
          batch.push({ kind: 'reject', line, field: missing[0]!, reason: `the header row lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}${hint ? ` (${hint})` : ''}; no row of this file can be read`, raw });
          yield batch;
          return;
        }
        continue;
      }
      if (record.length !== header.length) {
        batch.push({ kind: 'reject', line, field: null, reason: `has ${record.length} fields where the header has ${header.length}`, raw });
        continue;
      }
      const unstorable = textMayHoldUnstorable(entry.raw) ? unstorableColumn(header, record) : undefined;
      if (unstorable) {
        batch.push({ kind: 'reject', line, ...unstorable, raw });
        continue;
      }
      let fields: Record<string, string>;
      if (plainNames) {
        fields = {};
        for (let i = 0; i < header.length; i++) fields[header[i]!] = record[i]!.trim();
      } else fields = Object.fromEntries(header.map((h, i) => [h, record[i]!.trim()]));
      batch.push({ kind: 'fields', line, raw, fields });
    }
    if (batch.length) yield batch;
  }
}
