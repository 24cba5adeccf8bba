import { describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/services/applyConfig.ts';
import { listAssignmentsOf } from '../../src/services/assignments.ts';
import { copyPlanAs } from '../../src/services/planLifecycle.ts';
import { listPlanEntries, planDetails } from '../../src/services/planCatalog.ts';
import { parseProviderConfig } from '../../src/services/providerConfig.ts';
import type { Database } from '../../src/storage/database.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

// Issue 9 §10 and §16: the built-in templates are listed and shown, marked as templates; a plan shows
// the customers assigned to it, and the assignments can be listed by plan.

const config = `
customers:
  - { id: pc-a, name: Alpha AS }
  - { id: pc-b, name: Beta AB }
plans:
  - { id: pc-gold, copyOf: concurrent-calls, name: Gold }
  - { id: pc-payg, copyOf: pay-as-you-go, name: Payg }
assignments:
  - { customer: pc-a, plan: pc-payg, from: 2026-09-01, to: 2026-10-01 }
  - { customer: pc-a, plan: pc-gold, from: 2026-10-01 }
  - { customer: pc-b, plan: pc-gold, from: 2026-11-01, to: 2027-01-01 }
`;

describe.each(databaseKinds)('plans, templates and their customers on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('lists the stored plans, then the built-in templates marked as templates', async () => {
    await applyConfig(db, parseProviderConfig(config, 'pc.yaml'), 'ops');
    const entries = await listPlanEntries(db);
    expect(entries.map((e) => [e.id, e.template, e.version, e.definition.name])).toEqual([
      ['pc-gold', false, 1, 'Gold'],
      ['pc-payg', false, 1, 'Payg'],
      ['concurrent-calls', true, null, 'Concurrent Calls'],
      ['pay-as-you-go', true, null, 'Pay as you go'],
      ['included-minutes', true, null, 'Included minutes'],
    ]);
  });

  it('shows a plan with the customers assigned to it and their date ranges, and a template as a template', async () => {
    const gold = await planDetails(db, 'pc-gold');
    expect(gold).toMatchObject({ id: 'pc-gold', template: false, locked: true, version: 1, definition: { monthlyFee: '500.00', portPool: { ports: 20 } } });
    expect(gold.assignments).toEqual([
      { id: 'pc-a@2026-10-01', customerId: 'pc-a', customerName: 'Alpha AS', planId: 'pc-gold', from: '2026-10-01', to: undefined },
      { id: 'pc-b@2026-11-01', customerId: 'pc-b', customerName: 'Beta AB', planId: 'pc-gold', from: '2026-11-01', to: '2027-01-01' },
    ]);
    const template = await planDetails(db, 'concurrent-calls');
    expect(template).toMatchObject({ id: 'concurrent-calls', template: true, version: null, assignments: [], definition: { name: 'Concurrent Calls', monthlyFee: '500.00' } });
    await expect(planDetails(db, 'nope')).rejects.toMatchObject({ code: 'not-found', message: 'No plan with id "nope", and no built-in template of that name.' });
  });

  it('lists assignments by plan and by customer; an unknown plan or a template is not found', async () => {
    expect((await listAssignmentsOf(db, { planIds: ['pc-payg'] })).map((a) => a.id)).toEqual(['pc-a@2026-09-01']);
    expect((await listAssignmentsOf(db, { planIds: ['pc-gold'], customerIds: ['pc-b'] })).map((a) => a.id)).toEqual(['pc-b@2026-11-01']);
    expect((await listAssignmentsOf(db, {})).map((a) => a.id)).toEqual(['pc-a@2026-09-01', 'pc-a@2026-10-01', 'pc-b@2026-11-01']);
    await expect(listAssignmentsOf(db, { planIds: ['ghost'] })).rejects.toMatchObject({ code: 'not-found', message: 'No plan with id "ghost".' });
    await expect(listAssignmentsOf(db, { planIds: ['pay-as-you-go'] })).rejects.toThrow('"pay-as-you-go" is a built-in template: templates are copied, never assigned.');
  });

  it('keeps the template ids reserved, in a file and for plan copy', async () => {
    expect(() => parseProviderConfig('plans: [{ id: concurrent-calls, currency: EUR }]', 'r.yaml')).toThrow('plans[0].id: is the id of a built-in template');
    await expect(copyPlanAs(db, { from: 'pc-gold', id: 'included-minutes', name: 'X', user: 'ops' })).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});
