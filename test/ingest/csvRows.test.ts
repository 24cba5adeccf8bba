import { parse } from 'csv-parse';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCsvRowBatches } from '../../src/ingest/csvRows.ts';
import { fuzzRuns } from '../support/fuzzRuns.ts';

type Entry = { kind: 'row'; line: number; record: string[]; raw: string } | { kind: 'reject'; line: number | null; reason: string; raw: string };

/** csv-parse reading the whole file, with the options every CSV reader used before papaparse (ADR 0030): the rule. */
async function csvParseReading(chunks: (string | Buffer)[]): Promise<{ rows: Entry[]; rejects: Entry[] }> {
  const rows: Entry[] = [];
  const rejects: Entry[] = [];
  const parser = Readable.from(chunks).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_error: true, info: true, raw: true }));
  parser.on('skip', (error: Error & { lines?: number; record?: string[] }) => {
    rejects.push({ kind: 'reject', line: error.lines ?? null, reason: `unreadable CSV: ${error.message}`, raw: error.record?.join(',') ?? '' });
  });
  for await (const entry of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) rows.push({ kind: 'row', line: entry.info.lines, record: entry.record, raw: entry.raw });
  return { rows, rejects };
}

async function reading(chunks: (string | Buffer)[]): Promise<{ rows: Entry[]; rejects: Entry[] }> {
  const rows: Entry[] = [];
  const rejects: Entry[] = [];
  for await (const batch of readCsvRowBatches(Readable.from(chunks))) {
    for (const entry of batch) {
      if (entry.kind === 'row') rows.push(entry);
      else rejects.push({ kind: 'reject', line: entry.line, reason: entry.reason, raw: entry.raw });
    }
  }
  return { rows, rejects };
}

/** `text` cut at `cuts` (fractions of its length), as strings or as bytes (cutting UTF-8 characters in two). */
function cut(text: string, cuts: number[], asBytes: boolean): (string | Buffer)[] {
  const whole = asBytes ? Buffer.from(text) : text;
  const at = [...new Set(cuts.map((c) => Math.floor(c * whole.length)))].sort((a, b) => a - b);
  const pieces: (string | Buffer)[] = [];
  let from = 0;
  for (const to of [...at, whole.length]) {
    if (to > from) pieces.push(whole.slice(from, to));
    from = Math.max(from, to);
  }
  return pieces.length ? pieces : [whole];
}

const field = fc.oneof(
  fc.constantFrom('', 'a', 'bob@acme.example', ' x ', 'é€', '\0', '\uFFFD'),
  fc.constantFrom('"q"', '""', '"a,b"', '"x""y"', '"line\nbreak"', '"cr\r\nlf"', '"open', 'mid"quote', '"closed"after', '"sp" ', '"\uFEFF"'),
);
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
const csvText = fc.tuple(fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { maxLength: 12 }), lineEnd, fc.array(fc.boolean(), { maxLength: 12 }), fc.boolean(), fc.boolean(), fc.constantFrom('', '\n', '\r\n'))
  .map(([rows, end, blanks, bom, endsWithLineEnd, stray]) => {
    const lines = rows.flatMap((row, i) => (blanks[i] ? ['', row.join(',')] : [row.join(',')]));
    return `${bom ? '\uFEFF' : ''}${lines.join(end)}${endsWithLineEnd ? end : ''}${stray}`;
  });
const noise = fc.array(fc.constantFrom('a', ',', ',', '"', '""', '\n', '\r', '\r\n', ' ', 'é', '\0', '\uFEFF'), { maxLength: 50 }).map((parts) => parts.join(''));

describe('readCsvRowBatches', () => {
  it('reads rows with their lines and raw text, and the same rejects, as csv-parse reads the whole file, however it is cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(csvText, noise), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }), fc.boolean(), async (text, cuts, asBytes) => {
        const chunks = cut(text, cuts, asBytes);
        // Rows in file order; the rejects of unreadable rows in theirs (csv-parse reports them ahead of the rows it still holds).
        expect(await reading(chunks)).toEqual(await csvParseReading(chunks));
      }),
      { numRuns: fuzzRuns(500) },
    );
  });

  it('reads a file of plain rows after a quoted header, and goes on with csv-parse after an unreadable row', async () => {
    const text = '"a","b"\r\n1,2\r\n\r\n"x"y,3\r\n4,5\r\n';
    const { rows, rejects } = await reading([text]);
    expect(rows.slice(0, 2)).toEqual([
      { kind: 'row', line: 1, record: ['a', 'b'], raw: '"a","b"\r' },
      { kind: 'row', line: 2, record: ['1', '2'], raw: '1,2\r' },
    ]);
    expect(rejects[0]).toEqual({ kind: 'reject', line: 4, reason: expect.stringMatching(/^unreadable CSV: Invalid Closing Quote/), raw: '' });
    expect(await reading([text])).toEqual(await csvParseReading([text]));
  });

  it('keeps a UTF-16 file to csv-parse, which decodes it', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]);
    expect(await reading([bytes])).toEqual(await csvParseReading([bytes]));
    expect((await reading([bytes])).rows.map((r) => (r.kind === 'row' ? r.record : r.reason))).toEqual([['a', 'b'], ['1', '2']]);
  });
});
