import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readConfbillCsv } from '../../src/ingest/confbill-csv/readConfbillCsv.ts';
import { ingestCalls } from '../../src/services/ingestCalls.ts';
import type { Database } from '../../src/storage/database.ts';
import { migrate } from '../../src/storage/migrations.ts';
import { insertRejects, listRejects } from '../../src/storage/rejectStore.ts';
import { csvHeader } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

function row(id: string, fields: { startedAt?: string; seconds?: string; category?: string; local?: string } = {}): string {
  return `nul-src,${id},,${fields.startedAt ?? '2026-10-05T09:00:00Z'},${fields.seconds ?? '60'},${fields.category ?? 'video'},inbound,sip,${fields.local ?? `room-${id}@acme.example`},,`;
}

/** 18 rows that cannot go in, each for another reason or field; six of them because of a NUL byte. */
const badRows = [
  row('b1', { seconds: '-5' }), row('b2', { seconds: 'ten' }), row('b3', { startedAt: 'yesterday' }), row('b4', { startedAt: '1970-01-01T00:00:00Z' }),
  row('b5', { category: 'smell' }), row('b6', { category: 'vid\0eo' }), row('b7', { local: 'room\0@acme.example' }), row('b8', { local: '\0' }),
  row('', {}), row('b10', { seconds: '9999999' }), 'nul-src,b11,,2026-10-05T09:00:00Z,60', 'nul-src,b12\0,,2026-10-05T09:00:00Z,60,video,inbound,sip,a,,',
  row('b13', { startedAt: '2026-10-05T09:00:00\0Z' }), row('b14', { category: 'Video' }), 'nul-src,b15,,2026-10-05T09:00:00Z,60,video,sideways,sip,a,,',
  'nul-src,b16,"x\0",2026-10-05T09:00:00Z,60,video,inbound,sip,a,,', row('b17', { startedAt: '2026-13-05T09:00:00Z' }), 'nul-src,b18,,2026-10-05T09:00:00Z,60,video,inbound,sip,a,,,,',
];

