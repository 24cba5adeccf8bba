import { describe, expect, it } from 'vitest';
import { customerCallTotals } from '../../src/services/customerCallTotals.ts';
import type { Database } from '../../src/storage/database.ts';
import { applyYaml, callsCsv, ingestCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

describe.each(databaseKinds)('calls and billed minutes per customer (the demo summary) on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('counts billed minutes by the rule of docs/billing-rules.md §1, per customer and for calls matched to no one', async () => {
    await applyYaml(db, 'customers:\n  - { id: tot1, name: Totals One, matching: [{ kind: domain, value: tot1.example }] }\n');
    await ingestCsv(db, callsCsv('bridge', [
      ['t1', '2026-10-05T09:00:00Z', 61, 'video', 'inbound', 'a@tot1.example'],
      ['t2', '2026-10-05T10:00:00Z', 61, 'video', 'inbound', 'b@tot1.example'],
      ['t3', '2026-10-05T11:00:00Z', 0, 'video', 'inbound', 'c@tot1.example'],
      ['t4', '2026-10-05T12:00:00Z', 3599, 'audio', 'inbound', 'd@tot1.example'],
      ['u1', '2026-10-05T12:00:00Z', 1, 'audio', 'inbound', 'someone@else.example'],
    ]));
    const totals = (await customerCallTotals(db)).sort((a, b) => String(a.customerId).localeCompare(String(b.customerId)));
    expect(totals).toEqual([
      { customerId: null, calls: 1, billedMinutes: 1 },
      { customerId: 'tot1', calls: 4, billedMinutes: 2 + 2 + 0 + 60 },
    ]);
  });
});
