import { describe, expect, it } from 'vitest';
import { peakPortsSeriesReport } from '../../src/services/peakPortsReport.ts';
import { usageReport } from '../../src/services/reports.ts';
import type { Database } from '../../src/storage/database.ts';
import { applyYaml, callsCsv, generate, ingestCsv, lineTuples } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

// docs/billing-rules.md §9 usage for charts: pool used against the pool (§6.2) and per-minute peak ports against the
// port pool (§6.3), in the customer's time zone (Europe/Oslo, October 2026 has a 25-hour day).
const provider = `
customers:
  - { id: us, name: Usage Series, timezone: Europe/Oslo, matching: [{ kind: domain, value: us.example }] }
  - { id: us-payg, name: No pools, matching: [{ kind: domain, value: payg.example }] }
plans:
  - id: us-plan
    copyOf: included-minutes
    monthlyFee: "31.00"
    includedMinutes: { minutesPerMonth: 31, overagePerMinute: "0.10" }
    portPool: { ports: 2, overagePerPortMinute: "0.50" }
  - { id: us-payg-plan, copyOf: pay-as-you-go }
assignments:
  - { customer: us, plan: us-plan, from: 2026-09-01, to: 2026-11-01 }
  - { customer: us-payg, plan: us-payg-plan, from: 2026-10-01 }
`;

