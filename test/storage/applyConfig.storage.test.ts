import { describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/services/applyConfig.ts';
import { parseProviderConfig } from '../../src/services/providerConfig.ts';
import type { Database } from '../../src/storage/database.ts';
import { planHistory } from '../../src/storage/planHistoryStore.ts';
import { getPlan } from '../../src/storage/planStore.ts';
import { lockPlan, setPlanField, unlockPlan } from '../../src/services/planLifecycle.ts';
import { applyYaml, callsCsv, ingestCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const base = `
customers: [{ id: ap1, name: Apply One, matching: [{ kind: domain, value: ap1.example }] }]
plans: [{ id: ap1-plan, copyOf: included-minutes, monthlyFee: "120.00" }]
assignments: [{ customer: ap1, plan: ap1-plan, from: 2026-10-01, to: 2026-11-01 }]
`;

/** The file without its plans: the plan is changed by the tests below, and the file applies customers and assignments. */
const withoutPlans = base.split('\n').filter((line) => !line.startsWith('plans:')).join('\n');

describe.each(databaseKinds)('confbill apply on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('creates what the file lists; the same file again changes nothing', async () => {
    const first = await applyConfig(db, parseProviderConfig(base, 'a.yaml'));
    expect(first).toMatchObject({ customersChanged: 1, plansCreated: 1, plansChanged: 0, assignmentsChanged: 1, rematch: true });
    const again = await applyConfig(db, parseProviderConfig(base, 'a.yaml'));
    expect(again).toEqual({ settingsChanged: 0, customersChanged: 0, plansCreated: 0, plansChanged: 0, assignmentsChanged: 0, elementsChanged: 0, sourcesChanged: 0, rematch: false, changes: [] });
    const plan = await getPlan(db, 'ap1-plan');
    expect(plan).toMatchObject({ locked: true, currentVersion: 1, definition: { name: 'Included minutes', monthlyFee: '120.00', includedMinutes: { minutesPerMonth: 3000, overagePerMinute: '0.05' } } });
  });

  it('a changed plan gets a new locked version; the history names the user for the creation, each field and the version', async () => {
    const summary = await applyConfig(db, parseProviderConfig(base.replace('"120.00"', '"130.00"').replace('copyOf: included-minutes,', 'copyOf: included-minutes, name: Renamed,'), 'a.yaml'), 'ops-anna');
    const plan = await getPlan(db, 'ap1-plan');
    expect(plan).toMatchObject({ currentVersion: 2, definition: { name: 'Renamed', monthlyFee: '130.00' } });
    const history = await planHistory(db, 'ap1-plan');
    expect(history.map((h) => [h.field, h.oldValue, h.newValue, h.user])).toEqual([
      // The first test's apply (default user) created it: version 1, copied from the template.
      ['version', null, 1, 'apply'],
      ['copyOf', null, 'included-minutes'],
      ['name', 'Included minutes', 'Renamed', 'ops-anna'],
      ['monthlyFee', '120.00', '130.00', 'ops-anna'],
      ['version', 1, 2, 'ops-anna'],
    ].map((row) => (row.length === 3 ? [...row, 'apply'] : row)));
    expect(summary.changes).toEqual([
      {
        kind: 'plan',
        id: 'ap1-plan',
        action: 'changed',
        fields: [
          { field: 'name', oldValue: 'Included minutes', newValue: 'Renamed' },
          { field: 'monthlyFee', oldValue: '120.00', newValue: '130.00' },
          { field: 'version', oldValue: 1, newValue: 2 },
        ],
      },
    ]);
  });

  it('with limitAvailableServicesToBillableServices, refuses a file giving an entity a service its plan does not offer', async () => {
    const file = (type: string) => `
settings: { limitAvailableServicesToBillableServices: true }
customers:
  - id: sv1
    name: Services One
    entities: [{ id: sv1-vmr, serviceType: ${type}, alias: "700@sv1.example", createdAt: "2026-10-05T10:00:00Z" }]
plans: [{ id: sv1-plan, copyOf: pay-as-you-go, services: { pexip-vmr: "6.20", cms-space: "-1" } }]
assignments: [{ customer: sv1, plan: sv1-plan, from: 2026-10-01 }]
`;
    await expect(applyConfig(db, parseProviderConfig(file('cms-space'), 's.yaml'))).rejects.toMatchObject({ code: 'service-unavailable' });
    expect(await db.query(`SELECT id FROM customers WHERE id = 'sv1'`)).toEqual([]); // nothing of the file applied
    await applyConfig(db, parseProviderConfig(file('pexip-vmr'), 's.yaml'));
    expect(await db.query(`SELECT id, service_type FROM entities WHERE customer_id = 'sv1'`)).toEqual([{ id: 'sv1-vmr', service_type: 'pexip-vmr' }]);
    await applyConfig(db, parseProviderConfig('settings: { limitAvailableServicesToBillableServices: false }', 's.yaml'));
  });

  it('refuses to change a plan that an operator has unlocked, so that the edits in progress are not lost', async () => {
    await unlockPlan(db, 'ap1-plan', 'operator');
    await setPlanField(db, 'ap1-plan', 'monthlyFee', '140.00', 'operator');
    await expect(applyConfig(db, parseProviderConfig(base.replace('"120.00"', '"150.00"'), 'a.yaml'))).rejects.toThrow(/unlocked and being edited.*Nothing was applied/);
    // A file that leaves the plan as it is in force still applies.
    await applyConfig(db, parseProviderConfig(base.replace('"120.00"', '"130.00"').replace('copyOf: included-minutes,', 'copyOf: included-minutes, name: Renamed,'), 'a.yaml'));
    const plan = await getPlan(db, 'ap1-plan');
    expect(plan).toMatchObject({ locked: false, currentVersion: 2, definition: { monthlyFee: '130.00' }, draft: { monthlyFee: '140.00' } });
    await lockPlan(db, 'ap1-plan', 'operator', new Date('2026-12-01T00:00:00Z'));
    expect(await getPlan(db, 'ap1-plan')).toMatchObject({ locked: true, currentVersion: 3, definition: { monthlyFee: '140.00' }, draft: null });
  });

  it('refuses an overlapping assignment and an unknown customer, applying nothing of the file', async () => {
    const overlapping = withoutPlans.replace('Apply One', 'Changed Name').replace('[{ customer: ap1, plan: ap1-plan, from: 2026-10-01, to: 2026-11-01 }]', '[{ customer: ap1, plan: ap1-plan, from: 2026-10-01, to: 2026-11-01 }, { customer: ap1, plan: ap1-plan, from: 2026-10-15 }]');
    await expect(applyConfig(db, parseProviderConfig(overlapping, 'b.yaml'))).rejects.toThrow(/Customer "ap1" would have two plans at once/);
    const [customer] = await db.query<{ name: string }>(`SELECT name FROM customers WHERE id = 'ap1'`);
    expect(customer!.name).toBe('Apply One');
    await expect(applyConfig(db, parseProviderConfig('assignments: [{ customer: ghost, plan: ap1-plan, from: 2026-12-01 }]', 'c.yaml'))).rejects.toThrow(/customer "ghost" does not exist/);
  });

  it('refuses unknown keys and bad values with their path', () => {
    expect(() => parseProviderConfig('plans: [{ id: x, copyOf: pay-as-you-go, callRates: [{ category: video, direction: up, startupCharge: "0", perMinute: -0.1 }] }]', 'd.yaml')).toThrow(
      /d\.yaml is not valid, nothing was applied: plans\[0\]\.callRates\[0\]\.direction: .*; plans\[0\]\.callRates\[0\]\.perMinute: /,
    );
    expect(() => parseProviderConfig('settings: { timezone: Mars/Olympus }', 'e.yaml')).toThrow(/settings\.timezone: must be an IANA time zone/);
  });

  it('matches open calls again when rules change', async () => {
    await ingestCsv(db, callsCsv('ap-src', [['late-rule', '2026-10-05T09:00:00Z', 60, 'video', 'inbound', 'room@later.example']]));
    const before = await db.query<{ match_status: string }>(`SELECT match_status FROM calls WHERE source = 'ap-src'`);
    expect(before).toEqual([{ match_status: 'no-customer' }]);
    const customersOnly = base.split('\n').filter((line) => line.startsWith('customers:')).join('\n');
    await applyYaml(db, customersOnly.replace('[{ kind: domain, value: ap1.example }]', '[{ kind: domain, value: ap1.example }, { kind: domain, value: later.example }]'));
    const after = await db.query<{ match_status: string; customer_id: string }>(`SELECT match_status, customer_id FROM calls WHERE source = 'ap-src'`);
    expect(after).toEqual([{ match_status: 'matched', customer_id: 'ap1' }]);
  });
});
