import { describe, expect, it } from 'vitest';
import { knownServiceTypes } from '../../src/domain/availableServiceTypes.ts';
import type { BillingError } from '../../src/domain/billingError.ts';
import { runBilling } from '../../src/services/billingRun.ts';
import { addEntity, assertServiceAvailable, availableServiceTypes, deleteEntity, listEntities } from '../../src/services/entities.ts';
import { previewInvoices, untrackedReport } from '../../src/services/reports.ts';
import type { Database } from '../../src/storage/database.ts';
import { applyYaml, callsCsv, generate, ingestCsv, lineTuples } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

// docs/billing-rules.md §10 (service availability), §2 (an entity's alias matches calls while it exists) and §6.4
// (service days of entities priced > 0). Customer "sa" is in Europe/Oslo: availability is decided by
// the plan in force on the local date of the instant.
const provider = `
customers:
  - { id: s-none, name: No plan }
  - { id: sa, name: Services A, timezone: Europe/Oslo }
  - { id: sb, name: Services B }
plans:
  - id: sa-plan
    copyOf: pay-as-you-go
    services: { pexip-vmr: "6.20", cms-space: "0", cms-user: "-1" }
assignments:
  - { customer: sa, plan: sa-plan, from: 2026-10-01, to: 2026-12-01 }
  - { customer: sb, plan: sa-plan, from: 2026-10-01 }
`;

const now = new Date('2026-12-01T00:00:00Z');

async function refusal(work: Promise<unknown>): Promise<BillingError> {
  try {
    await work;
  } catch (error) {
    return error as BillingError;
  }
  throw new Error('expected a refusal');
}

