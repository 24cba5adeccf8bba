import { describe, expect, it } from 'vitest';
import type { Call } from '../../src/domain/call.ts';
import { emptyIngestSummary, mergeCallBatch } from '../../src/services/ingestCalls.ts';
import { loadCallMatcher } from '../../src/services/matchingRules.ts';
import type { Database } from '../../src/storage/database.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const call = (externalId: string, durationSeconds: number): Call => ({
  source: 'mcu', externalId, startedAt: Date.UTC(2026, 9, 5, 9), durationSeconds, category: 'video', direction: 'inbound',
});

describe.each(databaseKinds)('mergeCallBatch on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('several batches in one transaction: each merged once, counted once (a big CMS body is stored in parts)', async () => {
    const summary = emptyIngestSummary();
    await db.transaction(async (tx) => {
      const matcher = await loadCallMatcher(tx);
      await mergeCallBatch(tx, [{ line: 1, call: call('a', 60) }, { line: 2, call: call('b', 120) }], matcher, 'f', summary);
      await mergeCallBatch(tx, [{ line: 3, call: call('c', 180) }, { line: 4, call: call('a', 90) }], matcher, 'f', summary);
      await mergeCallBatch(tx, [{ line: 5, call: call('b', 120) }], matcher, 'f', summary);
    });
    expect(summary).toMatchObject({ new: 3, updated: 1, unchanged: 1, conflicts: 0 });
    const rows = await db.query<{ externalId: string; durationSeconds: number }>(`SELECT external_id AS "externalId", duration_seconds AS "durationSeconds" FROM calls ORDER BY external_id`);
    expect(rows).toEqual([{ externalId: 'a', durationSeconds: 90 }, { externalId: 'b', durationSeconds: 120 }, { externalId: 'c', durationSeconds: 180 }]);
  });
});
