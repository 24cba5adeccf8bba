import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Call } from '../../../src/domain/call.ts';
import { defaultMapping } from '../../../src/ingest/cisco-ucm/defaultMapping.ts';
import { readCucmCsv } from '../../../src/ingest/cisco-ucm/readCucmCsv.ts';
import type { IngestRecord } from '../../../src/ingest/ingestRecord.ts';
import { mergeVendorMapping, type VendorMappingOverride } from '../../../src/ingest/vendorMapping.ts';
import { describeOnSamples, sharedDir } from '../../support/sharedSamples.ts';
import { fuzzRuns } from '../../support/fuzzRuns.ts';

const samples = join(sharedDir, 'samples/cisco-ucm');
const labFile = 'cdr_lab_cucm10.5_subset.csv';
const excelFile = 'cdr_StandAloneCluster_04_201601141231_120716.csv';

async function read(input: string | Buffer | Buffer[], options: { source?: string; mapping?: VendorMappingOverride } = {}): Promise<IngestRecord[]> {
  const records: IngestRecord[] = [];
  const chunks = Array.isArray(input) ? input : [input];
  const mapping = options.mapping ? mergeVendorMapping(defaultMapping, options.mapping) : undefined;
  for await (const r of readCucmCsv(Readable.from(chunks), { file: 'cdr.csv', source: options.source, mapping })) records.push(r);
  return records;
}

const callsOf = (records: IngestRecord[]): Call[] => records.flatMap((r) => (r.kind === 'call' ? [r.call] : []));
const byId = (calls: Call[]): Call[] => [...calls].sort((a, b) => a.externalId.localeCompare(b.externalId));
const summary = (records: IngestRecord[]): (string | number | null)[][] =>
  records.map((r) => (r.kind === 'call' ? [r.line, 'call'] : r.kind === 'reject' ? [r.line, 'reject', r.field] : [r.line, 'excluded', r.reason]));

const fixtureFile = fileURLToPath(new URL('../../fixtures/cisco-ucm/cdr_StandAloneCluster_02_202610051200_4711.csv', import.meta.url));

