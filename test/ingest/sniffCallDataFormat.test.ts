import { describe, expect, it } from 'vitest';
import { sniffCallDataFormat } from '../../src/ingest/sniffCallDataFormat.ts';
import { formatSamples, sampleFile } from '../support/formatSamples.ts';

describe('guessing the format of a file its named format could not read', () => {
  it.each(formatSamples.map((s) => [s.format, s] as const))('recognises a %s file, and only as that format', async (format, sample) => {
    const withSource = format === 'confbill-csv' ? { index: 0, values: { ...sample.values(0), source: 'mcu-a' } } : undefined;
    const head = Buffer.from(sampleFile(sample, 2, withSource));
    expect(await sniffCallDataFormat(head, 'none')).toBe(format);
    expect(await sniffCallDataFormat(head, format)).toBeUndefined();
  });

  it('guesses nothing for text that is no call data', async () => {
    expect(await sniffCallDataFormat(Buffer.from('Minutes of the board meeting\nsource,nothing\n'), 'confbill-csv')).toBeUndefined();
  });
});
