import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readConfbillCsv } from '../../src/ingest/confbill-csv/readConfbillCsv.ts';
import type { IngestRecord } from '../../src/ingest/ingestRecord.ts';
import { csvHeader } from '../support/billingFixtures.ts';

async function read(input: string | Buffer, source?: string): Promise<IngestRecord[]> {
  const records: IngestRecord[] = [];
  for await (const r of readConfbillCsv(Readable.from([input]), { file: 'calls.csv', source })) records.push(r);
  return records;
}

const good = 'cms-1,leg-1,conf-1,2026-10-05T09:00:00+02:00,61,video,outbound,sip,room@acme.example,"Bob, Jr <sip:bob@x.example>",tenant-7';

describe('confbill-csv reader', () => {
  it('reads a leg with every field, the instant normalized to UTC', async () => {
    const [record] = await read(`${csvHeader}\n${good}\n`);
    expect(record).toEqual({
      kind: 'call',
      line: 2,
      call: {
        source: 'cms-1', externalId: 'leg-1', conferenceId: 'conf-1', startedAt: Date.UTC(2026, 9, 5, 7, 0, 0), durationSeconds: 61, category: 'video', direction: 'outbound',
        protocol: 'sip', localAlias: 'room@acme.example', remoteAlias: 'Bob, Jr <sip:bob@x.example>', tenant: 'tenant-7',
      },
    });
  });

  it('rejects each bad row with its line, field and reason, and reads on', async () => {
    const rows = [
      csvHeader,
      ',leg-2,,2026-10-05T09:00:00Z,60,video,inbound,,,,',
      'cms-1,,,2026-10-05T09:00:00Z,60,video,inbound,,,,',
      'cms-1,leg-4,,2026-10-05 09:00,60,video,inbound,,,,',
      'cms-1,leg-5,,1970-01-01T00:00:00Z,60,video,inbound,,,,',
      'cms-1,leg-6,,2026-10-05T09:00:00Z,-5,video,inbound,,,,',
      'cms-1,leg-7,,2026-10-05T09:00:00Z,99999999,video,inbound,,,,',
      'cms-1,leg-8,,2026-10-05T09:00:00Z,60,video,sideways,,,,',
      'cms-1,leg-9,,2026-10-05T09:00:00Z,60,video',
      good.replace('leg-1', 'leg-10'),
    ];
    const records = await read(rows.join('\n'));
    expect(records.map((r) => (r.kind === 'call' ? [r.line, 'ok'] : [r.line, r.kind === 'reject' ? r.field : r.kind]))).toEqual([
      [2, 'source'], [3, 'externalId'], [4, 'startedAt'], [5, 'startedAt'], [6, 'durationSeconds'], [7, 'durationSeconds'], [8, 'direction'], [9, null], [10, 'ok'],
    ]);
    const reasons = records.filter((r) => r.kind === 'reject').map((r) => r.kind === 'reject' && r.reason);
    expect(reasons[0]).toBe('source is empty (give it in the file or with --source)');
    expect(reasons[7]).toBe('has 6 fields where the header has 11');
    expect(records[0]).toMatchObject({ raw: ',leg-2,,2026-10-05T09:00:00Z,60,video,inbound,,,,' });
  });

  it('refuses a source column that is no source id (the rule of configuration and receivers), naming it safely', async () => {
    const sources = ['../../etc/passwd', '<script>', 'CMS-1', 'cms\u202e1', 'cms\u00011', 'a'.repeat(65)];
    const records = await read(`${csvHeader}\n${sources.map((s, i) => `${s},leg-${i},,2026-10-05T09:00:00Z,60,video,inbound,,,,`).join('\n')}\n`, 'bridge-9');
    expect(records.map((r) => (r.kind === 'reject' ? [r.line, r.field] : [r.line, r.kind]))).toEqual(sources.map((_, i) => [i + 2, 'source']));
    expect(records.map((r) => r.kind === 'reject' && r.reason).slice(0, 5)).toEqual([
      'source "../../etc/passwd" is not a source id: use lower-case letters a-z, 0-9, ".", "_" and "-", starting with a letter or digit, at most 64 characters (such as cms-oslo-1).',
      'source "<script>" is not a source id: use lower-case letters a-z, 0-9, ".", "_" and "-", starting with a letter or digit, at most 64 characters (such as cms-oslo-1).',
      'source "CMS-1" is not a source id: use lower-case letters a-z, 0-9, ".", "_" and "-", starting with a letter or digit, at most 64 characters (such as cms-oslo-1).',
      'source "cms\\u202e1" is not a source id: use lower-case letters a-z, 0-9, ".", "_" and "-", starting with a letter or digit, at most 64 characters (such as cms-oslo-1).',
      'source "cms\\u00011" is not a source id: use lower-case letters a-z, 0-9, ".", "_" and "-", starting with a letter or digit, at most 64 characters (such as cms-oslo-1).',
    ]);
  });

  it('takes the source from --source when the column is empty', async () => {
    const [record] = await read(`${csvHeader}\n,leg-2,,2026-10-05T09:00:00Z,60,video,inbound,,,,\n`, 'bridge-9');
    expect(record).toMatchObject({ kind: 'call', call: { source: 'bridge-9' } });
  });

  it('rejects a row with bytes that are not UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from(`${csvHeader}\ncms-1,leg-1,,2026-10-05T09:00:00Z,60,video,inbound,sip,ro`), Buffer.from([0xff, 0xfe]), Buffer.from('om@x.example,,\n')]);
    const [record] = await read(bytes);
    expect(record).toMatchObject({ kind: 'reject', line: 2, field: 'localAlias', reason: 'localAlias is not valid UTF-8' });
  });

  it('refuses a file whose header lacks columns, naming them', async () => {
    const records = await read('source,externalId\ncms-1,leg-1\n');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ kind: 'reject', line: 1, field: 'conferenceId' });
  });

  it('keeps going after an unclosed quote', async () => {
    const records = await read(`${csvHeader}\ncms-1,leg-1,,2026-10-05T09:00:00Z,60,video,inbound,sip,"room@x.example,,\n`);
    expect(records.every((r) => r.kind === 'reject')).toBe(true);
    expect(records.length).toBeGreaterThan(0);
  });

  it('fuzz: any text yields only calls and rejects, never a crash, and every line is accounted for', async () => {
    const noise = fc.string({ maxLength: 60 }).filter((s) => !/["\r\n]/.test(s));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constant(good), noise, fc.constant('cms-1,x,,2026-13-45T99:00:00Z,1,video,inbound,,,,')), { maxLength: 20 }), async (lines) => {
        const records = await read(`${csvHeader}\n${lines.join('\n')}\n`);
        for (const r of records) {
          if (r.kind === 'call') expect(Number.isSafeInteger(r.call.startedAt)).toBe(true);
          else expect(r.reason.length).toBeGreaterThan(0);
        }
        // One record per non-empty line: exactly the good lines are calls, everything else a reject.
        expect(records).toHaveLength(lines.filter((l) => l !== '').length);
        expect(records.filter((r) => r.kind === 'call')).toHaveLength(lines.filter((l) => l === good).length);
      }),
      { numRuns: 300 },
    );
  });
});