describe('cucm-csv reader on the in-repo file (test/fixtures/cisco-ucm)', () => {
  const fixture = (): string => readFileSync(fixtureFile, 'utf8');
  /** [line, externalId, startedAt (UTC), duration, category, direction, protocol, localAlias, remoteAlias, tenant, disconnectReason]. */
  const shape = (r: IngestRecord) => {
    if (r.kind !== 'call') return [r.line, r.kind, r.kind === 'reject' ? r.field : r.reason];
    const c = r.call;
    return [r.line, c.externalId, new Date(c.startedAt).toISOString(), c.durationSeconds, c.category, c.direction, c.protocol, c.localAlias, c.remoteAlias, c.tenant, c.disconnectReason];
  };

  it('reads the legs worked out by hand, the type row skipped, and names the bad rows', async () => {
    const records = await read(fixture());
    expect(records.map(shape)).toEqual([
      // Phone to phone, video codec 103 on both sides: placed by our own device, so outbound; no trunk protocol.
      [3, '2-40001-30000001-30000002', '2026-10-05T09:00:05.000Z', 325, 'video', 'outbound', undefined, '51001', '51002', 'PT_ACME', '16 normal call clearing'],
      // Over the SIP trunk (IncomingProtocolID 1): inbound, the dialled number is the local end, its partition the tenant.
      [4, '2-40002-30000003-30000004', '2026-10-05T09:10:00.000Z', 61, 'audio', 'inbound', 'sip', '51001', '+4722334455', 'PT_ACME', '16 normal call clearing'],
      // Busy: dateTimeConnect 0, so it starts at dateTimeOrigination and lasts 0 s (never billable).
      [5, '2-40003-30000005-30000006', '2026-10-05T09:20:00.000Z', 0, 'audio', 'outbound', 'sip', '51003', '004721000000', 'PT_GLOBEX', '17 user busy'],
      [6, 'reject', 'duration'],
      [7, 'excluded', 'CMR (call quality record), not a call'],
      // An H.323 gateway named by its address, no calling number: the remote end is origIpAddr 838992064, dotted.
      [8, '2-40005-30000009-30000010', '2026-10-05T10:00:01.000Z', 3721, 'video', 'inbound', 'h323', '51002', '192.0.2.50', 'PT_ACME', '16 normal call clearing'],
      [9, 'reject', 'originalCalledPartyNumber'],
    ]);
    expect(callsOf(records).every((c) => c.source === 'StandAloneCluster' && c.conferenceId === c.externalId.split('-').slice(0, 2).join('-'))).toBe(true);
    const reasons = records.flatMap((r) => (r.kind === 'reject' ? [r.reason] : []));
    expect(reasons).toEqual(['duration 99999999 s is longer than a week', 'originalCalledPartyNumber "4.79123E+11" was damaged by a spreadsheet (scientific notation): the original digits are lost']);
  });

  it('reads the same rows without the type row and the quotes, under --source', async () => {
    const lines = fixture().split('\r\n');
    const plain = [lines[0], ...lines.slice(2)].join('\n').replaceAll('"', '');
    const calls = callsOf(await read(plain, { source: 'cucm-hq' }));
    expect(calls.map((c) => [c.source, c.externalId, c.durationSeconds])).toEqual([
      ['cucm-hq', '2-40001-30000001-30000002', 325], ['cucm-hq', '2-40002-30000003-30000004', 61], ['cucm-hq', '2-40003-30000005-30000006', 0], ['cucm-hq', '2-40005-30000009-30000010', 3721],
    ]);
  });

  it('is idempotent: twice, rows shuffled, or cut into odd chunks give the same legs', async () => {
    const text = fixture();
    const once = byId(callsOf(await read(text)));
    const [header, types, ...rows] = text.trimEnd().split('\r\n');
    expect(byId(callsOf(await read([header, types, ...rows, ...rows.reverse()].join('\r\n'))))).toEqual(byId([...once, ...once]));
    const bytes = Buffer.from(text);
    expect(byId(callsOf(await read([bytes.subarray(0, 7), bytes.subarray(7, 1001), bytes.subarray(1001)])))).toEqual(once);
  });

  it('follows a configured mapping: calls of our own phones internal, a gateway address excluded', async () => {
    const records = await read(fixture(), { mapping: { directions: { device: 'internal' }, exclude: [{ field: 'origIpAddr', equals: '192.0.2.50', reason: 'test gateway' }] } });
    expect(records.map((r) => (r.kind === 'call' ? r.call.direction : r.kind === 'excluded' ? r.reason : r.field))).toEqual([
      'internal', 'inbound', 'internal', 'duration', 'CMR (call quality record), not a call', 'test gateway', 'originalCalledPartyNumber',
    ]);
  });
});

