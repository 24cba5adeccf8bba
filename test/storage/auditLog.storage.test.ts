import { describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/services/applyConfig.ts';
import { addAssignment, endAssignment, removeAssignment } from '../../src/services/assignments.ts';
import { auditEntries } from '../../src/services/auditLog.ts';
import { addEntity, deleteEntity } from '../../src/services/entities.ts';
import { addDraftLine, approve, deleteDraft, generateInvoices, removeDraftLine, setDraftNotes } from '../../src/services/invoicing.ts';
import { copyPlanAs, deletePlan, lockPlan, setPlanField, unlockPlan } from '../../src/services/planLifecycle.ts';
import { parseProviderConfig } from '../../src/services/providerConfig.ts';
import type { Database } from '../../src/storage/database.ts';
import { planHistory } from '../../src/storage/planHistoryStore.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

// Issue 10 §5: every change records who, what and the values before and after, in the same
// transaction; the log is append-only; the plan history is a view of it; it is read page by page.

const now = new Date('2026-12-01T00:00:00Z');

const file = (options: { name?: string; fee?: string } = {}) => `
settings: { timezone: Europe/Oslo }
customers:
  - id: au1
    name: ${options.name ?? 'Audit One'}
    matching: [{ kind: domain, value: au1.example }]
    entities: [{ id: au-vmr, serviceType: pexip-vmr, alias: 1001@au1.example, createdAt: "2026-10-01T00:00:00Z" }]
    customElements: [{ id: au-setup, name: Setup, date: 2026-10-15, unitPrice: "100.00", quantity: "1" }]
plans: [{ id: au-plan, copyOf: pay-as-you-go, monthlyFee: "${options.fee ?? '31.00'}" }]
assignments: [{ customer: au1, plan: au-plan, from: 2026-10-01 }]
sources: [{ id: au-src, format: confbill-csv }]
mappings: { confbill-csv: { categories: { lync: skype } } }
`;

interface Entry {
  actor: string;
  action: string;
  object: string;
  before: unknown;
  after: unknown;
}

describe.each(databaseKinds)('the audit log on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));
  let seen = 0;
  /** Entries appended so far (ids have gaps: a rolled-back insert, as in a dry run, uses one up). */
  let count = 0;
  let draftId = '';

  /** The entries appended since the last call, oldest first. */
  async function appended(): Promise<Entry[]> {
    const rows = await db.query<{ id: number; actor: string; action: string; kind: string; objectId: string; before: unknown; after: unknown }>(
      'SELECT id, actor, action, object_kind AS kind, object_id AS "objectId", before, after FROM audit_log WHERE id > $1 ORDER BY id',
      [seen],
    );
    if (rows.length) seen = Number(rows[rows.length - 1]!.id);
    count += rows.length;
    return rows.map((r) => ({ actor: r.actor, action: r.action, object: `${r.kind} ${r.objectId}`, before: r.before, after: r.after }));
  }

  const steps: [string, () => Promise<unknown>, Entry[]][] = [
    [
      'apply creates settings, a customer, its rules, entity and custom element, a plan, an assignment, a source and a mapping',
      () => applyConfig(db, parseProviderConfig(file(), 'audit.yaml'), 'ops'),
      [
        { actor: 'ops', action: 'plan.added', object: 'plan au-plan', before: { version: null }, after: { version: 1 } },
        { actor: 'ops', action: 'plan.added', object: 'plan au-plan', before: { copyOf: null }, after: { copyOf: 'pay-as-you-go' } },
        { actor: 'ops', action: 'settings.changed', object: 'settings settings', before: { timezone: 'UTC' }, after: { timezone: 'Europe/Oslo' } },
        { actor: 'ops', action: 'customer.added', object: 'customer au1', before: null, after: { name: 'Audit One' } },
        { actor: 'ops', action: 'matching-rules.changed', object: 'matching-rules au1', before: { matching: [] }, after: { matching: ['domain au1.example'] } },
        { actor: 'ops', action: 'entity.added', object: 'entity au-vmr', before: null, after: { customer: 'au1', serviceType: 'pexip-vmr', alias: '1001@au1.example', createdAt: '2026-10-01T00:00:00.000Z' } },
        { actor: 'ops', action: 'custom-element.added', object: 'custom-element au-setup', before: null, after: { customer: 'au1', name: 'Setup', date: '2026-10-15', unitPrice: '100.00', quantity: '1' } },
        { actor: 'ops', action: 'assignment.added', object: 'assignment au1@2026-10-01', before: null, after: { customer: 'au1', plan: 'au-plan', from: '2026-10-01' } },
        { actor: 'ops', action: 'source.added', object: 'source au-src', before: null, after: { format: 'confbill-csv' } },
        { actor: 'ops', action: 'mapping.added', object: 'mapping confbill-csv', before: null, after: { mapping: { categories: { lync: 'skype' } } } },
      ],
    ],
    ['the same file again changes nothing and records nothing', () => applyConfig(db, parseProviderConfig(file(), 'audit.yaml'), 'ops'), []],
    ['a dry run records nothing', () => applyConfig(db, parseProviderConfig(file({ name: 'Dry' }), 'audit.yaml'), 'ops', { dryRun: true }), []],
    [
      'apply changes a customer and a plan: only the changed fields',
      () => applyConfig(db, parseProviderConfig(file({ name: 'Audit Renamed', fee: '35.00' }), 'audit.yaml'), 'ops2'),
      [
        { actor: 'ops2', action: 'plan.field-changed', object: 'plan au-plan', before: { monthlyFee: '31.00' }, after: { monthlyFee: '35.00' } },
        { actor: 'ops2', action: 'plan.version-locked', object: 'plan au-plan', before: { version: 1 }, after: { version: 2 } },
        { actor: 'ops2', action: 'customer.changed', object: 'customer au1', before: { name: 'Audit One' }, after: { name: 'Audit Renamed' } },
      ],
    ],
    [
      'an assignment is ended',
      () => endAssignment(db, 'au1@2026-10-01', '2027-01-01', 'ann', now),
      [{ actor: 'ann', action: 'assignment.changed', object: 'assignment au1@2026-10-01', before: { to: null }, after: { to: '2027-01-01' } }],
    ],
    [
      'an assignment is added',
      () => addAssignment(db, { customerId: 'au1', planId: 'au-plan', from: '2027-01-01', to: '2027-02-01' }, 'ann', now),
      [{ actor: 'ann', action: 'assignment.added', object: 'assignment au1@2027-01-01', before: null, after: { customer: 'au1', plan: 'au-plan', from: '2027-01-01', to: '2027-02-01' } }],
    ],
    [
      'an assignment is deleted',
      () => removeAssignment(db, 'au1@2027-01-01', 'ann', now),
      [{ actor: 'ann', action: 'assignment.deleted', object: 'assignment au1@2027-01-01', before: { customer: 'au1', plan: 'au-plan', from: '2027-01-01', to: '2027-02-01' }, after: null }],
    ],
    [
      'an entity is added',
      () => addEntity(db, { customerId: 'au1', id: 'au-room', serviceType: 'pexip-vmr', createdAt: new Date('2026-10-02T08:00:00Z') }, 'ben'),
      [{ actor: 'ben', action: 'entity.added', object: 'entity au-room', before: null, after: { customer: 'au1', serviceType: 'pexip-vmr', createdAt: '2026-10-02T08:00:00.000Z' } }],
    ],
    [
      'an entity is deleted',
      () => deleteEntity(db, 'au1', 'au-room', new Date('2026-10-20T12:00:00Z'), 'ben'),
      [{ actor: 'ben', action: 'entity.deleted', object: 'entity au-room', before: { deletedAt: null }, after: { deletedAt: '2026-10-20T12:00:00.000Z' } }],
    ],
    [
      'a plan is unlocked, edited and locked again',
      async () => {
        await unlockPlan(db, 'au-plan', 'cy');
        await setPlanField(db, 'au-plan', 'monthlyFee', '40.00', 'cy');
        await lockPlan(db, 'au-plan', 'cy', now);
      },
      [
        { actor: 'cy', action: 'plan.unlocked', object: 'plan au-plan', before: { locked: true }, after: { locked: false } },
        { actor: 'cy', action: 'plan.field-changed', object: 'plan au-plan', before: { monthlyFee: '35.00' }, after: { monthlyFee: '40.00' } },
        { actor: 'cy', action: 'plan.version-locked', object: 'plan au-plan', before: { version: 2 }, after: { version: 3 } },
        { actor: 'cy', action: 'plan.locked', object: 'plan au-plan', before: { locked: false }, after: { locked: true } },
      ],
    ],
    [
      'a plan is copied and deleted',
      async () => {
        await copyPlanAs(db, { from: 'au-plan', id: 'au-copy', name: 'Copy', user: 'cy' });
        await deletePlan(db, 'au-copy', 'cy', now);
      },
      [
        { actor: 'cy', action: 'plan.added', object: 'plan au-copy', before: { version: null }, after: { version: 1 } },
        { actor: 'cy', action: 'plan.added', object: 'plan au-copy', before: { copyOf: null }, after: { copyOf: 'au-plan' } },
        { actor: 'cy', action: 'plan.deleted', object: 'plan au-copy', before: { deleted: false }, after: { deleted: true } },
      ],
    ],
    [
      'deleting a plan records the drafts and the assignments that go with it',
      async () => {
        await endAssignment(db, 'au1@2026-10-01', '2026-11-01', 'ann', now);
        await copyPlanAs(db, { from: 'au-plan', id: 'au-temp', name: 'Temporary', user: 'cy' });
        await addAssignment(db, { customerId: 'au1', planId: 'au-temp', from: '2026-11-01' }, 'ann', now);
        // The draft takes every open item before December: October's setup (100.00) and fee (40.00), November's fee (40.00).
        draftId = (await generateInvoices(db, { customerIds: ['au1'], from: '2026-11-01', to: '2026-12-01', now: new Date('2026-12-02T00:00:00Z'), actor: 'dee' }))[0]!.id;
        await deletePlan(db, 'au-temp', 'cy', now);
      },
      [
        { actor: 'ann', action: 'assignment.changed', object: 'assignment au1@2026-10-01', before: { to: '2027-01-01' }, after: { to: '2026-11-01' } },
        { actor: 'cy', action: 'plan.added', object: 'plan au-temp', before: { version: null }, after: { version: 1 } },
        { actor: 'cy', action: 'plan.added', object: 'plan au-temp', before: { copyOf: null }, after: { copyOf: 'au-plan' } },
        { actor: 'ann', action: 'assignment.added', object: 'assignment au1@2026-11-01', before: null, after: { customer: 'au1', plan: 'au-temp', from: '2026-11-01' } },
        { actor: 'dee', action: 'invoice.generated', object: 'invoice (draft)', before: null, after: { customer: 'au1', currency: 'EUR', from: '2026-11-01', to: '2026-12-01', lines: 3, total: '180.00' } },
        { actor: 'cy', action: 'invoice.deleted', object: 'invoice (draft)', before: { customer: 'au1', currency: 'EUR', from: '2026-11-01', to: '2026-12-01', lines: 3, total: '180.00' }, after: null },
        { actor: 'cy', action: 'assignment.deleted', object: 'assignment au1@2026-11-01', before: { customer: 'au1', plan: 'au-temp', from: '2026-11-01', to: null }, after: null },
        { actor: 'cy', action: 'plan.deleted', object: 'plan au-temp', before: { deleted: false }, after: { deleted: true } },
      ],
    ],
    [
      'an invoice is generated, with its total',
      async () => (draftId = (await generateInvoices(db, { customerIds: ['au1'], from: '2026-10-01', to: '2026-11-01', now, actor: 'dee' }))[0]!.id),
      [{ actor: 'dee', action: 'invoice.generated', object: 'invoice (draft)', before: null, after: { customer: 'au1', currency: 'EUR', from: '2026-10-01', to: '2026-11-01', lines: 2, total: '140.00' } }],
    ],
    [
      'a manual line is added to the draft',
      () => addDraftLine(db, draftId, { description: 'Goodwill', unitPrice: '-5.00' }, 'dee'),
      [{ actor: 'dee', action: 'invoice.line-added', object: 'invoice (draft)', before: { total: '140.00' }, after: { line: { description: 'Goodwill', quantity: '1', unitPrice: '-5.00', amount: '-5.00', period: '2026-10' }, total: '135.00' } }],
    ],
    [
      'the manual line is removed',
      () => removeDraftLine(db, draftId, 3, 'dee'),
      [{ actor: 'dee', action: 'invoice.line-removed', object: 'invoice (draft)', before: { line: { description: 'Goodwill', quantity: '1', unitPrice: '-5.00', amount: '-5.00', period: '2026-10' }, position: 3, total: '135.00' }, after: { total: '140.00' } }],
    ],
    [
      'the notes are set',
      () => setDraftNotes(db, draftId, 'Thank you', 'dee'),
      [{ actor: 'dee', action: 'invoice.notes-changed', object: 'invoice (draft)', before: { notes: null }, after: { notes: 'Thank you' } }],
    ],
    [
      'the draft is deleted',
      () => deleteDraft(db, draftId, 'dee'),
      [{ actor: 'dee', action: 'invoice.deleted', object: 'invoice (draft)', before: { customer: 'au1', currency: 'EUR', from: '2026-10-01', to: '2026-11-01', lines: 2, total: '140.00' }, after: null }],
    ],
    [
      'an invoice is approved, by the approver',
      async () => {
        draftId = (await generateInvoices(db, { customerIds: ['au1'], from: '2026-10-01', to: '2026-11-01', now, actor: 'dee' }))[0]!.id;
        await approve(db, draftId, { user: 'eve' });
      },
      [
        { actor: 'dee', action: 'invoice.generated', object: 'invoice (draft)', before: null, after: { customer: 'au1', currency: 'EUR', from: '2026-10-01', to: '2026-11-01', lines: 2, total: '140.00' } },
        { actor: 'eve', action: 'invoice.approved', object: 'invoice (draft)', before: { status: 'draft', number: null }, after: { status: 'approved', number: 1, total: '140.00' } },
      ],
    ],
    ['a refused change records nothing', () => approve(db, draftId, { user: 'eve' }).catch((error: Error) => expect(error.message).toBe('Invoice 1 is already approved.')), []],
  ];

  it.each(steps)('%s', async (_name, step, expected) => {
    await step();
    // Invoice ids are random: the draft's entries name the draft of the step.
    const entries = (await appended()).map((e) => (e.object === `invoice ${draftId}` ? { ...e, object: 'invoice (draft)' } : e));
    expect(entries).toEqual(expected);
  });

  it('keeps the plan history as it was, read through the view over the log', async () => {
    expect((await planHistory(db, 'au-plan')).map((h) => [h.field, h.oldValue, h.newValue, h.user])).toEqual([
      ['version', null, 1, 'ops'],
      ['copyOf', null, 'pay-as-you-go', 'ops'],
      ['monthlyFee', '31.00', '35.00', 'ops2'],
      ['version', 1, 2, 'ops2'],
      ['locked', true, false, 'cy'],
      ['monthlyFee', '35.00', '40.00', 'cy'],
      ['version', 2, 3, 'cy'],
      ['locked', false, true, 'cy'],
    ]);
    expect((await planHistory(db, 'au-copy')).map((h) => h.field)).toEqual(['version', 'copyOf', 'deleted']);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of the log, and writes through the plan history view', async () => {
    const before = await db.query('SELECT * FROM audit_log ORDER BY id');
    expect(before).toHaveLength(count);
    for (const sql of ["UPDATE audit_log SET actor = 'mallory'", 'DELETE FROM audit_log', 'TRUNCATE audit_log', "DELETE FROM audit_log WHERE actor = 'eve'"]) {
      await expect(db.query(sql), sql).rejects.toThrow(/the audit log is append-only: (UPDATE|DELETE|TRUNCATE) on audit_log is refused/);
    }
    for (const sql of ['DELETE FROM plan_history', "UPDATE plan_history SET user_name = 'mallory'"]) await expect(db.query(sql), sql).rejects.toThrow(/cannot (delete from|update) view "plan_history"/);
    expect(await db.query('SELECT * FROM audit_log ORDER BY id')).toEqual(before);
  });

  it('pages newest first with the id cursor, and filters by kind, object, actor, action and time', async () => {
    const all = (await auditEntries(db, { limit: 1000 })).entries.map((e) => e.id);
    expect(all).toHaveLength(count);
    expect(all).toEqual([...all].sort((a, b) => b - a));
    const paged: number[] = [];
    let cursor: number | undefined;
    let pages = 0;
    do {
      const page = await auditEntries(db, { limit: 7, before: cursor });
      paged.push(...page.entries.map((e) => e.id));
      cursor = page.next ?? undefined;
      pages++;
    } while (cursor !== undefined);
    expect(paged).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 7));

    const invoice = await auditEntries(db, { objectKind: 'invoice', objectId: draftId });
    expect(invoice.entries.map((e) => [e.actor, e.action])).toEqual([['eve', 'invoice.approved'], ['dee', 'invoice.generated']]);
    expect(invoice.next).toBeNull();
    expect((await auditEntries(db, { actor: 'ann' })).entries.map((e) => [e.action, e.objectId])).toEqual([
      ['assignment.added', 'au1@2026-11-01'],
      ['assignment.changed', 'au1@2026-10-01'],
      ['assignment.deleted', 'au1@2027-01-01'],
      ['assignment.added', 'au1@2027-01-01'],
      ['assignment.changed', 'au1@2026-10-01'],
    ]);
    expect((await auditEntries(db, { action: 'plan.locked' })).entries.map((e) => e.objectId)).toEqual(['au-plan']);
    const [newest] = (await auditEntries(db, { limit: 1 })).entries;
    expect(newest).toMatchObject({ actor: 'eve', action: 'invoice.approved', objectKind: 'invoice', objectId: draftId, at: expect.stringMatching(/^20\d\d-\d\d-\d\dT[\d:.]+Z$/) });
    expect((await auditEntries(db, { from: newest!.at })).entries.map((e) => e.id)).toContain(newest!.id);
    expect((await auditEntries(db, { to: newest!.at, before: newest!.id + 1 })).entries.map((e) => e.id)).not.toContain(newest!.id);
    expect((await auditEntries(db, { from: '2000-01-01T00:00:00Z', to: '2000-01-02T00:00:00Z' })).entries).toEqual([]);

    await expect(auditEntries(db, { limit: 0 })).rejects.toMatchObject({ code: 'invalid-argument', message: 'The limit 0 is not a whole number from 1 to 1000.' });
    await expect(auditEntries(db, { limit: 1001 })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(auditEntries(db, { from: '2026-11-01' })).rejects.toMatchObject({ code: 'invalid-argument', details: { field: 'from' } });
    expect((await auditEntries(db)).entries).toHaveLength(Math.min(100, count));
  });
});