describe.each(databaseKinds)('usage series on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('usage rows: pool used and overage beside the pool; peak ports against the port pool', async () => {
    await applyYaml(db, provider);
    await ingestCsv(db, callsCsv('us-src', [
      ['s1', '2026-09-30T21:58:00Z', 300, 'video', 'inbound', 'a@us.example'], // 23:58 CEST Sep 30: September's, 5 min
      ['a', '2026-10-05T10:00:00Z', 300, 'video', 'inbound', 'a@us.example'], // spec example 4: 5 + 5 + 2 + 1 minutes
      ['b', '2026-10-05T10:00:00Z', 300, 'video', 'outbound', 'a@us.example'],
      ['c', '2026-10-05T10:02:00Z', 120, 'video', 'inbound', 'a@us.example'],
      ['d', '2026-10-05T10:03:30Z', 30, 'audio', 'inbound', 'a@us.example'],
      ['e', '2026-10-25T00:30:00Z', 600, 'video', 'inbound', 'a@us.example'], // 02:30 CEST
      ['f', '2026-10-25T01:30:00Z', 600, 'video', 'inbound', 'a@us.example'], // 02:30 CET
      ['g', '2026-10-31T22:58:00Z', 300, 'video', 'inbound', 'a@us.example'], // 23:58 CET Oct 31
      ['p', '2026-10-06T08:00:00Z', 90, 'video', 'inbound', 'x@payg.example'],
    ]));

    const [september, october] = await usageReport(db, ['us']);
    expect(september).toMatchObject({ month: '2026-09', calls: 1, billedMinutes: 5, poolMinutes: 31, poolUsedMinutes: 5, overageMinutes: 0, peakPorts: 1, ports: 2 });
    // 5 + 5 + 2 + 1 + 10 + 10 + 5 = 38 minutes against a pool of 31: 31 used, 7 over.
    expect(october).toMatchObject({ month: '2026-10', calls: 7, billedMinutes: 38, poolMinutes: 31, poolUsedMinutes: 31, overageMinutes: 7, peakPorts: 4, ports: 2 });
    expect(october!.byCategoryDirection).toEqual([
      { category: 'video', direction: 'inbound', calls: 5, billedMinutes: 32 },
      { category: 'video', direction: 'outbound', calls: 1, billedMinutes: 5 },
      { category: 'audio', direction: 'inbound', calls: 1, billedMinutes: 1 },
    ]);
    const [payg] = await usageReport(db, ['us-payg']);
    expect(payg).toMatchObject({ month: '2026-10', calls: 1, billedMinutes: 2, poolMinutes: null, poolUsedMinutes: null, overageMinutes: null, peakPorts: 1, ports: null });

    // The invoice charges exactly the overage the usage shows, and the port overage of the series' steps.
    const [invoice] = await generate(db, 'us', '2026-10-01', '2026-11-01');
    expect(lineTuples(invoice!).filter(([k]) => k === 'included-minutes-overage' || k === 'port-overage')).toEqual([
      ['included-minutes-overage', 'Included minutes: 38 used of 31, overage', '7', '0.70'],
      ['port-overage', 'Port pool of 2: overage port-minutes', '4', '2.00'], // 10:02 3, 10:03 4, 10:04 3 → 1 + 2 + 1
    ]);
  });

  it('peak ports of a month as steps, clipped to the local month, against the pool', async () => {
    const october = await peakPortsSeriesReport(db, 'us', '2026-10');
    expect(october).toEqual({
      customerId: 'us',
      month: '2026-10',
      timeZone: 'Europe/Oslo',
      from: '2026-09-30T22:00:00.000Z',
      to: '2026-10-31T23:00:00.000Z',
      ports: 2,
      points: [
        { at: '2026-09-30T22:00:00.000Z', ports: 1 }, // September's call s1 still occupies a port
        { at: '2026-09-30T22:03:00.000Z', ports: 0 },
        { at: '2026-10-05T10:00:00.000Z', ports: 2 },
        { at: '2026-10-05T10:02:00.000Z', ports: 3 },
        { at: '2026-10-05T10:03:00.000Z', ports: 4 },
        { at: '2026-10-05T10:04:00.000Z', ports: 3 },
        { at: '2026-10-05T10:05:00.000Z', ports: 0 },
        { at: '2026-10-25T00:30:00.000Z', ports: 1 },
        { at: '2026-10-25T00:40:00.000Z', ports: 0 },
        { at: '2026-10-25T01:30:00.000Z', ports: 1 },
        { at: '2026-10-25T01:40:00.000Z', ports: 0 },
        { at: '2026-10-31T22:58:00.000Z', ports: 1 }, // until the end of the month (23:00 UTC)
      ],
      peak: 4,
    });
    const september = await peakPortsSeriesReport(db, 'us', '2026-09');
    expect(september).toMatchObject({ from: '2026-08-31T22:00:00.000Z', to: '2026-09-30T22:00:00.000Z', ports: 2, peak: 1, points: [{ at: '2026-08-31T22:00:00.000Z', ports: 0 }, { at: '2026-09-30T21:58:00.000Z', ports: 1 }] });
    const november = await peakPortsSeriesReport(db, 'us', '2026-11');
    // October's last call still occupies a port in November's first minutes (docs/billing-rules.md §6.3); no plan in November: no pool.
    expect(november).toMatchObject({ ports: null, peak: 1, points: [{ at: '2026-10-31T23:00:00.000Z', ports: 1 }, { at: '2026-10-31T23:03:00.000Z', ports: 0 }] });
    expect((await peakPortsSeriesReport(db, 'us', '2026-12')).points).toEqual([{ at: '2026-11-30T23:00:00.000Z', ports: 0 }]);
    expect(await peakPortsSeriesReport(db, 'us-payg', '2026-10')).toMatchObject({ timeZone: 'UTC', ports: null, peak: 1, points: [{ at: '2026-10-01T00:00:00.000Z', ports: 0 }, { at: '2026-10-06T08:00:00.000Z', ports: 1 }, { at: '2026-10-06T08:02:00.000Z', ports: 0 }] });

    await expect(peakPortsSeriesReport(db, 'ghost', '2026-10')).rejects.toMatchObject({ code: 'not-found' });
    await expect(peakPortsSeriesReport(db, 'us', '2026-13')).rejects.toMatchObject({ code: 'invalid-argument', message: 'The month "2026-13" is not a month. Give it as YYYY-MM, such as 2026-10.', details: { field: 'month', value: '2026-13' } });
  });
});