describe('cucm-csv reader on malformed rows (made from the in-repo file)', () => {
  /** The in-repo file without its type row, as CAR exports write it. */
  const lines = (): string[] => readFileSync(fixtureFile, 'utf8').split('\r\n').filter((_, i) => i !== 1);
  const header = (): string[] => lines()[0]!.replaceAll('"', '').split(',');
  /** The file's first row (a 325 s video call between two phones) with some columns changed by name. */
  const row = (changes: Record<string, string> = {}): string => {
    const names = header();
    const values = lines()[1]!.split(',');
    for (const [name, value] of Object.entries(changes)) values[names.indexOf(name)] = value;
    return values.join(',');
  };

  it('rejects each bad row with its line, field and reason, and reads on', async () => {
    const text = [
      lines()[0],
      row({ dateTimeOrigination: '0' }),
      row({ dateTimeConnect: '4102444800' }), // 2100-01-01
      row({ duration: '99999999' }),
      row({ duration: '-5' }),
      row({ dateTimeConnect: '0' }), // a duration but never connected
      row({ globalCallID_callId: 'x' }),
      row({ originalCalledPartyNumber: '4.2E+04' }),
      row({ cdrRecordType: '7' }),
      row().split(',').slice(0, 20).join(','),
      `${row()},extra`,
      row({ cdrRecordType: '2' }),
      row({ globalCallID_callId: '99' }),
    ].join('\n');
    const records = await read(text);
    expect(summary(records)).toEqual([
      [2, 'reject', 'dateTimeOrigination'], [3, 'reject', 'dateTimeConnect'], [4, 'reject', 'duration'], [5, 'reject', 'duration'], [6, 'reject', 'duration'],
      [7, 'reject', 'globalCallID_callId'], [8, 'reject', 'originalCalledPartyNumber'], [9, 'reject', 'cdrRecordType'], [10, 'reject', null], [11, 'reject', null],
      [12, 'excluded', 'CMR (call quality record), not a call'], [13, 'call'],
    ]);
    const reasons = records.flatMap((r) => (r.kind === 'reject' ? [r.reason] : []));
    expect(reasons[0]).toBe('dateTimeOrigination 0 (1970-01-01T00:00:00.000Z) is outside the years 2000-2099');
    expect(reasons[1]).toBe('dateTimeConnect 4102444800 (2100-01-01T00:00:00.000Z) is outside the years 2000-2099');
    expect(reasons[2]).toBe('duration 99999999 s is longer than a week');
    expect(reasons[4]).toBe('duration is 325 s but dateTimeConnect is 0 (never connected)');
    expect(reasons[6]).toContain('damaged by a spreadsheet');
    expect(reasons[8]).toBe('has 20 fields where the header has 26');
    expect(records[0]).toMatchObject({ raw: row({ dateTimeOrigination: '0' }) });
  });

  it('rejects a row whose used fields are not UTF-8', async () => {
    const [before, after] = row().split(',"51001",');
    const bytes = Buffer.concat([Buffer.from(`${lines()[0]}\n${before},"51`), Buffer.from([0xff, 0xfe]), Buffer.from(`01",${after}\n`)]);
    expect(summary(await read(bytes))).toEqual([[2, 'reject', 'callingPartyNumber']]);
  });

  it('skips the type row, reads unquoted strings, and follows a repeated header with another layout', async () => {
    const names = header();
    const typeRow = names.map((n) => (/Number|Name|pkid|Partition/.test(n) ? 'VARCHAR(50)' : 'INTEGER')).join(',');
    const unquoted = row().replaceAll('"', '');
    // A second layout without the two protocol columns (an older CUCM version), as `cat` of two files gives.
    const shorter = names.slice(0, 24);
    const text = [names.join(','), typeRow, unquoted, shorter.join(','), row({ globalCallID_callId: '7' }).split(',').slice(0, 24).join(',')].join('\r\n');
    const records = await read(text);
    expect(summary(records)).toEqual([[3, 'call'], [5, 'call']]);
    expect(callsOf(records)).toMatchObject([{ localAlias: '51001', remoteAlias: '51002', externalId: '2-40001-30000001-30000002' }, { externalId: '2-7-30000001-30000002' }]);
  });

  it('refuses a file that is not a CDR file once, and a CMR file row by row as excluded', async () => {
    expect(summary(await read('a,b,c\n1,2,3\n'))).toEqual([[1, 'reject', 'cdrRecordType']]);
    expect(summary(await read('cdrRecordType,globalCallID_callManagerId,globalCallID_callId,nodeId,directoryNum\n2,1,5,1,1000\n2,1,6,1,1001\n'))).toEqual([
      [2, 'excluded', 'CMR (call quality record), not a call'], [3, 'excluded', 'CMR (call quality record), not a call'],
    ]);
  });

  it('makes a leg with a video codec on either side a video leg', async () => {
    const records = await read(`${lines()[0]}\n${row({ origVideoCap_Codec: '0' })}\n${row({ globalCallID_callId: '2', destVideoCap_Codec: '0' })}\n${row({ globalCallID_callId: '3', origVideoCap_Codec: '0', destVideoCap_Codec: '0' })}\n`);
    expect(callsOf(records).map((c) => c.category)).toEqual(['video', 'video', 'audio']);
  });

  it('applies configured directions and exclusion rules, IP addresses compared dotted', async () => {
    const text = `${lines()[0]}\n${row()}\n${row({ globalCallID_callId: '2', origIpAddr: '-989009777' })}\n`;
    const records = await read(text, { mapping: { directions: { device: 'internal' }, exclude: [{ field: 'origIpAddr', equals: '143.232.12.197', reason: 'scanner' }] } });
    expect(summary(records)).toEqual([[2, 'call'], [3, 'excluded', 'scanner']]);
    expect(callsOf(records)[0]).toMatchObject({ direction: 'internal', localAlias: '51001' });
  });
});


