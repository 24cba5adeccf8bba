import { describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/services/applyConfig.ts';
import { copyPlanAs, lockPlan, setPlanField, unlockPlan } from '../../src/services/planLifecycle.ts';
import { parseProviderConfig } from '../../src/services/providerConfig.ts';
import type { Database } from '../../src/storage/database.ts';
import { planHistory } from '../../src/storage/planHistoryStore.ts';
import { getPlan } from '../../src/storage/planStore.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

// Issue 9 §3 and §4: `confbill apply` names every object and field it changes, records the real user
// and every step in the plan's history, never silently reverts an operator's edit, and has a dry run.

const now = new Date('2026-12-01T00:00:00Z');

const file = (options: { name?: string; fee?: string; customer?: string; to?: string } = {}) => `
settings: { timezone: Europe/Oslo }
customers: [{ id: ac1, name: ${options.customer ?? 'Changes One'} }]
plans: [{ id: ac-gold, copyOf: concurrent-calls, name: ${options.name ?? 'Gold'}, monthlyFee: ${options.fee ?? '25'} }]
assignments: [{ customer: ac1, plan: ac-gold, from: 2026-10-01${options.to ? `, to: ${options.to}` : ''} }]
`;

const apply = (db: Database, yaml: string, user: string, options: { dryRun?: boolean; force?: boolean } = {}) => applyConfig(db, parseProviderConfig(yaml, 'changes.yaml'), user, options);

/** Everything `plan show`, `plan history`, `assignment list` and the customers show, as stored. */
async function visibleState(db: Database): Promise<unknown> {
  return {
    plans: await db.query('SELECT * FROM plans ORDER BY id'),
    versions: await db.query('SELECT plan_id, version, definition FROM plan_versions ORDER BY plan_id, version'),
    history: await db.query('SELECT plan_id, field, old_value, new_value, user_name, changed_at FROM plan_history ORDER BY id'),
    assignments: await db.query('SELECT * FROM assignments ORDER BY id'),
    customers: await db.query('SELECT * FROM customers ORDER BY id'),
    settings: await db.query('SELECT * FROM settings ORDER BY key'),
  };
}

const historyRows = async (db: Database, planId: string) => (await planHistory(db, planId)).map((h) => [h.field, h.oldValue, h.newValue, h.user]);

describe.each(databaseKinds)('what confbill apply changes, on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('names every object it creates with its fields, and the history of a new plan has its creation by the real user', async () => {
    const summary = await apply(db, file(), 'ops-anna');
    expect(summary.changes).toEqual([
      { kind: 'settings', id: 'settings', action: 'changed', fields: [{ field: 'timezone', oldValue: 'UTC', newValue: 'Europe/Oslo' }] },
      {
        kind: 'plan',
        id: 'ac-gold',
        action: 'created',
        fields: [
          { field: 'version', oldValue: null, newValue: 1 },
          { field: 'copyOf', oldValue: null, newValue: 'concurrent-calls' },
          { field: 'name', oldValue: null, newValue: 'Gold' },
          // `monthlyFee: 25`, a YAML number, is taken as the exact decimal "25".
          { field: 'monthlyFee', oldValue: null, newValue: '25' },
        ],
      },
      { kind: 'customer', id: 'ac1', action: 'created', fields: [{ field: 'name', oldValue: null, newValue: 'Changes One' }] },
      { kind: 'assignment', id: 'ac1@2026-10-01', action: 'created', fields: [{ field: 'customer', oldValue: null, newValue: 'ac1' }, { field: 'plan', oldValue: null, newValue: 'ac-gold' }, { field: 'from', oldValue: null, newValue: '2026-10-01' }] },
    ]);
    expect((await getPlan(db, 'ac-gold'))?.definition.monthlyFee).toBe('25');
    expect(await historyRows(db, 'ac-gold')).toEqual([
      ['version', null, 1, 'ops-anna'],
      ['copyOf', null, 'concurrent-calls', 'ops-anna'],
    ]);
  });

  it('a dry run returns the same changes as the apply and leaves the database as it was', async () => {
    const changed = file({ name: 'Gold 2026', customer: 'Changes One AS', to: '2027-01-01' });
    const before = await visibleState(db);
    const dry = await apply(db, changed, 'ops-anna', { dryRun: true });
    expect(await visibleState(db)).toEqual(before);
    expect(dry.changes).toEqual([
      { kind: 'plan', id: 'ac-gold', action: 'changed', fields: [{ field: 'name', oldValue: 'Gold', newValue: 'Gold 2026' }, { field: 'version', oldValue: 1, newValue: 2 }] },
      { kind: 'customer', id: 'ac1', action: 'changed', fields: [{ field: 'name', oldValue: 'Changes One', newValue: 'Changes One AS' }] },
      { kind: 'assignment', id: 'ac1@2026-10-01', action: 'changed', fields: [{ field: 'to', oldValue: null, newValue: '2027-01-01' }] },
    ]);
    const applied = await apply(db, changed, 'ops-anna');
    expect(applied.changes).toEqual(dry.changes);
    expect(await visibleState(db)).not.toEqual(before);
    expect((await historyRows(db, 'ac-gold')).slice(2)).toEqual([
      ['name', 'Gold', 'Gold 2026', 'ops-anna'],
      ['version', 1, 2, 'ops-anna'],
    ]);
  });

  it('refuses to put back a field edited with plan set since the file was last applied; --force does, and says so', async () => {
    const current = file({ name: 'Gold 2026', customer: 'Changes One AS', to: '2027-01-01' });
    await unlockPlan(db, 'ac-gold', 'ops-bob');
    await setPlanField(db, 'ac-gold', 'monthlyFee', '30.00', 'ops-bob');
    await lockPlan(db, 'ac-gold', 'ops-bob', now);
    const before = await visibleState(db);
    await expect(apply(db, current, 'ops-anna')).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('plans "ac-gold": it was changed since the file last applied it (version 2 applied, version 3 in force), and the file would change monthlyFee ("30.00" → "25")'),
    });
    await expect(apply(db, current, 'ops-anna', { dryRun: true })).rejects.toMatchObject({ code: 'conflict' });
    expect(await visibleState(db)).toEqual(before);

    const forced = await apply(db, current, 'ops-anna', { force: true });
    expect(forced.changes).toEqual([
      { kind: 'plan', id: 'ac-gold', action: 'changed', fields: [{ field: 'monthlyFee', oldValue: '30.00', newValue: '25' }, { field: 'version', oldValue: 3, newValue: 4 }], revertedFields: ['monthlyFee'] },
    ]);
    expect((await historyRows(db, 'ac-gold')).slice(-2)).toEqual([
      ['monthlyFee', '30.00', '25', 'ops-anna'],
      ['version', 3, 4, 'ops-anna'],
    ]);
  });

  it('applies a file that leaves the edited fields alone, and one that has taken the edit in', async () => {
    await unlockPlan(db, 'ac-gold', 'ops-bob');
    await setPlanField(db, 'ac-gold', 'portPool.ports', '30', 'ops-bob');
    await lockPlan(db, 'ac-gold', 'ops-bob', now);
    // Without copyOf the file changes only what it lists: the ports edit stays.
    const renamed = await apply(db, 'plans: [{ id: ac-gold, name: Gold Plus }]', 'ops-anna');
    expect(renamed.changes.map((c) => c.fields.map((f) => f.field))).toEqual([['name', 'version']]);
    expect(await getPlan(db, 'ac-gold')).toMatchObject({ currentVersion: 6, definition: { name: 'Gold Plus', portPool: { ports: 30 } } });

    // The full file that says 30 ports changes nothing, and from then on it is the file's version.
    const withPorts = (ports: number) => `plans: [{ id: ac-gold, copyOf: concurrent-calls, name: Gold Plus, monthlyFee: "25", portPool: { ports: ${ports}, overagePerPortMinute: "0.10" } }]`;
    expect((await apply(db, withPorts(30), 'ops-anna')).changes).toEqual([]);
    const more = await apply(db, withPorts(40), 'ops-anna');
    expect(more.changes).toEqual([{ kind: 'plan', id: 'ac-gold', action: 'changed', fields: [{ field: 'portPool', oldValue: { ports: 30, overagePerPortMinute: '0.10' }, newValue: { ports: 40, overagePerPortMinute: '0.10' } }, { field: 'version', oldValue: 6, newValue: 7 }] }]);
  });

  it('does not let a file replace a plan made with plan copy unless forced', async () => {
    await copyPlanAs(db, { from: 'pay-as-you-go', id: 'ac-copy', name: 'Copy', user: 'ops-bob' });
    expect(await historyRows(db, 'ac-copy')).toEqual([
      ['version', null, 1, 'ops-bob'],
      ['copyOf', null, 'pay-as-you-go', 'ops-bob'],
    ]);
    await expect(apply(db, 'plans: [{ id: ac-copy, monthlyFee: "5" }]', 'ops-anna')).rejects.toThrow(/plans "ac-copy": no file has applied it yet \(made as a copy\), and the file would change monthlyFee \("0" → "5"\)/);
    // A file that says what the plan is takes it over.
    expect((await apply(db, 'plans: [{ id: ac-copy, name: Copy }]', 'ops-anna')).changes).toEqual([]);
    expect((await apply(db, 'plans: [{ id: ac-copy, monthlyFee: "5" }]', 'ops-anna')).changes).toHaveLength(1);
  });

  it('does not list a setting written down at its default value: nothing changes', async () => {
    expect((await apply(db, 'settings: { settlementDelayMinutes: 60 }', 'ops-anna')).changes).toEqual([]);
    expect((await apply(db, 'settings: { settlementDelayMinutes: 90 }', 'ops-anna')).changes).toEqual([{ kind: 'settings', id: 'settings', action: 'changed', fields: [{ field: 'settlementDelayMinutes', oldValue: 60, newValue: 90 }] }]);
  });

  it('plan set stores a money value given as a JSON number as its decimal string', async () => {
    await unlockPlan(db, 'ac-copy', 'ops-bob');
    await setPlanField(db, 'ac-copy', 'portPool', '{"ports": 20, "overagePerPortMinute": 0.1}', 'ops-bob');
    expect((await getPlan(db, 'ac-copy'))?.draft?.portPool).toEqual({ ports: 20, overagePerPortMinute: '0.1' });
  });
});
