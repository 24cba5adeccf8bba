import { describe, expect, it } from 'vitest';
import { runScheduledRating, scheduledRatingJob } from '../../src/services/scheduledRating.ts';
import type { Database } from '../../src/storage/database.ts';
import { claimDueJob, scheduledJobState } from '../../src/storage/scheduledJobStore.ts';
import { applyYaml, callsCsv } from '../support/billingFixtures.ts';
import { createTestDatabase, databaseKinds, useTestDatabase } from '../support/testDatabases.ts';
import { ingestCalls } from '../../src/services/ingestCalls.ts';
import { readConfbillCsv } from '../../src/ingest/confbill-csv/readConfbillCsv.ts';
import { Readable } from 'node:stream';

const at = (instant: string) => () => new Date(instant);

describe.each(databaseKinds)('the hourly scheduled rating on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('runs once per hour of the clock, rates what ingest left, and a dead holder frees the job when its lease ends', async () => {
    await applyYaml(db, `
customers: [{ id: h1, name: Hourly, matching: [{ kind: domain, value: h1.example }] }]
plans: [{ id: h-plan, copyOf: pay-as-you-go }]
assignments: [{ customer: h1, plan: h-plan, from: 2026-10-01 }]
`);
    // Ingest without the rating that the CLI runs after it: the schedule has to catch up.
    await ingestCalls(db, readConfbillCsv, Readable.from([callsCsv('h-src', [['x1', '2026-11-02T08:00:00Z', 600, 'video', 'inbound', 'room@h1.example']])]), { format: 'confbill-csv', file: 'h.csv' });

    const first = await runScheduledRating(db, { holder: 'a', now: at('2026-11-27T10:20:00Z') });
    expect(first.ran).toBe(true);
    if (first.ran) expect([first.rating.customers, first.nextDueAt.toISOString()]).toEqual([1, '2026-11-27T11:00:00.000Z']); // ingest matched the call; rating is the schedule's
    const [item] = await db.query<{ amount: string }>(`SELECT amount::text AS amount FROM billing_items WHERE kind = 'call'`);
    expect(item!.amount).toBe('0.2'); // 10 min × 0.02 of the template, exact (rounding is per invoice line)

    expect((await runScheduledRating(db, { holder: 'b', now: at('2026-11-27T10:59:59Z') })).ran).toBe(false);
    expect((await runScheduledRating(db, { holder: 'b', now: at('2026-11-27T11:00:00Z') })).ran).toBe(true);

    // A holder that claims and dies: nobody runs the job until its 2-hour lease has passed.
    expect(await claimDueJob(db, scheduledRatingJob, 'dead', new Date('2026-11-27T12:00:00Z'), 2 * 3_600_000)).toBe(true);
    expect((await runScheduledRating(db, { holder: 'c', now: at('2026-11-27T13:59:00Z') })).ran).toBe(false);
    expect((await runScheduledRating(db, { holder: 'c', now: at('2026-11-27T14:00:00Z') })).ran).toBe(true);
    expect(await scheduledJobState(db, scheduledRatingJob)).toMatchObject({ nextDueAt: '2026-11-27T15:00:00.000Z', lastError: null, lastFinishedAt: '2026-11-27T14:00:00.000Z' });
  });

  it.runIf(kind === 'postgres')('four connections checking at the same instant: exactly one runs', async () => {
    const shared = await createTestDatabase('postgres');
    const connections = await Promise.all([0, 1, 2, 3].map(() => shared.open()));
    try {
      for (const hour of ['2026-11-27T10:00:00Z', '2026-11-27T11:00:00Z', '2026-11-27T12:00:00Z']) {
        const outcomes = await Promise.all(connections.map((c, i) => runScheduledRating(c, { holder: `p${i}`, now: at(hour) })));
        expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
      }
    } finally {
      await Promise.all(connections.map((c) => c.close()));
      await shared.drop();
    }
  });
});