describeOnSamples('cucm-csv reader on the public samples', () => {
  const lab = (): string => readFileSync(join(samples, labFile), 'utf8');
  const excel = (): string => readFileSync(join(samples, excelFile), 'utf8');

  it('reads the CUCM 10.5 lab subset (no type row, 123 columns): 12 legs, 2 connected phone-to-phone, 10 never connected', async () => {
    const records = await read(lab(), { source: 'cucm-1' });
    expect(records.every((r) => r.kind === 'call')).toBe(true);
    const calls = callsOf(records);
    expect(calls).toHaveLength(12);
    // Row by row: [line, externalId, startedAt (UTC), duration, direction, localAlias, remoteAlias].
    const shape = (c: Call, i: number) => [records[i]!.line, c.externalId, new Date(c.startedAt).toISOString(), c.durationSeconds, c.direction, c.localAlias, c.remoteAlias];
    expect(calls.map(shape)).toEqual([
      [2, '1-22020-22670646-22670648', '2016-03-02T06:37:06.000Z', 1, 'outbound', '51002', '42000'], // dateTimeConnect 1456900626
      [3, '1-23018-23979658-23979659', '2016-03-06T19:19:41.000Z', 1, 'outbound', '51002', '42000'],
      [4, '1-22004-22670561-22670562', '2016-03-02T06:03:05.000Z', 0, 'outbound', '51002', '42000'], // busy: dateTimeConnect 0, origination 1456898585
      [5, '1-22008-22670577-22670578', '2016-03-02T06:06:17.000Z', 0, 'outbound', '6506042101', '42000'],
      [6, '1-22011-22670595-22670599', '2016-03-02T06:15:08.000Z', 0, 'outbound', '51002', '42000'],
      [7, '1-23001-23979621-23979622', '2016-03-06T16:01:41.000Z', 0, 'inbound', '42101', '+14085151111'], // ISDN PRI through the MGCP gateway
      [8, '1-23002-23979623-23979624', '2016-03-06T16:03:32.000Z', 0, 'inbound', '42101', '911'],
      [9, '1-24024-24726436-24726437', '2016-03-08T20:29:30.000Z', 0, 'inbound', '14085151111', '+14085151111'],
      [10, '1-24030-24726448-24726449', '2016-03-08T20:35:38.000Z', 0, 'inbound', '42101', '+011442030276666'],
      [11, '1-24042-24726477-24726478', '2016-03-09T00:13:26.000Z', 0, 'inbound', '+', '+14085151111'], // called number "+" as CUCM wrote it
      [12, '1-24043-24726479-24726480', '2016-03-09T00:14:54.000Z', 0, 'inbound', undefined, '+14085151111'], // nothing dialled
      [13, '1-25017-25396237-25396238', '2016-03-10T03:51:10.000Z', 0, 'inbound', '42101', '9725252222'],
    ]);
    expect(calls.every((c) => c.source === 'cucm-1' && c.category === 'audio')).toBe(true);
    expect(calls[0]).toMatchObject({ conferenceId: '1-22020', tenant: 'PT_ARC', disconnectReason: '16 normal call clearing' });
    expect(calls[0]!.protocol).toBeUndefined(); // SCCP phone to phone: no trunk protocol
    expect(calls[2]).toMatchObject({ disconnectReason: '17 user busy' });
    expect(calls[5]).toMatchObject({ protocol: 'isdn', disconnectReason: '1 unallocated number' });
  });

  it('reads the Excel-saved production file (type row, 129 columns): 2 inbound H.323 legs; the damaged final number is not used', async () => {
    const records = await read(excel());
    expect(summary(records)).toEqual([[3, 'call'], [4, 'call']]);
    expect(callsOf(records)).toEqual([
      {
        source: 'StandAloneCluster', externalId: '4-872185-75390595-75390608', conferenceId: '4-872185', startedAt: 1452774642000, durationSeconds: 15,
        category: 'audio', direction: 'inbound', protocol: 'h323', localAlias: '3091', remoteAlias: '3365585309', tenant: 'VCC_DN_PT', disconnectReason: '16 normal call clearing',
      },
      {
        // No calling number: the far end is named by its address, 18664714 = 10.205.28.1.
        source: 'StandAloneCluster', externalId: '4-872186-75390609-75390612', conferenceId: '4-872186', startedAt: 1452774652000, durationSeconds: 10,
        category: 'audio', direction: 'inbound', protocol: 'h323', localAlias: '1300', remoteAlias: '10.205.28.1', tenant: 'VCC_DN_PT', disconnectReason: '16 normal call clearing',
      },
    ]);
  });

  it('is idempotent: the same file twice, its rows shuffled, or split into odd chunks give the same legs', async () => {
    for (const text of [lab(), excel()]) {
      const first = callsOf(await read(text));
      expect(callsOf(await read(text))).toEqual(first);
      const lines = text.split('\n').filter((l) => l !== '');
      const headerRows = lines[1]!.startsWith('INTEGER') ? 2 : 1;
      const shuffled = [...lines.slice(0, headerRows), ...lines.slice(headerRows).reverse()].join('\n');
      expect(byId(callsOf(await read(shuffled)))).toEqual(byId(first));
      const bytes = Buffer.from(text);
      const pieces = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
      expect(callsOf(await read(pieces))).toEqual(first);
    }
  });

  it('fuzz: mutated real sample text never throws, accounts for every row, and unharmed rows still yield their legs', async () => {
    const text = lab();
    const header = text.slice(0, text.indexOf('\n') + 1);
    const rows = text.slice(header.length).split('\n').filter((l) => l !== '');
    const values = ['', '0', '-1', '4102444800', '946684799', '99999999999', '9999999', '9.12678E+11', 'abc', '2', '1'];
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('none' as const) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('add' as const) }),
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(...values) }),
      fc.record({ kind: fc.constant('bytes' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 3 }).map((b) => Buffer.from(b.map((x) => x | 0x80))) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(rows.length - 1), mutation), { maxLength: 12 }), fc.option(fc.nat(), { nil: undefined }), async (picks, cutAt) => {
        const lines: Buffer[] = rows.map((r) => Buffer.from(r));
        const harmed = new Set<number>();
        for (const [index, m] of picks) {
          if (m.kind === 'none') continue;
          harmed.add(index);
          const fields = lines[index]!.toString('latin1').split(',');
          if (m.kind === 'truncate') lines[index] = lines[index]!.subarray(0, m.at % lines[index]!.length);
          else if (m.kind === 'drop') lines[index] = Buffer.from(fields.filter((_, i) => i !== m.at % fields.length).join(','), 'latin1');
          else if (m.kind === 'add') lines[index] = Buffer.concat([lines[index]!, Buffer.from(',x')]);
          else if (m.kind === 'set') lines[index] = Buffer.from(fields.map((f, i) => (i === m.at % fields.length ? m.value : f)).join(','), 'latin1');
          else {
            const at = m.at % lines[index]!.length;
            lines[index] = Buffer.concat([lines[index]!.subarray(0, at), m.bytes, lines[index]!.subarray(at)]);
          }
        }
        let body = Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]));
        if (cutAt !== undefined) body = body.subarray(0, cutAt % (body.length + 1));
        const records = await read(Buffer.concat([Buffer.from(header), body]), { source: 'cucm-1' });
        const nonEmptyLines = body.toString('latin1').split('\n').filter((l) => l !== '').length;
        expect(records).toHaveLength(nonEmptyLines);
        for (const r of records) {
          if (r.kind === 'call') {
            expect(r.call.startedAt).toBeGreaterThanOrEqual(Date.UTC(2000, 0, 1));
            expect(r.call.startedAt).toBeLessThan(Date.UTC(2100, 0, 1));
            expect(r.call.durationSeconds).toBeGreaterThanOrEqual(0);
            expect(r.call.durationSeconds).toBeLessThanOrEqual(604800);
            expect(`${r.call.localAlias ?? ''}${r.call.remoteAlias ?? ''}`).not.toContain('\uFFFD');
          } else if (r.kind === 'reject') {
            expect(r.line).toBeGreaterThan(1);
            expect(r.reason.length).toBeGreaterThan(0);
          }
        }
        const fullLines = body.toString('latin1').split('\n').length - 1; // lines that kept their end
        rows.forEach((_, i) => {
          if (!harmed.has(i) && i < fullLines) expect(records.find((r) => r.line === i + 2)?.kind).toBe('call');
        });
      }),
      { numRuns: fuzzRuns(300) },
    );
  });
});
