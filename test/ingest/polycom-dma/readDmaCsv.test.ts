import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { IngestRecord, ReaderOptions } from '../../../src/ingest/ingestRecord.ts';
import { readDmaCsv } from '../../../src/ingest/polycom-dma/readDmaCsv.ts';

// No public DMA CDR rows exist: these rows are CONSTRUCTED from the call CDR field list of
// docs/vendors/polycom-dma.md and of the DMA operations guide.
const header = 'version,type,callType,callUuid,dialin,startTime,endTime,origEndpoint,destEndpoint,dialString,origSignalingId,origCallId,destCallId,userRole,userDataA,userDataB,userDataC,failureSignalingCode,cluster';
const rows = {
  vmrDialInAcrossSpringDst: '4,CALL,VMR,c-0001,TRUE,2026-03-29T01:30:00.000+01:00,2026-03-29T03:45:10.250+02:00,alice@acme.example,,7001@dma.example,"""Alice"" <sip:alice@acme.example>;tag=a1",oc1,dc1,chairperson,,acme,,,dma-osl',
  vmrDialOutAcrossAutumnDst: '4,CALL,VMR,c-0002,FALSE,2026-10-25T02:50:00.000+02:00,2026-10-25T02:10:00.000+01:00,,room5@beta.example,room5@beta.example,<sip:7001@mcu.dma.example>,oc2,dc2,participant,,acme,api-7,,dma-osl',
  pointToPoint: '4,CALL,PT-PT,c-0003,TRUE,2026-06-01T10:00:00.000+02:00,2026-06-01T10:05:30.400+02:00,alice@acme.example,bob@acme.example,bob@acme.example,<sip:alice@acme.example>,oc3,dc3,,acme-user,,,,dma-osl',
  lobby: '4,CALL,VEQ,c-0004,TRUE,2026-06-01T10:00:00.000+02:00,2026-06-01T10:00:40.000+02:00,carol@gamma.example,,7000@dma.example,,oc4,dc4,,,,,,dma-osl',
  busy: '4,CALL,PT-PT,c-0005,TRUE,2026-06-01T11:00:00.000Z,2026-06-01T11:00:00.000Z,alice@acme.example,dave@delta.example,dave@delta.example,<sip:alice@acme.example>,oc5,,,,,,486:BUSY HERE,dma-osl',
  itp: '4,CALL,VMR,"itp-1a,itp-1b",TRUE,"2026-06-02T09:00:00.000+02:00,2026-06-02T09:00:01.000+02:00","2026-06-02T10:00:00.000+02:00,2026-06-02T10:00:00.000+02:00","tp1@acme.example,tp2@acme.example",,7001@dma.example,,"o1,o2","d1,d2",,,acme,,,dma-osl',
};
const good = Object.values(rows);

async function read(input: string | Buffer, options: Partial<ReaderOptions> = {}): Promise<IngestRecord[]> {
  const records: IngestRecord[] = [];
  for await (const r of readDmaCsv(Readable.from([input]), { file: 'calls.csv', source: 'dma-1', ...options })) records.push(r);
  return records;
}

const callsOf = (records: IngestRecord[]) => records.flatMap((r) => (r.kind === 'call' ? [r.call] : []));

