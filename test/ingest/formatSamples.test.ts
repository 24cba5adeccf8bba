import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { callDataFormatNamed, callDataFormats } from '../../src/ingest/callDataFormats.ts';
import type { IngestRecord } from '../../src/ingest/ingestRecord.ts';
import { formatSamples, sampleFile, type FormatSample } from '../support/formatSamples.ts';

async function read(sample: FormatSample, text: string): Promise<IngestRecord[]> {
  const records: IngestRecord[] = [];
  for await (const r of callDataFormatNamed(sample.format)!.reader(Readable.from([Buffer.from(text)]), { file: 'sample', source: 'src-1' })) records.push(r);
  return records;
}

const legOf = (r: IngestRecord) => (r.kind === 'call' ? { externalId: r.call.externalId, startedAt: new Date(r.call.startedAt).toISOString(), durationSeconds: r.call.durationSeconds, localAlias: r.call.localAlias, remoteAlias: r.call.remoteAlias } : r.kind);

/** Every reader on records written in the repository (test/support/formatSamples.ts), with or without the public samples. */
describe('every call data format on its in-repo sample', () => {
  it('has a sample for every format that confbill ingest reads', () => {
    expect(formatSamples.map((s) => s.format).sort()).toEqual(Object.keys(callDataFormats).sort());
  });

  it.each(formatSamples.map((s) => [s.format, s] as const))('%s: three records give the three legs worked out by hand, from the source given', async (_format, sample) => {
    const records = await read(sample, sampleFile(sample, 3));
    expect(records.map(legOf)).toEqual([0, 1, 2].map((i) => sample.leg(i)));
    expect(records.every((r) => r.kind === 'call' && r.call.source === 'src-1')).toBe(true);
  });

  it.each(formatSamples.map((s) => [s.format, s] as const))('%s: a broken record is rejected naming its field; the records around it still give their legs', async (_format, sample) => {
    const { field, value, rejectField } = sample.broken;
    const records = await read(sample, sampleFile(sample, 3, { index: 1, values: { ...sample.values(1), [field]: value } }));
    expect(records.filter((r) => r.kind === 'call').map(legOf)).toEqual([sample.leg(0), sample.leg(2)]);
    const rejects = records.filter((r) => r.kind === 'reject');
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ field: rejectField ?? field, reason: expect.stringContaining(rejectField ?? field) });
  });
});
