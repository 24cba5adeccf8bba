import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Call } from '../../src/domain/call.ts';
import { callDataFormats } from '../../src/ingest/callDataFormats.ts';
import type { IngestRecord } from '../../src/ingest/ingestRecord.ts';
import { unstorableField, unstorableTextReason } from '../../src/ingest/unstorableText.ts';
import { formatSamples, sampleFile, type FormatSample } from '../support/formatSamples.ts';

async function read(format: string, text: string): Promise<IngestRecord[]> {
  const records: IngestRecord[] = [];
  for await (const r of callDataFormats[format]!.reader(Readable.from([Buffer.from(text)]), { file: 'f', source: 'fmt-src' })) records.push(r);
  return records;
}

const callsOf = (records: IngestRecord[]): Call[] => records.flatMap((r) => (r.kind === 'call' ? [r.call] : []));

/** The field a reject names for a value of the sample, as each format spells its fields. */
function fieldName(sample: FormatSample, name: string): string {
  if (sample.format === 'pexip-events') return name === 'event' ? 'event' : `data.${name}`;
  if (sample.format === 'cms-xml') return ({ id: 'callLeg id', codec: 'rxVideo.codec' } as Record<string, string>)[name] ?? name;
  if (sample.format === 'teams-json') {
    return ({
      sessionId: 'sessions[0].id', startDateTime: 'sessions[0].startDateTime', endDateTime: 'sessions[0].endDateTime',
      caller: 'sessions[0].caller.associatedIdentity.id', callee: 'sessions[0].callee.associatedIdentity.id', tenantId: 'organizer_v2.identity.user.tenantId',
    } as Record<string, string>)[name] ?? name;
  }
  return name;
}

describe('unstorable text', () => {
  it('names NUL bytes and lone surrogates, and nothing else', () => {
    expect(unstorableTextReason('a\0b')).toBe('contains a NUL byte (0x00)');
    expect(unstorableTextReason('a\ud800b')).toBe('contains a lone UTF-16 surrogate, which is not a character');
    expect(unstorableTextReason('\udc00')).toBe('contains a lone UTF-16 surrogate, which is not a character');
    for (const fine of ['', 'plain', 'tab\tnew\nline\r', '\u0001\u001f\u007f\u0085', 'emoji 😀', '\u202e', '\uFFFD']) expect(unstorableTextReason(fine)).toBeUndefined();
    expect(unstorableField({ a: 'x', b: [{ c: 'y' }, { d: 'z\0' }] })).toEqual({ field: 'b[1].d', reason: 'contains a NUL byte (0x00)' });
    expect(unstorableField({ a: { 'k\0': 1 } })).toEqual({ field: 'a.k\0', reason: '(the name of this field) contains a NUL byte (0x00)' });
    expect(unstorableField({ a: 1, b: null, c: true, d: ['x'] })).toBeUndefined();
  });
});

describe.each(formatSamples)('a NUL byte in a field of a $format record', (sample) => {
  const good = sampleFile(sample, 3);

  it.each(Object.keys(sample.values(1)))('in %s: that record is a reject naming the field, the records around it go in', async (name) => {
    const before = await read(sample.format, good);
    expect(before.map((r) => r.kind)).toEqual(['call', 'call', 'call']);
    const values = sample.values(1);
    const value = values[name]!;
    const at = Math.floor(value.length / 2);
    const changed = { ...values, [name]: `${value.slice(0, at)}\0${value.slice(at)}` };
    const records = await read(sample.format, sampleFile(sample, 3, { index: 1, values: changed }));
    expect(callsOf(records)).toEqual([callsOf(before)[0], callsOf(before)[2]]);
    const rejects = records.filter((r) => r.kind === 'reject');
    expect(rejects).toHaveLength(1);
    const reject = rejects[0]!;
    expect(reject.field).toBe(fieldName(sample, name));
    // CMS checks identifiers and numbers before anything else: their own reason names the field too.
    if (sample.format === 'cms-xml' && (name === 'id' || name === 'durationSeconds')) expect(reject.reason).toMatch(/is not (an identifier|a whole number)/);
    else expect(reject.reason).toBe(`${fieldName(sample, name)} contains a NUL byte (0x00)`);
    // The raw text is the record as written (a CMS <record> without the <records> around it, whose session it names).
    if (sample.format === 'cms-xml' && name === 'session') expect(reject.raw).toMatch(/^<record type="callLegEnd"[^\0]*<\/record>$/);
    else expect(reject.raw).toContain(sample.format.includes('json') || sample.format.startsWith('pexip') ? '\\u0000' : '\0');
  });
});

describe('a NUL byte in the type of a CMS record', () => {
  it('makes it a reject naming the type, not a record skipped for a type that is not billed', async () => {
    const cms = formatSamples.find((s) => s.format === 'cms-xml')!;
    const records = await read('cms-xml', sampleFile(cms, 3).replace('type="callLegEnd" time="2026-10-05T10:00:00Z" recordIndex="1" correlatorIndex="2"', 'type="callLeg\0End" time="2026-10-05T10:00:00Z" recordIndex="1" correlatorIndex="2"'));
    expect(records.map((r) => (r.kind === 'reject' ? [r.kind, r.field, r.reason] : [r.kind]))).toEqual([['reject', 'type', 'type contains a NUL byte (0x00)'], ['call'], ['call']]);
  });
});

describe.each(formatSamples.filter((s) => s.format.endsWith('json') || s.format.startsWith('pexip')))('a lone surrogate in a $format record', (sample) => {
  it('makes it a reject naming the field', async () => {
    const name = Object.keys(sample.values(0)).find((n) => /alias|caller|uuid|id$/i.test(n))!;
    const values = sample.values(0);
    const records = await read(sample.format, sampleFile(sample, 2, { index: 0, values: { ...values, [name]: `${values[name]}\ud800` } }));
    expect(records.map((r) => (r.kind === 'reject' ? [r.kind, r.field, r.reason] : [r.kind]))).toEqual([
      ['reject', fieldName(sample, name), `${fieldName(sample, name)} contains a lone UTF-16 surrogate, which is not a character`],
      ['call'],
    ]);
  });
});
