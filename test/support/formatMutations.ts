import fc from 'fast-check';
import type { Call } from '../../src/domain/call.ts';
import type { IngestRecord } from '../../src/ingest/ingestRecord.ts';
import { unstorableField, unstorableTextReason } from '../../src/ingest/unstorableText.ts';
import type { FormatSample } from './formatSamples.ts';

/** Mostly NUL bytes, then the other C0 controls, and a few C1, separator, direction and BOM characters. */
export const controlCharacter: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constant('\0') },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 0x1f }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom('\u007f', '\u0085', '\u009f', '\u2028', '\u202e', '\ufeff') },
);

/**
 * One way to damage a sample file: characters inserted into one field value of record `index` (a
 * JSON format escapes them, `\u0000`), into the raw text of record `index` (a JSON string then holds
 * a raw control character: that record is no JSON), or anywhere in the file (headers and envelopes
 * included).
 */
export type Mutation =
  | { kind: 'value'; index: number; name: string; at: number; text: string }
  | { kind: 'record'; index: number; inserts: { at: number; char: string }[] }
  | { kind: 'anywhere'; inserts: { at: number; char: string }[] };

const inserts = fc.array(fc.record({ at: fc.nat(), char: controlCharacter }), { minLength: 1, maxLength: 4 });

function insertAll(text: string, list: readonly { at: number; char: string }[]): string {
  let out = text;
  for (const { at, char } of list) {
    const i = at % (out.length + 1);
    out = out.slice(0, i) + char + out.slice(i);
  }
  return out;
}

/**
 * Mutations of a file of `count` records. A teams-json file is one JSON document: a raw control
 * character inside it spoils the whole document, so its records are damaged through their values only.
 */
export function mutations(sample: FormatSample, count: number, options: { anywhere: boolean }): fc.Arbitrary<Mutation> {
  const names = Object.keys(sample.values(0));
  const value = fc.record({
    kind: fc.constant('value' as const), index: fc.nat({ max: count - 1 }), name: fc.constantFrom(...names), at: fc.nat(),
    text: fc.array(controlCharacter, { minLength: 1, maxLength: 3 }).map((c) => c.join('')),
  });
  const record = fc.record({ kind: fc.constant('record' as const), index: fc.nat({ max: count - 1 }), inserts });
  const anywhere = fc.record({ kind: fc.constant('anywhere' as const), inserts });
  if (options.anywhere) return anywhere;
  return sample.format === 'teams-json' ? value : fc.oneof(value, record);
}

/** The damaged file, and which records it leaves untouched (all of them may be damaged by `anywhere`). */
export function applyMutation(sample: FormatSample, count: number, m: Mutation): { text: string; untouched: number[] } {
  const texts = Array.from({ length: count }, (_, i) => {
    if (m.kind === 'anywhere' || m.index !== i) return sample.record(i, sample.values(i));
    if (m.kind === 'record') {
      const text = sample.record(i, sample.values(i));
      // A CMS capture is split into documents where each XML declaration starts: damage before a
      // document's <records> belongs to the document before it (splitCmsDocuments), not to this one.
      const start = sample.format === 'cms-xml' ? text.indexOf('<records') + 1 : 0;
      return text.slice(0, start) + insertAll(text.slice(start), m.inserts);
    }
    const values = sample.values(i);
    const old = values[m.name]!;
    const at = m.at % (old.length + 1);
    return sample.record(i, { ...values, [m.name]: old.slice(0, at) + m.text + old.slice(at) });
  });
  const file = sample.file(texts);
  if (m.kind === 'anywhere') return { text: insertAll(file, m.inserts), untouched: [] };
  return { text: file, untouched: texts.map((_, i) => i).filter((i) => i !== m.index) };
}

/** What every reader must make of any input: calls that can be stored, rejects with a reason, exclusions. */
export function checkRecords(records: readonly IngestRecord[]): void {
  for (const r of records) {
    if (r.kind === 'call') {
      const problem = unstorableField(r.call);
      if (problem) throw new Error(`a call holds unstorable text in ${problem.field}: ${JSON.stringify(r.call)}`);
    } else if (r.kind === 'reject') {
      if (typeof r.reason !== 'string' || r.reason.trim() === '') throw new Error(`a reject without a reason: ${JSON.stringify(r)}`);
      if (r.field !== null && typeof r.field !== 'string') throw new Error(`a reject whose field is not a name: ${JSON.stringify(r)}`);
      if (typeof r.raw !== 'string') throw new Error(`a reject without its raw text: ${JSON.stringify(r)}`);
    } else if (r.kind !== 'excluded' || r.reason.trim() === '') {
      throw new Error(`neither a call, a reject nor an exclusion with a reason: ${JSON.stringify(r)}`);
    } else if (unstorableTextReason(r.reason)) {
      // Exclusions are counted per source by their reason, in jsonb.
      throw new Error(`an exclusion whose reason cannot be stored: ${JSON.stringify(r)}`);
    }
  }
}

/** The calls of `records`, keyed for comparison without regard to order. */
export function callKeys(calls: readonly Call[]): string[] {
  return calls.map((c) => JSON.stringify(Object.entries(c).sort(([a], [b]) => a.localeCompare(b)))).sort();
}
