import { describe, expect, it } from 'vitest';
import type { CmsRecord } from '../../src/ingest/cisco-cms/cmsRecord.ts';
import { cmsLegIdsOfCalls, cmsRecordsOfLegs, insertCmsRecords } from '../../src/storage/cmsRecordStore.ts';
import type { Database } from '../../src/storage/database.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const at = (minute: number): number => Date.UTC(2024, 2, 1, 10, minute);
const record = (correlatorIndex: number, type: CmsRecord['type'], time: number, ids: { legId?: string; callId?: string }, session = 's-1'): CmsRecord => ({
  session, correlatorIndex, type, time, id: ids.legId ?? ids.callId ?? 'x', fields: {}, ...ids,
});

describe.each(databaseKinds)('cmsRecordStore on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('a resent record is stored once; another record under the same key is a conflict and the stored one stays', async () => {
    const first = record(1, 'callStart', at(0), { callId: 'c1' });
    await db.transaction(async (tx) => {
      expect(await insertCmsRecords(tx, 'cms-a', [first, record(2, 'callLegStart', at(1), { legId: 'l1', callId: 'c1' })], 'f')).toEqual({ inserted: 2, conflicting: [] });
      const changed = { ...first, time: at(5) };
      // The same key in another source is another record.
      expect(await insertCmsRecords(tx, 'cms-b', [changed], 'f')).toEqual({ inserted: 1, conflicting: [] });
      expect(await insertCmsRecords(tx, 'cms-a', [first, changed], 'f')).toEqual({ inserted: 0, conflicting: [{ record: changed, stored: first }] });
    });
  });

  it('reads each leg whole, with only the first callStart and the last callEnd of its calls (a call resent with 300 starts)', async () => {
    const starts = Array.from({ length: 300 }, (_, i) => record(100 + i, 'callStart', at(30 - (i % 30)), { callId: 'c2' }, `s-${i % 7}`));
    const ends = [record(500, 'callEnd', at(90), { callId: 'c2' }, 's-1'), record(501, 'callEnd', at(90), { callId: 'c2' }, 's-2'), record(502, 'callEnd', at(60), { callId: 'c2' })];
    const legs = [record(600, 'callLegStart', at(2), { legId: 'l2', callId: 'c2' }), record(601, 'callLegEnd', at(80), { legId: 'l2' }), record(602, 'recordingStart', at(3), { legId: 'l2', callId: 'c9' })];
    const other = [record(700, 'callLegStart', at(2), { legId: 'l3', callId: 'c3' }), record(701, 'callStart', at(1), { callId: 'c3' })];
    await db.transaction(async (tx) => {
      await insertCmsRecords(tx, 'cms-c', [...starts, ...ends, ...legs, ...other], 'f');
      const read = await cmsRecordsOfLegs(tx, 'cms-c', ['l2', 'l2']);
      const index = (rs: CmsRecord[]) => rs.map((r) => r.correlatorIndex).sort((a, b) => a - b);
      // The earliest start: minute 1 twice (i = 29 in session s-1, i = 59 in s-3…); the lowest session, then counter, wins.
      const earliest = starts.filter((s) => s.time === at(1)).sort((a, b) => a.session.localeCompare(b.session) || a.correlatorIndex - b.correlatorIndex)[0]!;
      expect(index(read)).toEqual([earliest.correlatorIndex, 501, 600, 601, 602]);
      expect(await cmsLegIdsOfCalls(tx, 'cms-c', ['c2', 'c3', 'c2', 'none'])).toEqual(expect.arrayContaining(['l2', 'l3']));
      expect(await cmsLegIdsOfCalls(tx, 'cms-c', ['c2', 'c3', 'c2', 'none'])).toHaveLength(2);
    });
  });
});
