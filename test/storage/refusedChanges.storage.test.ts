import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readConfbillCsv } from '../../src/ingest/confbill-csv/readConfbillCsv.ts';
import { ingestCalls } from '../../src/services/ingestCalls.ts';
import { refusedChangesReport } from '../../src/services/reports.ts';
import type { Database } from '../../src/storage/database.ts';
import { applyYaml, callsCsv, generate, ingestCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

// docs/billing-rules.md §1: a later record for a call that is already invoiced is refused; the operator sees what it would have changed.
describe.each(databaseKinds)('refused changes on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  const ingestFile = async (file: string, csv: string) => ingestCalls(db, readConfbillCsv, Readable.from([csv]), { format: 'confbill-csv', file });

  it('stores each refused change once, with the old and new values of the fields that differ, and lists them with filters', async () => {
    await applyYaml(db, `
customers: [{ id: rc, name: Refused, matching: [{ kind: domain, value: rc.example }] }]
plans: [{ id: rc-payg, copyOf: pay-as-you-go }]
assignments: [{ customer: rc, plan: rc-payg, from: 2026-10-01 }]
`);
    await ingestCsv(db, callsCsv('rc-src', [['a', '2026-10-05T09:00:00Z', 61, 'video', 'inbound', 'room@rc.example']]));
    const [invoice] = await generate(db, 'rc', '2026-10-01', '2026-11-01');

    const changed = callsCsv('rc-src', [['a', '2026-10-05T09:00:00Z', 120, 'video', 'inbound', 'room@rc.example', 'bob@elsewhere.example']]);
    const first = await ingestFile('late-export.csv', changed);
    expect(first).toMatchObject({ conflicts: 1, updated: 0 });
    // The same file again: refused again (the summary says so), stored once.
    const again = await ingestFile('late-export.csv', changed);
    expect(again).toMatchObject({ conflicts: 1, updated: 0 });

    const listed = await refusedChangesReport(db);
    expect(listed).toEqual([{
      source: 'rc-src', externalId: 'a', customerId: 'rc', invoice: invoice!.id,
      oldValues: { durationSeconds: 61, remoteAlias: null }, newValues: { durationSeconds: 120, remoteAlias: 'bob@elsewhere.example' },
      file: 'late-export.csv', line: 2, refusedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    }]);
    // The invoiced call keeps its values.
    expect(await db.query(`SELECT duration_seconds FROM calls WHERE external_id = 'a'`)).toEqual([{ duration_seconds: 61 }]);

    // Another change to the same call is another entry.
    await ingestFile('later.csv', callsCsv('rc-src', [['a', '2026-10-05T09:00:30Z', 61, 'video', 'inbound', 'room@rc.example']]));
    expect((await refusedChangesReport(db)).map((c) => [c.file, c.oldValues, c.newValues])).toEqual([
      ['late-export.csv', { durationSeconds: 61, remoteAlias: null }, { durationSeconds: 120, remoteAlias: 'bob@elsewhere.example' }],
      ['later.csv', { startedAt: '2026-10-05T09:00:00.000Z' }, { startedAt: '2026-10-05T09:00:30.000Z' }],
    ]);

    expect(await refusedChangesReport(db, { customerIds: ['rc'], source: 'rc-src' })).toHaveLength(2);
    expect(await refusedChangesReport(db, { source: 'other-src' })).toEqual([]);
    expect(await refusedChangesReport(db, { from: '2099-01-01' })).toEqual([]);
    expect(await refusedChangesReport(db, { to: '2000-01-01T00:00:00Z' })).toEqual([]);
    await expect(refusedChangesReport(db, { customerIds: ['nosuch'] })).rejects.toMatchObject({ code: 'not-found', message: expect.stringContaining('"nosuch"') });
    await expect(refusedChangesReport(db, { from: 'yesterday' })).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});
