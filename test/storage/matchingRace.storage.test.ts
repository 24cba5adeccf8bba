import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readConfbillCsv } from '../../src/ingest/confbill-csv/readConfbillCsv.ts';
import { applyConfig } from '../../src/services/applyConfig.ts';
import { matchPendingCalls, runBilling } from '../../src/services/billingRun.ts';
import { ingestCalls } from '../../src/services/ingestCalls.ts';
import { parseProviderConfig } from '../../src/services/providerConfig.ts';
import { verifyBooks } from '../../src/services/verifyBooks.ts';
import type { Database } from '../../src/storage/database.ts';
import { applyYaml, callsCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const now = new Date('2026-12-01T00:00:00Z');

const rules = (owner: string) => `
customers:
  - { id: old-owner, name: Old, matching: [${owner === 'old-owner' ? '{ kind: domain, value: moved.example }' : ''}] }
  - { id: new-owner, name: New, matching: [${owner === 'new-owner' ? '{ kind: domain, value: moved.example }' : ''}] }
plans: [{ id: m-plan, copyOf: pay-as-you-go }]
assignments: [{ customer: old-owner, plan: m-plan, from: 2026-10-01 }, { customer: new-owner, plan: m-plan, from: 2026-10-01 }]
`;

/** The database, but `once` runs before the first transaction opened through it. */
function beforeFirstWrite(db: Database, once: () => Promise<void>): Database {
  let done = false;
  return { ...db, transaction: async (work) => (done ? undefined : ((done = true), await once()), db.transaction(work)) };
}

async function owners(db: Database): Promise<string[]> {
  return (await db.query<{ o: string }>(`SELECT external_id || ' ' || CASE WHEN match_status = 'matched' THEN customer_id ELSE match_status END AS o FROM calls ORDER BY external_id`)).map((r) => r.o);
}

describe.each(databaseKinds)('calls are matched by the rules in force when their match is stored, on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('ingest that loaded the rules before a rule change stores its calls under the new rules', async () => {
    await applyYaml(db, rules('old-owner'));
    const csv = callsCsv('m-src', [['m1', '2026-11-02T08:00:00Z', 600, 'video', 'inbound', 'room@moved.example']]);
    await ingestCalls(beforeFirstWrite(db, () => applyConfig(db, parseProviderConfig(rules('new-owner'), 'moved.yaml')).then(() => undefined)), readConfbillCsv, Readable.from([csv]), { format: 'confbill-csv', file: 'm.csv' });
    expect(await owners(db)).toEqual(['m1 new-owner']);
  });

  it('a matching run that loaded the rules before a rule change matches by the new rules', async () => {
    await applyConfig(db, parseProviderConfig(rules('old-owner'), 'back.yaml')); // m1 goes back to matching
    expect(await owners(db)).toEqual(['m1 pending']);
    await matchPendingCalls(beforeFirstWrite(db, () => applyConfig(db, parseProviderConfig(rules('new-owner'), 'again.yaml')).then(() => undefined)));
    expect(await owners(db)).toEqual(['m1 new-owner']);
    await runBilling(db, { now });
    expect((await verifyBooks(db)).ok).toBe(true);
  });
});
