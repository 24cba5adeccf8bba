import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { plainCsvFields, readCsvRows } from '../../src/ingest/csvRows.ts';

// readCsvRows splits plain rows itself and hands the rest to csv-parse: what comes out must be what
// csv-parse alone gives for the whole stream (rows, line numbers, raw texts, rejects and their
// messages), however the stream is cut. The order of a reject among the rows csv-parse read in the
// same chunk is its stream's artifact (it emits them as it parses): compared as sets.
async function csvParseAlone(chunks: Buffer[]): Promise<string[]> {
  const out: string[] = [];
  const skipped: string[] = [];
  const parser = Readable.from(chunks).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_error: true, info: true, raw: true }));
  parser.on('skip', (error: Error & { lines?: number; record?: string[] }) => {
    skipped.push(JSON.stringify({ kind: 'reject', line: error.lines ?? null, field: null, reason: `unreadable CSV: ${error.message}`, raw: error.record?.join(',') ?? '' }));
  });
  for await (const entry of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw: string }>) out.push(JSON.stringify({ kind: 'row', line: entry.info.lines, record: entry.record, raw: entry.raw }));
  return [...out, ...skipped].sort();
}

async function rows(chunks: Buffer[]): Promise<string[]> {
  const out: string[] = [];
  for await (const r of readCsvRows(Readable.from(chunks))) out.push(JSON.stringify(r));
  return out.sort();
}

describe('CSV rows', () => {
  it('plain lines split without csv-parse; anything else is left to it', () => {
    expect(plainCsvFields('a,,b')).toEqual(['a', '', 'b']);
    expect(plainCsvFields('"a,1","b""c",""')).toEqual(['a,1', 'b"c', '']);
    expect(plainCsvFields('a"b,c')).toBeUndefined();
    expect(plainCsvFields('"a"b,c')).toBeUndefined();
    expect(plainCsvFields('"a,c')).toBeUndefined();
  });

  it('give what csv-parse gives on random CSV text cut at random places (LF, CRLF, CR, BOM, quotes, empty lines, errors)', async () => {
    let seed = 20_261_129;
    const next = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return Math.floor((seed / 2_147_483_648) * n);
    };
    const atoms = ['a', 'bc', ',', ',', ',', '"', '""', '"x"', '\n', '\n', '\r\n', '\r', ' ', 'é', '😀', '\n\n', '"q,w"', '"a""b"', '"m\nl"', '1'];
    for (let k = 0; k < 1500; k++) {
      const lineEnds = next(4);
      let text = next(20) === 0 ? '\ufeff' : '';
      for (let i = next(60); i > 0; i--) {
        let atom = atoms[next(atoms.length)]!;
        if (lineEnds === 0 && (atom === '\r\n' || atom === '\r')) atom = '\n';
        if (lineEnds === 1) atom = atom.replace(/(?<!\r)\n/g, '\r\n');
        text += atom;
      }
      const bytes = Buffer.from(text);
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; ) {
        const length = 1 + next(next(2) ? 5 : 40);
        chunks.push(bytes.subarray(at, at + length));
        at += length;
      }
      expect([text, await rows(chunks)]).toEqual([text, await csvParseAlone(chunks)]);
    }
  });
});
