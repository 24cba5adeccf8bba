import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readConfbillCsv } from '../../src/ingest/confbill-csv/readConfbillCsv.ts';
import { applyConfig } from '../../src/services/applyConfig.ts';
import { countSourceIngest } from '../../src/services/countSourceIngest.ts';
import { ingestCalls } from '../../src/services/ingestCalls.ts';
import { sharedCallMatcher } from '../../src/services/matchingRules.ts';
import { parseProviderConfig } from '../../src/services/providerConfig.ts';
import type { Database } from '../../src/storage/database.ts';
import { sourceStatistics } from '../../src/storage/sourceStore.ts';
import { callsCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const oneCustomer = `
customers:
  - { id: sm1, name: Shared One, matching: [{ kind: domain, value: one.example }] }
sources:
  - { id: mcu-1, format: confbill-csv }
`;

describe.each(databaseKinds)('receivers share one matcher and one statistics write on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  const ingest = (id: string, local: string) =>
    ingestCalls(db, readConfbillCsv, Readable.from([callsCsv('mcu-1', [[id, '2026-10-05T09:00:00Z', 60, 'video', 'inbound', local]])]), { format: 'confbill-csv', file: `${id}.csv` });
  const customerOf = async (id: string) => (await db.query<{ customer_id: string | null }>('SELECT customer_id FROM calls WHERE external_id = $1', [id]))[0]?.customer_id;

  it('loads the rules once for all requests, and anew once they change: a call after the change is matched by the new rules', async () => {
    await applyConfig(db, parseProviderConfig(oneCustomer, 'one.yaml'));
    const first = await sharedCallMatcher(db);
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => sharedCallMatcher(db)));
    expect(concurrent.every((m) => m === first)).toBe(true);
    await ingest('before', 'room@two.example');
    expect(await customerOf('before')).toBeNull();

    await applyConfig(db, { ...parseProviderConfig(oneCustomer, 'one.yaml'), customers: [...parseProviderConfig(oneCustomer, 'one.yaml').customers!, { id: 'sm2', name: 'Shared Two', matching: [{ kind: 'domain', value: 'two.example' }] }] });
    const renewed = await sharedCallMatcher(db);
    expect(renewed).not.toBe(first);
    expect(renewed.domainOwner('two.example', Date.parse('2026-10-05T09:00:00Z'))).toBe('sm2');
    expect(await sharedCallMatcher(db)).toBe(renewed);
    await ingest('after', 'room@two.example');
    expect(await customerOf('after')).toBe('sm2');
  });

  it('adds the counts of concurrent ingests to a source exactly (they share writes)', async () => {
    const before = (await sourceStatistics(db)).find((s) => s.source === 'mcu-1')!;
    await Promise.all(Array.from({ length: 40 }, (_, i) => countSourceIngest(db, 'mcu-1', 1 + (i % 3), i % 2 === 0 ? { recorder: 1 } : {})));
    const after = (await sourceStatistics(db)).find((s) => s.source === 'mcu-1')!;
    expect(after.recordsRead - before.recordsRead).toBe(Array.from({ length: 40 }, (_, i) => 1 + (i % 3)).reduce((a, b) => a + b, 0));
    expect(after.excluded - before.excluded).toBe(20);
    expect(after.excludedReasons.recorder! - (before.excludedReasons.recorder ?? 0)).toBe(20);
  });
});
