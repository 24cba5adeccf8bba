import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Call } from '../../src/domain/call.ts';
import { callDataFormats } from '../../src/ingest/callDataFormats.ts';
import type { IngestRecord } from '../../src/ingest/ingestRecord.ts';
import { applyMutation, callKeys, checkRecords, mutations } from '../support/formatMutations.ts';
import { formatSamples, sampleFile } from '../support/formatSamples.ts';
import { fuzzRuns } from '../support/fuzzRuns.ts';

const count = 4;

async function read(format: string, text: string): Promise<IngestRecord[]> {
  const records: IngestRecord[] = [];
  for await (const r of callDataFormats[format]!.reader(Readable.from([Buffer.from(text)]), { file: 'fuzz', source: 'fuzz-src' })) records.push(r);
  return records;
}

const callsOf = (records: readonly IngestRecord[]): Call[] => records.flatMap((r) => (r.kind === 'call' ? [r.call] : []));

/** Each record of the sample file read alone: the calls it yields, to find them among a damaged file's. */
async function callsPerRecord(format: string): Promise<Call[][]> {
  const sample = formatSamples.find((s) => s.format === format)!;
  return Promise.all(Array.from({ length: count }, async (_, i) => callsOf(await read(format, sample.file([sample.record(i, sample.values(i))])))));
}

describe.each(formatSamples)('$format reader fuzzed with NUL bytes and control characters', (sample) => {
  it('anywhere in the file: never throws; every record is a storable call, a reject with a reason or an exclusion', async () => {
    await fc.assert(fc.asyncProperty(mutations(sample, count, { anywhere: true }), async (m) => {
      checkRecords(await read(sample.format, applyMutation(sample, count, m).text));
    }), { numRuns: fuzzRuns(300) });
  });

  it('in one record: the other records still give exactly their calls', async () => {
    const perRecord = await callsPerRecord(sample.format);
    expect(perRecord.every((calls) => calls.length === 1)).toBe(true);
    expect(callKeys(callsOf(await read(sample.format, sampleFile(sample, count))))).toEqual(callKeys(perRecord.flat()));
    await fc.assert(fc.asyncProperty(mutations(sample, count, { anywhere: false }), async (m) => {
      const { text, untouched } = applyMutation(sample, count, m);
      const records = await read(sample.format, text);
      checkRecords(records);
      const got = callKeys(callsOf(records));
      for (const want of callKeys(untouched.flatMap((i) => perRecord[i]!))) expect(got).toContain(want);
    }), { numRuns: fuzzRuns(300) });
  });
});