describe.each(databaseKinds)('rejects on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));
  const count = async (sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(sql, params))[0]!.n;

  it('one NUL byte in a 20,000-row batch rejects that row, naming its field, and the other 19,999 go in', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => row(`big-${i}`, i === 12_345 ? { local: 'room\0-12345@acme.example' } : {}));
    const summary = await ingestCalls(db, readConfbillCsv, Readable.from([`${csvHeader}\n${rows.join('\n')}\n`]), { format: 'confbill-csv', file: 'big.csv' });
    expect(summary).toMatchObject({ read: 20_000, new: 19_999, rejected: 1 });
    expect(await count(`SELECT count(*)::int AS n FROM calls WHERE external_id LIKE 'big-%'`)).toBe(19_999);
    const [reject] = await db.query<{ line: number; field: string; reason: string; raw: string }>(`SELECT line, field, reason, raw FROM ingest_rejects WHERE file = 'big.csv'`);
    expect(reject).toEqual({ line: 12_347, field: 'localAlias', reason: 'localAlias contains a NUL byte (0x00)', raw: row('big-12345', { local: 'room\\u0000-12345@acme.example' }) });
  });

  it('a file with 18 bad rows ingested twice stores its 18 rejects once; the second run still reports them', async () => {
    const good = Array.from({ length: 30 }, (_, i) => row(`g${i}`));
    const csv = `${csvHeader}\n${[...good.slice(0, 15), ...badRows, ...good.slice(15)].join('\n')}\n`;
    const first = await ingestCalls(db, readConfbillCsv, Readable.from([csv]), { format: 'confbill-csv', file: 'eighteen.csv', source: 'nul-src' });
    expect(first).toMatchObject({ read: 48, new: 30, rejected: 18 });
    expect(await count(`SELECT count(*)::int AS n FROM ingest_rejects WHERE file = 'eighteen.csv'`)).toBe(18);
    const second = await ingestCalls(db, readConfbillCsv, Readable.from([csv]), { format: 'confbill-csv', file: 'eighteen.csv', source: 'nul-src' });
    expect(second).toMatchObject({ read: 48, new: 0, unchanged: 30, rejected: 18 });
    expect(second.firstRejects.map((r) => r.line)).toEqual([17, 18, 19, 20, 21, 22, 23, 24, 25, 26]);
    expect(await count(`SELECT count(*)::int AS n FROM ingest_rejects WHERE file = 'eighteen.csv'`)).toBe(18);
    const stored = await db.query<{ line: number; field: string | null; reason: string }>(`SELECT line, field, reason FROM ingest_rejects WHERE file = 'eighteen.csv' ORDER BY line`);
    expect(stored.map((r) => r.line)).toEqual(Array.from({ length: 18 }, (_, i) => 17 + i));
    expect(stored.filter((r) => r.reason.includes('NUL byte (0x00)')).map((r) => [r.line, r.field])).toEqual([
      [22, 'category'], [23, 'localAlias'], [24, 'localAlias'], [28, 'externalId'], [29, 'startedAt'], [32, 'conferenceId'],
    ]);
    // The same rows in another file are other rejects: the file is part of what a reject is.
    await ingestCalls(db, readConfbillCsv, Readable.from([csv]), { format: 'confbill-csv', file: 'eighteen-copy.csv', source: 'nul-src' });
    expect(await count(`SELECT count(*)::int AS n FROM ingest_rejects WHERE file LIKE 'eighteen%'`)).toBe(36);
  });

  it('stores a reject whose every text holds NUL bytes, with each NUL written as \\u0000, once', async () => {
    const reject = { format: 'confbill-csv', file: 'n\0l.csv', line: 3, field: 'local\0Alias', reason: 'category "vid\0eo" is not one of video, audio', raw: 'a,\0,b\0\0', source: 'nul-src' };
    await insertRejects(db, [reject, reject]);
    await insertRejects(db, [reject]);
    const stored = (await listRejects(db)).filter((r) => r.file === 'n\\u0000l.csv');
    expect(stored.map(({ file, line, field, reason, raw }) => ({ file, line, field, reason, raw }))).toEqual([
      { file: 'n\\u0000l.csv', line: 3, field: 'local\\u0000Alias', reason: 'category "vid\\u0000eo" is not one of video, audio', raw: 'a,\\u0000,b\\u0000\\u0000' },
    ]);
  });

  it('migration 0009 keeps the first of the rejects that older versions stored several times', async () => {
    await db.exec(`DROP INDEX ingest_rejects_once; DROP FUNCTION ingest_reject_key; DELETE FROM schema_migrations WHERE version = 9;`);
    const old = (n: number) => `('confbill-csv', 'old.csv', ${n}, 'startedAt', 'startedAt "x" is not an ISO 8601 instant', 'raw ${n}', 'nul-src')`;
    await db.exec(`INSERT INTO ingest_rejects (format, file, line, field, reason, raw, source) VALUES ${[1, 2, 3, 1, 2, 3, 1, 2, 3, 4].map(old).join(', ')}`);
    const before = await db.query<{ id: number; line: number }>(`SELECT id, line FROM ingest_rejects WHERE file = 'old.csv' ORDER BY id`);
    expect(before).toHaveLength(10);
    expect(await migrate(db)).toEqual([9]);
    const after = await db.query<{ id: number; line: number }>(`SELECT id, line FROM ingest_rejects WHERE file = 'old.csv' ORDER BY id`);
    expect(after).toEqual([before[0], before[1], before[2], before[9]]);
    await insertRejects(db, [{ format: 'confbill-csv', file: 'old.csv', line: 2, field: 'startedAt', reason: 'startedAt "x" is not an ISO 8601 instant', raw: 'raw 2', source: 'nul-src' }]);
    expect(await count(`SELECT count(*)::int AS n FROM ingest_rejects WHERE file = 'old.csv'`)).toBe(4);
  });
});
