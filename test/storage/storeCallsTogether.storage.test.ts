import { describe, expect, it } from 'vitest';
import type { Call } from '../../src/domain/call.ts';
import { loadCallMatcher } from '../../src/services/matchingRules.ts';
import { storeCallsTogether } from '../../src/services/storeCallsTogether.ts';
import type { Database } from '../../src/storage/database.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const call = (externalId: string, durationSeconds: number): Call => ({
  source: 'pexip', externalId, startedAt: Date.UTC(2026, 9, 5, 9), durationSeconds, category: 'video', direction: 'inbound',
});

describe.each(databaseKinds)('storeCallsTogether on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('writes that wait together share a transaction; of two records of one call the later stands, and each caller learns its own outcomes', async () => {
    const matcher = await loadCallMatcher(db);
    // Asked in the same turn of the event loop: one group, one transaction.
    const first = storeCallsTogether(db, [{ file: 'http:1', line: 1, call: call('a', 60) }], [], matcher);
    const second = storeCallsTogether(db, [{ file: 'http:2', line: 1, call: call('b', 60) }, { file: 'http:2', line: 2, call: call('c', 60) }], [], matcher);
    const third = storeCallsTogether(db, [{ file: 'http:3', line: 1, call: call('b', 90) }], [{ format: 'pexip-events', file: 'http:3', line: 2, field: 'connect_time', reason: 'not a time', raw: '{}', source: 'pexip' }], matcher);
    const fourth = storeCallsTogether(db, [{ file: 'http:4', line: 1, call: call('a', 60) }], [], matcher);
    expect(await Promise.all([first, second, third, fourth])).toEqual([['unchanged'], ['unchanged', 'inserted'], ['inserted'], ['inserted']]);
    expect(await db.query(`SELECT external_id AS "externalId", duration_seconds AS "durationSeconds" FROM calls ORDER BY external_id`)).toEqual([
      { externalId: 'a', durationSeconds: 60 }, { externalId: 'b', durationSeconds: 90 }, { externalId: 'c', durationSeconds: 60 },
    ]);
    expect(await db.query(`SELECT file FROM ingest_rejects`)).toEqual([{ file: 'http:3' }]);
    expect(await storeCallsTogether(db, [{ file: 'http:5', line: 1, call: call('c', 75) }], [], matcher)).toEqual(['updated']);
  });
});
