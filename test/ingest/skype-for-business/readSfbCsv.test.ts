import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { IngestRecord, ReaderOptions } from '../../../src/ingest/ingestRecord.ts';
import { readSfbCsv } from '../../../src/ingest/skype-for-business/readSfbCsv.ts';

// No public LcsCDR rows exist: these rows are CONSTRUCTED from the SessionDetails columns of
// Microsoft's LcsCDR schema documentation, shaped as the export query of
// docs/vendors/skype-for-business.md writes them (sqlcmd: NULL as "NULL", datetimes as SQL text).
const header = 'SessionIdTime,SessionIdSeq,InviteTime,ResponseTime,ResponseCode,SessionEndTime,User1Uri,User2Uri,MediaTypes,CallFlag';
const rows = {
  videoInternal: '2026-10-05 09:00:00.123,1,2026-10-05 09:00:00.123,2026-10-05 09:00:04.500,200,2026-10-05 09:12:34.800,alice@acme.example,bob@acme.example,48,0',
  audioFederated: '2026-10-05 10:00:00.000,1,2026-10-05 10:00:00.000,2026-10-05 10:00:02.000,200,2026-10-05 10:30:02.000,alice@acme.example,carol@partner.example,16,0',
  imSameInstant: '2026-10-05 10:00:00.000,2,2026-10-05 10:00:00.000,2026-10-05 10:00:00.200,200,2026-10-05 10:05:00.000,bob@acme.example,alice@acme.example,1,0',
  unanswered: '2026-10-05 11:00:00.000,1,2026-10-05 11:00:00.000,NULL,480,NULL,carol@partner.example,alice@acme.example,16,0',
  sharingIso: '2026-10-06T08:00:00.000,1,2026-10-06T08:00:00.000,2026-10-06T08:00:01.000,200,2026-10-06T08:45:01.000,dave@beta.example,alice@acme.example,10,0',
};
const good = Object.values(rows);

async function read(input: string | Buffer, options: Partial<ReaderOptions> = {}): Promise<IngestRecord[]> {
  const records: IngestRecord[] = [];
  for await (const r of readSfbCsv(Readable.from([input]), { file: 'sessions.csv', source: 'sfb-pool1', ...options })) records.push(r);
  return records;
}

const callsOf = (records: IngestRecord[]) => records.flatMap((r) => (r.kind === 'call' ? [r.call] : []));
const customerOfDomain = (d: string) => ({ 'acme.example': 'acme', 'beta.example': 'beta', 'acme-sales.example': 'acme' })[d];