describe.each(databaseKinds)('service availability and entities on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('with the setting off, every type is available, with or without a plan', async () => {
    await applyYaml(db, provider);
    const none = await availableServiceTypes(db, 's-none', new Date('2026-10-05T12:00:00Z'));
    expect(none).toMatchObject({ customerId: 's-none', date: '2026-10-05', timeZone: 'UTC', limited: false, planId: null });
    expect(none.serviceTypes).toEqual([...knownServiceTypes].sort().map((serviceType) => ({ serviceType, monthlyPrice: null, billable: false })));

    const a = await availableServiceTypes(db, 'sa', new Date('2026-10-05T12:00:00Z'));
    expect(a.planId).toBe('sa-plan');
    expect(a.serviceTypes).toHaveLength(9); // the plan lists only known types
    expect(a.serviceTypes.filter((t) => t.monthlyPrice !== null)).toEqual([
      { serviceType: 'cms-space', monthlyPrice: '0', billable: false },
      { serviceType: 'cms-user', monthlyPrice: '-1', billable: false },
      { serviceType: 'pexip-vmr', monthlyPrice: '6.20', billable: true },
    ]);

    const added = await addEntity(db, { customerId: 's-none', id: 'none-skype', serviceType: 'skype-user', createdAt: new Date('2026-10-05T12:00:00Z') }, 'test');
    expect(added).toMatchObject({ planId: null, monthlyPrice: null, billable: false, entity: { id: 'none-skype', customerId: 's-none', serviceType: 'skype-user', alias: null, createdAt: '2026-10-05T12:00:00.000Z', deletedAt: null } });
    const listed = await addEntity(db, { customerId: 'sa', id: 'sa-user-off', serviceType: 'cms-user', createdAt: new Date('2026-10-05T12:00:00Z') }, 'test');
    expect(listed).toMatchObject({ planId: 'sa-plan', monthlyPrice: '-1', billable: false });
  });

  it('with the setting on, refuses without a plan in force, for an unlisted type and for a price < 0', async () => {
    await applyYaml(db, 'settings: { limitAvailableServicesToBillableServices: true }');

    const noPlan = await refusal(addEntity(db, { customerId: 's-none', id: 'none-vmr', serviceType: 'pexip-vmr', createdAt: new Date('2026-10-05T12:00:00Z') }, 'test'));
    expect(noPlan.code).toBe('service-unavailable');
    expect(noPlan.message).toBe(
      'Customer "s-none" cannot be given a "pexip-vmr" at 2026-10-05T12:00:00.000Z: it has no plan assignment in force on 2026-10-05 (UTC) and limitAvailableServicesToBillableServices is on. Assign it a plan that covers 2026-10-05 and lists "pexip-vmr" at a monthly price ≥ 0, or turn the setting off.',
    );
    // 21:30 UTC on Sep 30 is 23:30 in Oslo, the day before the assignment; 22:30 UTC is already October 1st there.
    const dayBefore = await refusal(addEntity(db, { customerId: 'sa', id: 'sa-early', serviceType: 'pexip-vmr', createdAt: new Date('2026-09-30T21:30:00Z') }, 'test'));
    expect(dayBefore.message).toContain('no plan assignment in force on 2026-09-30 (Europe/Oslo)');
    // After the assignment's end (to 2026-12-01) the plan is not in force either.
    expect((await refusal(addEntity(db, { customerId: 'sa', id: 'sa-late', serviceType: 'pexip-vmr', createdAt: new Date('2026-12-01T00:00:00Z') }, 'test'))).message).toContain('no plan assignment in force on 2026-12-01');

    const unlisted = await refusal(addEntity(db, { customerId: 'sa', id: 'sa-skype', serviceType: 'skype-user', createdAt: new Date('2026-10-05T12:00:00Z') }, 'test'));
    expect(unlisted.code).toBe('service-unavailable');
    expect(unlisted.message).toContain('its plan "sa-plan" (in force on 2026-10-05) does not list "skype-user"');
    expect(unlisted.message).toContain('Available to it then: cms-space, pexip-vmr.');

    const negative = await refusal(addEntity(db, { customerId: 'sa', id: 'sa-user', serviceType: 'cms-user', createdAt: new Date('2026-10-05T12:00:00Z') }, 'test'));
    expect(negative.code).toBe('service-unavailable');
    expect(negative.message).toContain('prices "cms-user" at -1, which means not available');

    await expect(assertServiceAvailable(db, 'sa', 'cms-user', new Date('2026-10-05T12:00:00Z').getTime())).rejects.toMatchObject({ code: 'service-unavailable' });
    await expect(assertServiceAvailable(db, 'sa', 'pexip-vmr', new Date('2026-10-05T12:00:00Z'))).resolves.toBeUndefined();
    await expect(assertServiceAvailable(db, 'ghost', 'pexip-vmr', new Date('2026-10-05T12:00:00Z'))).rejects.toMatchObject({ code: 'not-found' });

    const entities = await listEntities(db, 'sa', { includeDeleted: true });
    expect(entities.map((e) => e.id)).toEqual(['sa-user-off']); // nothing refused was written
  });

  it('with the setting on, accepts a price of 0 and > 0, and lists only those', async () => {
    const at = new Date('2026-09-30T22:30:00Z'); // October 1st in Oslo
    const available = await availableServiceTypes(db, 'sa', at);
    expect(available).toEqual({
      customerId: 'sa', at: '2026-09-30T22:30:00.000Z', date: '2026-10-01', timeZone: 'Europe/Oslo', limited: true, planId: 'sa-plan',
      serviceTypes: [
        { serviceType: 'cms-space', monthlyPrice: '0', billable: false },
        { serviceType: 'pexip-vmr', monthlyPrice: '6.20', billable: true },
      ],
    });
    expect((await availableServiceTypes(db, 's-none', at)).serviceTypes).toEqual([]);

    const free = await addEntity(db, { customerId: 'sa', id: 'sa-space', serviceType: 'cms-space', createdAt: at }, 'test');
    expect(free).toMatchObject({ planId: 'sa-plan', monthlyPrice: '0', billable: false });
    const billed = await addEntity(db, { customerId: 'sb', id: 'sb-vmr', serviceType: 'pexip-vmr', createdAt: new Date('2026-11-20T00:00:00Z') }, 'test');
    expect(billed).toMatchObject({ planId: 'sa-plan', monthlyPrice: '6.20', billable: true });
  });

  it("an entity's alias matches earlier unmatched calls, its service days are billed, and deletion stops both", async () => {
    await ingestCsv(db, callsCsv('sa-src', [
      ['x1', '2026-10-10T09:00:00Z', 120, 'video', 'inbound', '1001@vc.provider.example'], // before the entity exists
      ['x2', '2026-10-12T09:00:00Z', 120, 'video', 'inbound', 'sip:1001@vc.provider.example'],
      ['x3', '2026-10-25T09:00:00Z', 61, 'video', 'inbound', '1001@VC.provider.example;transport=tls'],
      ['x4', '2026-10-15T09:00:00Z', 30, 'video', 'inbound', '1001@vc.provider.example'],
    ]), now);
    const untracked = async () => (await untrackedReport(db, { source: 'sa-src' })).map((u) => `${u.externalId} ${u.reason}`);
    expect(await untracked()).toEqual(['x1 no-customer', 'x2 no-customer', 'x4 no-customer', 'x3 no-customer']);

    await addEntity(db, { customerId: 'sa', id: 'sa-vmr', serviceType: 'pexip-vmr', alias: 'sip:1001@vc.provider.example', createdAt: new Date('2026-10-11T10:00:00Z') }, 'test');
    await runBilling(db, { now });
    expect(await untracked()).toEqual(['x1 no-customer']);

    // The open items behind the next invoice (the non-invoiced report with --items), values exact to 6 decimals.
    const open = async () => (await previewInvoices(db, { customerIds: ['sa'], now, items: true })).flatMap((p) => p.items ?? []);
    const calls = (await open()).filter((r) => r.kind === 'call').map((r) => [r.date, r.amount]);
    expect(calls).toEqual([['2026-10-12', '0.04'], ['2026-10-15', '0.02'], ['2026-10-25', '0.04']]); // 0.02 a minute
    const days = (await open()).filter((r) => r.kind === 'service-day');
    // 2026-10-11 … 2026-11-30 (the assignment ends 2026-12-01): 21 October days at 6.20/31, 30 November days at 6.20/30.
    expect(days).toHaveLength(51);
    expect(days.filter((d) => d.date < '2026-11-01').every((d) => d.amount === '0.2')).toBe(true);
    expect(days.filter((d) => d.date >= '2026-11-01').every((d) => d.amount === '0.206667')).toBe(true);
    expect(days[0]).toMatchObject({ date: '2026-10-11', description: expect.stringContaining('sa-vmr') });

    // The same alias (written differently) for another customer, while sa-vmr exists: refused.
    const taken = await refusal(addEntity(db, { customerId: 'sb', id: 'sb-vmr-2', serviceType: 'pexip-vmr', alias: '1001@VC.PROVIDER.EXAMPLE', createdAt: new Date('2026-11-25T00:00:00Z') }, 'test'));
    expect(taken.code).toBe('conflict');
    expect(taken.message).toContain('The alias "1001@VC.PROVIDER.EXAMPLE" is already used by entity "sa-vmr" of customer "sa" (since 2026-10-11T10:00:00.000Z)');
    const sameId = await refusal(addEntity(db, { customerId: 'sb', id: 'sa-vmr', serviceType: 'pexip-vmr', createdAt: new Date('2026-11-25T00:00:00Z') }, 'test'));
    expect(sameId.code).toBe('conflict');
    expect(sameId.message).toContain('An entity with id "sa-vmr" already exists (pexip-vmr of customer "sa")');

    // Deleted at 2026-10-20 12:00 UTC (14:00 in Oslo): service days Oct 11-20, x3 (Oct 25) is no one's again.
    const deleted = await deleteEntity(db, 'sa', 'sa-vmr', new Date('2026-10-20T12:00:00Z'), 'test');
    expect(deleted).toEqual({ id: 'sa-vmr', customerId: 'sa', serviceType: 'pexip-vmr', alias: 'sip:1001@vc.provider.example', createdAt: '2026-10-11T10:00:00.000Z', deletedAt: '2026-10-20T12:00:00.000Z' });
    await runBilling(db, { now });
    expect(await untracked()).toEqual(['x1 no-customer', 'x3 no-customer']);
    const after = await open();
    expect(after.filter((r) => r.kind === 'service-day').map((d) => d.date)).toEqual(['2026-10-11', '2026-10-12', '2026-10-13', '2026-10-14', '2026-10-15', '2026-10-16', '2026-10-17', '2026-10-18', '2026-10-19', '2026-10-20']);
    expect(after.filter((r) => r.kind === 'call').map((r) => r.date)).toEqual(['2026-10-12', '2026-10-15']);

    const [october] = await generate(db, 'sa', '2026-10-01', '2026-11-01', now);
    // Calls: 2 + 1 minutes at 0.02; VMR: 6.20 × 10/31 = 2.00.
    expect(lineTuples(october!)).toEqual([
      ['service', 'pexip-vmr', '10', '2.00'],
      ['call-charges', 'video inbound', '3', '0.06'],
    ]);
    expect(october!.total).toBe('2.06');

    // Once deleted, the alias is free from the deletion on (not before it).
    expect((await refusal(addEntity(db, { customerId: 'sb', id: 'sb-vmr-2', serviceType: 'pexip-vmr', alias: '1001@vc.provider.example', createdAt: new Date('2026-10-20T11:00:00Z') }, 'test'))).code).toBe('conflict');
    await addEntity(db, { customerId: 'sb', id: 'sb-vmr-2', serviceType: 'pexip-vmr', alias: '1001@vc.provider.example', createdAt: new Date('2026-10-20T12:00:00Z') }, 'test');
    await runBilling(db, { now });
    expect(await untracked()).toEqual(['x1 no-customer']);
    const x3 = await db.query<{ customer_id: string }>(`SELECT customer_id FROM calls WHERE source = 'sa-src' AND external_id = 'x3'`);
    expect(x3).toEqual([{ customer_id: 'sb' }]);
  });

  it('lists entities, refuses deleting twice, an unknown id, another customer\'s entity and a deletion before creation', async () => {
    expect((await listEntities(db, 'sa')).map((e) => e.id)).toEqual(['sa-space', 'sa-user-off']);
    expect((await listEntities(db, 'sa', { includeDeleted: true })).map((e) => [e.id, e.deletedAt])).toEqual([
      ['sa-space', null],
      ['sa-user-off', null],
      ['sa-vmr', '2026-10-20T12:00:00.000Z'],
    ]);
    const twice = await refusal(deleteEntity(db, 'sa', 'sa-vmr', now, 'test'));
    expect(twice.code).toBe('not-found');
    expect(twice.message).toBe('Entity "sa-vmr" of customer "sa" was already deleted at 2026-10-20T12:00:00.000Z; there is nothing to delete.');
    expect((await refusal(deleteEntity(db, 'sa', 'nope', now, 'test'))).message).toBe('Customer "sa" has no entity "nope".');
    expect((await refusal(deleteEntity(db, 'sa', 'sb-vmr', now, 'test'))).code).toBe('not-found');
    const early = await refusal(deleteEntity(db, 'sb', 'sb-vmr', new Date('2026-11-19T00:00:00Z'), 'test'));
    expect(early.code).toBe('invalid-argument');
    expect(early.message).toContain('it was created later, at 2026-11-20T00:00:00.000Z');
    expect((await refusal(listEntities(db, 'ghost'))).code).toBe('not-found');
    expect((await refusal(addEntity(db, { customerId: 'sa', id: 'Bad Id', serviceType: 'cms-space', createdAt: now }, 'test'))).code).toBe('invalid-argument');
  });
});