describe('dma-csv reader (constructed rows)', () => {
  it('yields the legs read by hand: each time with its own offset across DST changes', async () => {
    const records = await read(`${header}\n${good.join('\n')}\n`);
    expect(records.map((r) => [r.kind, r.line])).toEqual([['call', 2], ['call', 3], ['call', 4], ['excluded', 5], ['call', 6], ['call', 7], ['call', 7]]);
    expect(records[3]).toEqual({ kind: 'excluded', line: 5, reason: 'IVR/lobby leg (VEQ)' });
    expect(callsOf(records)).toEqual([
      // 01:30 CET = 00:30Z; 03:45:10.25 CEST = 01:45:10.25Z: 4510.25 s.
      { source: 'dma-1', externalId: 'c-0001#2026-03-29T00:30:00.000Z', startedAt: Date.UTC(2026, 2, 29, 0, 30), durationSeconds: 4510, category: 'non-routed', direction: 'inbound',
        protocol: 'sip', localAlias: '7001@dma.example', remoteAlias: 'alice@acme.example', tenant: 'acme' },
      // 02:50 CEST = 00:50Z; 02:10 CET (the repeated hour, told apart by its offset) = 01:10Z: 20 min.
      { source: 'dma-1', externalId: 'c-0002#2026-10-25T00:50:00.000Z', startedAt: Date.UTC(2026, 9, 25, 0, 50), durationSeconds: 1200, category: 'non-routed', direction: 'outbound',
        protocol: 'sip', localAlias: 'sip:7001@mcu.dma.example', remoteAlias: 'room5@beta.example', tenant: 'acme' },
      { source: 'dma-1', externalId: 'c-0003#2026-06-01T08:00:00.000Z', startedAt: Date.UTC(2026, 5, 1, 8, 0), durationSeconds: 330, category: 'video', direction: 'outbound',
        protocol: 'sip', localAlias: 'alice@acme.example', remoteAlias: 'bob@acme.example', tenant: 'acme-user' },
      { source: 'dma-1', externalId: 'c-0005#2026-06-01T11:00:00.000Z', startedAt: Date.UTC(2026, 5, 1, 11, 0), durationSeconds: 0, category: 'video', direction: 'outbound',
        protocol: 'sip', localAlias: 'alice@acme.example', remoteAlias: 'dave@delta.example', disconnectReason: '486:BUSY HERE' },
      { source: 'dma-1', externalId: 'itp-1a#2026-06-02T07:00:00.000Z', startedAt: Date.UTC(2026, 5, 2, 7, 0, 0), durationSeconds: 3600, category: 'non-routed', direction: 'inbound',
        localAlias: '7001@dma.example', remoteAlias: 'tp1@acme.example', tenant: 'acme' },
      { source: 'dma-1', externalId: 'itp-1b#2026-06-02T07:00:01.000Z', startedAt: Date.UTC(2026, 5, 2, 7, 0, 1), durationSeconds: 3599, category: 'non-routed', direction: 'inbound',
        localAlias: '7001@dma.example', remoteAlias: 'tp2@acme.example', tenant: 'acme' },
    ]);
  });

  it('makes a point-to-point call between two ends of one customer internal, and puts the customer end local', async () => {
    const customerOfDomain = (d: string) => ({ 'acme.example': 'acme', 'delta.example': 'delta' })[d];
    const calls = callsOf(await read(`${header}\n${rows.pointToPoint}\n${rows.busy.replace('alice@acme.example', 'erin@nowhere.example').replace('<sip:alice@acme.example>', '')}\n`, { customerOfDomain }));
    expect(calls.map((c) => [c.direction, c.localAlias, c.remoteAlias])).toEqual([
      ['internal', 'alice@acme.example', 'bob@acme.example'],
      ['outbound', 'dave@delta.example', 'erin@nowhere.example'],
    ]);
  });

  it('reads local times without offset (a spreadsheet dropped it) in the source time zone, refusing the skipped hour', async () => {
    const damaged = (start: string, end: string) => `4,CALL,VMR,c-9,TRUE,${start},${end},alice@acme.example,,7001@dma.example,,,,,,acme,,,dma-osl`;
    const records = await read(`${header}\n${damaged('2026-03-29 01:59:00', '2026-03-29 03:01:00')}\n${damaged('2026-03-29 02:30:00', '2026-03-29 03:01:00')}\n`, { timeZone: 'Europe/Oslo' });
    expect(records[0]).toMatchObject({ kind: 'call', call: { startedAt: Date.UTC(2026, 2, 29, 0, 59), durationSeconds: 120 } });
    expect(records[1]).toMatchObject({ kind: 'reject', line: 3, field: 'startTime' });
    expect(records[1]!.kind === 'reject' && records[1]!.reason).toContain('does not exist in Europe/Oslo');
  });

  it('rejects each bad row with its line, field and reason, and reads on', async () => {
    const bad = [
      rows.pointToPoint.replace('2026-06-01T10:00:00.000+02:00', '01.06.2026 10:00'),
      rows.pointToPoint.replace('2026-06-01T10:00:00.000+02:00', '1970-01-01T00:00:00.000Z'),
      '4,CALL,PT-PT,c-7',
      rows.pointToPoint.replace('PT-PT', 'XYZ'),
      rows.pointToPoint.replace('10:05:30.400', '09:05:30.400'),
      rows.pointToPoint.replace('10:05:30.400+02:00', '10:05:30.400+02:00').replace('2026-06-01T10:05', '2026-06-21T10:05'),
      rows.pointToPoint.replace(',c-0003,', ',,'),
      rows.pointToPoint.replace(',TRUE,', ',MAYBE,').replace('PT-PT', 'VMR'),
      rows.pointToPoint,
    ];
    const records = await read(`${header}\n${bad.join('\n')}\n`);
    expect(records.map((r) => [r.line, r.kind === 'reject' ? r.field : r.kind])).toEqual([
      [2, 'startTime'], [3, 'startTime'], [4, null], [5, 'callType'], [6, 'endTime'], [7, 'endTime'], [8, 'callUuid'], [9, 'dialin'], [10, 'call'],
    ]);
    const reasons = records.flatMap((r) => (r.kind === 'reject' ? [r.reason] : []));
    expect(reasons[1]).toBe('startTime "1970-01-01T00:00:00.000Z" is outside the years 2000-2099');
    expect(reasons[2]).toBe('has 4 fields where the header has 19');
    expect(reasons[3]).toBe('callType "XYZ" has no category in the mapping (mappings.dma-csv.categories)');
    expect(reasons[5]).toBe('endTime gives 1728330 s, longer than a week');
  });

  it('refuses the conference file (no callUuid column) in one reject naming the column', async () => {
    const records = await read('version,type,confType,cluster,confUUID,startTime,endTime\n4,CONF,AD-HOC,x,u,2026-06-01T10:00:00Z,2026-06-01T11:00:00Z\n');
    expect(records).toEqual([expect.objectContaining({ kind: 'reject', line: 1, field: 'callType' })]);
  });

  it('rejects a row with bytes that are not UTF-8, naming the field', async () => {
    const bytes = Buffer.concat([Buffer.from(`${header}\n4,CALL,PT-PT,c-1,TRUE,2026-06-01T10:00:00Z,2026-06-01T10:01:00Z,al`), Buffer.from([0xff, 0xfe]), Buffer.from('ice@acme.example,,,,,,,,,,,dma\n')]);
    expect((await read(bytes))[0]).toMatchObject({ kind: 'reject', line: 2, field: 'origEndpoint', reason: 'origEndpoint is not valid UTF-8' });
  });

  it('is idempotent: the same rows again, shuffled or split across files give the same legs', async () => {
    const once = callsOf(await read(`${header}\n${good.join('\n')}\n`));
    const key = (c: { externalId: string }) => c.externalId;
    const sorted = (calls: typeof once) => [...calls].sort((a, b) => key(a).localeCompare(key(b)));
    const shuffled = callsOf(await read(`${header}\n${[...good].reverse().join('\n')}\n`));
    const split = [...callsOf(await read(`${header}\n${good.slice(0, 3).join('\n')}\n`)), ...callsOf(await read(`${header}\n${good.slice(3).join('\n')}\n`))];
    expect(sorted(shuffled)).toEqual(sorted(once));
    expect(sorted(split)).toEqual(sorted(once));
    expect(new Set(once.map(key)).size).toBe(once.length);
  });

  it('fuzz: mutated files never throw; every row is a call, an exclusion or a reject with a reason', async () => {
    const line = fc.oneof(
      fc.constantFrom(...good),
      fc.constantFrom(...good).chain((row) => fc.nat({ max: row.length }).map((n) => row.slice(0, n))),
      fc.constantFrom(...good).map((row) => row.replace(/2026/g, '1970')),
      fc.constantFrom(...good).map((row) => row.replace(/2026-(\d\d)-(\d\d)T1/, '2100-$1-$2T1')),
      fc.constantFrom(...good).map((row) => `${row},extra`),
      fc.constantFrom(...good).map((row) => row.replace(/,[^,]*$/, '')),
      fc.string({ maxLength: 80 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 12 }), fc.uint8Array({ maxLength: 6 }), fc.nat(), async (lines, noise, at) => {
        const text = Buffer.from(`${header}\n${lines.join('\n')}\n`);
        const cut = header.length + 1 + (at % Math.max(1, text.length - header.length));
        const input = Buffer.concat([text.subarray(0, cut), Buffer.from(noise), text.subarray(cut)]);
        const records = await read(input, { timeZone: 'Europe/Oslo' });
        for (const r of records) {
          if (r.kind === 'call') {
            expect(r.call.startedAt).toBeGreaterThanOrEqual(Date.UTC(2000, 0, 1));
            expect(r.call.startedAt).toBeLessThan(Date.UTC(2100, 0, 1));
            expect(Number.isInteger(r.call.durationSeconds) && r.call.durationSeconds >= 0 && r.call.durationSeconds <= 604800).toBe(true);
          } else if (r.kind === 'reject') {
            expect(r.reason.length).toBeGreaterThan(0);
            if (r.line !== null) expect(r.line).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