describe('sfb-csv reader (constructed rows)', () => {
  it('yields the legs read by hand: answered sessions from 200 OK to BYE, unanswered ones 0 s, IM excluded', async () => {
    const records = await read(`${header}\n${good.join('\n')}\n`, { customerOfDomain });
    expect(records.map((r) => [r.kind, r.line])).toEqual([['call', 2], ['call', 3], ['excluded', 4], ['call', 5], ['call', 6]]);
    expect(records[2]).toEqual({ kind: 'excluded', line: 4, reason: 'instant messaging' });
    expect(callsOf(records)).toEqual([
      // 09:00:04.5 → 09:12:34.8 = 750.3 s; both ends acme's.
      { source: 'sfb-pool1', externalId: '2026-10-05T09:00:00.123Z#1', startedAt: Date.UTC(2026, 9, 5, 9, 0, 4, 500), durationSeconds: 750, category: 'skype', direction: 'internal',
        protocol: 'sip', localAlias: 'alice@acme.example', remoteAlias: 'bob@acme.example' },
      { source: 'sfb-pool1', externalId: '2026-10-05T10:00:00.000Z#1', startedAt: Date.UTC(2026, 9, 5, 10, 0, 2), durationSeconds: 1800, category: 'skype', direction: 'external',
        protocol: 'sip', localAlias: 'alice@acme.example', remoteAlias: 'carol@partner.example' },
      // Federated caller not a customer: the local end is the called acme user.
      { source: 'sfb-pool1', externalId: '2026-10-05T11:00:00.000Z#1', startedAt: Date.UTC(2026, 9, 5, 11, 0), durationSeconds: 0, category: 'skype', direction: 'external',
        protocol: 'sip', localAlias: 'alice@acme.example', remoteAlias: 'carol@partner.example', disconnectReason: 'SIP 480' },
      // MediaTypes 10 = app sharing + file transfer; two different customers: external.
      { source: 'sfb-pool1', externalId: '2026-10-06T08:00:00.000Z#1', startedAt: Date.UTC(2026, 9, 6, 8, 0, 1), durationSeconds: 2700, category: 'skype', direction: 'external',
        protocol: 'sip', localAlias: 'dave@beta.example', remoteAlias: 'alice@acme.example' },
    ]);
  });

  it('decides internal/external by customer, not by domain text', async () => {
    const row = rows.audioFederated.replace('carol@partner.example', 'erin@acme-sales.example');
    expect(callsOf(await read(`${header}\n${row}\n`, { customerOfDomain }))[0]!.direction).toBe('internal');
    // Without the customers' domains, different domains are external and equal ones internal.
    expect(callsOf(await read(`${header}\n${row}\n${rows.videoInternal}\n`)).map((c) => c.direction)).toEqual(['external', 'internal']);
  });

  it('lets the mapping make video sessions video and keep IM', async () => {
    const records = await read(`${header}\n${rows.videoInternal}\n${rows.imSameInstant}\n`, {
      mapping: { categories: { video: 'video', 'instant messaging': 'skype' }, directions: {}, exclude: [] },
    });
    expect(callsOf(records).map((c) => [c.externalId, c.category])).toEqual([['2026-10-05T09:00:00.123Z#1', 'video'], ['2026-10-05T10:00:00.000Z#2', 'skype']]);
  });

  it('rejects each bad row with its line, field and reason, and reads on', async () => {
    const bad = [
      rows.videoInternal.replace('2026-10-05 09:00:04.500', '10/5/2026 9:00:04 AM'),
      rows.videoInternal.replace('2026-10-05 09:12:34.800', 'NULL'),
      rows.videoInternal.replace(',48,', ',abc,'),
      rows.videoInternal.replace('09:12:34.800', '08:12:34.800'),
      rows.videoInternal.replace('2026-10-05 09:00:04.500', '1970-01-01 00:00:00.000'),
      rows.videoInternal.replace('2026-10-05 09:12:34.800', '2026-12-05 09:12:34.800'),
      '2026-10-05 09:00:00.123,1,2026-10-05 09:00:00.123',
      rows.videoInternal.replace(',1,', ',x,'),
      rows.videoInternal,
    ];
    const records = await read(`${header}\n${bad.join('\n')}\n`);
    expect(records.map((r) => [r.line, r.kind === 'reject' ? r.field : r.kind])).toEqual([
      [2, 'ResponseTime'], [3, 'SessionEndTime'], [4, 'MediaTypes'], [5, 'SessionEndTime'], [6, 'ResponseTime'], [7, 'SessionEndTime'], [8, null], [9, 'SessionIdSeq'], [10, 'call'],
    ]);
    const reasons = records.flatMap((r) => (r.kind === 'reject' ? [r.reason] : []));
    expect(reasons[0]).toBe('ResponseTime "10/5/2026 9:00:04 AM" is not a date and time (YYYY-MM-DD HH:MM:SS.fff, UTC)');
    expect(reasons[1]).toBe('SessionEndTime is empty for an answered session (no BYE recorded): its duration is unknown');
    expect(reasons[4]).toBe('ResponseTime "1970-01-01 00:00:00.000" is outside the years 2000-2099');
    expect(reasons[5]).toBe('SessionEndTime gives 5271150 s, longer than a week');
  });

  it('refuses a file without the export query columns in one reject', async () => {
    expect(await read('SessionIdTime,SessionIdSeq\nx,1\n')).toEqual([expect.objectContaining({ kind: 'reject', line: 1, field: 'InviteTime' })]);
  });

  it('rejects a row with bytes that are not UTF-8, naming the field', async () => {
    const bytes = Buffer.concat([Buffer.from(`${header}\n${rows.videoInternal.replace(',0', '')},`), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    expect((await read(bytes))[0]).toMatchObject({ kind: 'reject', line: 2, field: 'CallFlag', reason: 'CallFlag is not valid UTF-8' });
  });

  it('is idempotent: the same rows again, shuffled or split across files give the same legs', async () => {
    const once = callsOf(await read(`${header}\n${good.join('\n')}\n`, { customerOfDomain }));
    const sorted = (calls: typeof once) => [...calls].sort((a, b) => a.externalId.localeCompare(b.externalId));
    const shuffled = callsOf(await read(`${header}\n${[...good].reverse().join('\n')}\n`, { customerOfDomain }));
    const split = [...callsOf(await read(`${header}\n${good.slice(0, 2).join('\n')}\n`, { customerOfDomain })), ...callsOf(await read(`${header}\n${good.slice(2).join('\n')}\n`, { customerOfDomain }))];
    expect(sorted(shuffled)).toEqual(sorted(once));
    expect(sorted(split)).toEqual(sorted(once));
    expect(new Set(once.map((c) => c.externalId)).size).toBe(once.length);
  });

  it('fuzz: mutated files never throw; every row is a call, an exclusion or a reject with a reason', async () => {
    const line = fc.oneof(
      fc.constantFrom(...good),
      fc.constantFrom(...good).chain((row) => fc.nat({ max: row.length }).map((n) => row.slice(0, n))),
      fc.constantFrom(...good).map((row) => row.replace(/2026/g, '1970')),
      fc.constantFrom(...good).map((row) => row.replace(/2026-10-0(\d)(.)(\d\d:\d\d:\d\d\.\d+),200/, '2100-10-0$1$2$3,200')),
      fc.constantFrom(...good).map((row) => `${row},extra`),
      fc.constantFrom(...good).map((row) => row.replace(/,[^,]*$/, '')),
      fc.string({ maxLength: 80 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 12 }), fc.uint8Array({ maxLength: 6 }), fc.nat(), async (lines, noise, at) => {
        const text = Buffer.from(`${header}\n${lines.join('\n')}\n`);
        const cut = header.length + 1 + (at % Math.max(1, text.length - header.length));
        const records = await read(Buffer.concat([text.subarray(0, cut), Buffer.from(noise), text.subarray(cut)]), { customerOfDomain });
        for (const r of records) {
          if (r.kind === 'call') {
            expect(r.call.startedAt).toBeGreaterThanOrEqual(Date.UTC(2000, 0, 1));
            expect(r.call.startedAt).toBeLessThan(Date.UTC(2100, 0, 1));
            expect(Number.isInteger(r.call.durationSeconds) && r.call.durationSeconds >= 0 && r.call.durationSeconds <= 604800).toBe(true);
          } else if (r.kind === 'reject') {
            expect(r.reason.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
