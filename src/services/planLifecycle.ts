import { BillingError } from '../domain/billingError.ts';
import { builtInPlanTemplates, copyPlan, isBuiltInPlanId, type PlanDefinition } from '../domain/plan.ts';
import { planChanges } from '../domain/planChanges.ts';
import { editPlanField } from '../domain/planFieldEdit.ts';
import { isReservedKey, reservedKeyPaths } from '../domain/reservedKeys.ts';
import type { Database, Sql } from '../storage/database.ts';
import { deleteInvoice, getInvoice, invoicesUsingPlan } from '../storage/invoiceStore.ts';
import { appendAuditEntry } from '../storage/auditLogStore.ts';
import { invoiceSummary } from '../domain/auditEntry.ts';
import { deleteOpenItemsOfPlan } from '../storage/billingItemStore.ts';
import { createPlan, customersAssignedToPlan, deletePlanRow, getPlan, getPlanForUpdate, listAssignments, lockNewPlanVersion, recordPlanChanges, writePlanDraft, type StoredPlan } from '../storage/planStore.ts';
import { markRatingDirty } from '../storage/ratingStateStore.ts';
import { rateCustomers, type RatingSummary } from './billingRun.ts';
import { providerConfigSchema } from './providerConfig.ts';
import { configTextProblems } from './configTextProblems.ts';
import { recordInvoiceEvent } from './webhookEvents.ts';
import { assertPlanRevision } from './planRevision.ts';

/** The file's plan schema: one validation for plans from a file and plans edited field by field. */
const planSchema = providerConfigSchema.shape.plans.unwrap().element;

/** The definition as the schema gives it back: a money value given as a JSON number is stored as its decimal string. */
function validDefinition(planId: string, definition: PlanDefinition, what: string): PlanDefinition {
  // The schema would drop a `__proto__` key of a JSON value silently; it is refused by name instead.
  const reserved = reservedKeyPaths(definition).map((path) => `${path}: "__proto__" is a reserved name; use another name`);
  // The same refusal as in a configuration file: a NUL, a control character or a lone surrogate (the database cannot hold a NUL).
  const unstorable = configTextProblems(definition).map((p) => `${p.path.join('.') || '(plan)'}: ${p.message}`);
  const result = planSchema.safeParse({ id: planId, ...definition });
  if (result.success && reserved.length === 0 && unstorable.length === 0) {
    const { id: _id, copyOf: _copyOf, ...parsed } = result.data;
    return { ...definition, ...parsed } as PlanDefinition;
  }
  const issues = result.success ? [] : result.error.issues.filter((i) => !(i.code === 'unrecognized_keys' && i.keys.every(isReservedKey)));
  const problems = [...new Set([...reserved, ...unstorable, ...issues.map((i) => `${i.path.join('.') || '(plan)'}: ${i.message}`)])];
  throw new BillingError('invalid-argument', `${what} would make plan "${planId}" invalid, nothing was changed: ${problems.join('; ')}.`, { problems });
}

/**
 * `ifRevision`: the revisions (planRevision.ts) the change was made on; checked under the plan row's
 * lock, so of two concurrent changes made on the same revision only the first passes.
 */
export interface PlanChangeOptions {
  ifRevision?: readonly string[];
}

async function existingPlan(tx: Sql, id: string, ifRevision?: readonly string[]): Promise<StoredPlan> {
  const plan = await getPlanForUpdate(tx, id);
  if (!plan) throw new BillingError('not-found', `No plan with id "${id}".`, { field: 'plan', value: id, remedy: 'list-plans' });
  assertPlanRevision({ id: plan.id, locked: plan.locked, version: plan.currentVersion, definition: plan.definition, draft: plan.draft }, ifRevision);
  return plan;
}

/** docs/billing-rules.md §3: a new plan is a copy of a built-in template or of another plan's version in force, named anew. */
export async function copyPlanAs(db: Database, request: { from: string; id: string; name: string; user: string }): Promise<StoredPlan> {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(request.id)) throw new BillingError('invalid-argument', `Plan id "${request.id}" must be a lower-case slug (a-z, 0-9, . _ -).`, { field: 'id', value: request.id });
  if (isBuiltInPlanId(request.id)) throw new BillingError('invalid-argument', `Plan id "${request.id}" is the id of a built-in template; give the copy an id of its own.`, { field: 'id', value: request.id });
  return db.transaction(async (tx) => {
    if (await getPlan(tx, request.id)) throw new BillingError('conflict', `A plan with id "${request.id}" already exists; choose another id.`, { field: 'id', value: request.id });
    const base = isBuiltInPlanId(request.from) ? builtInPlanTemplates[request.from] : (await getPlan(tx, request.from))?.definition;
    if (!base) throw new BillingError('not-found', `No plan or built-in template "${request.from}" to copy (templates: concurrent-calls, pay-as-you-go, included-minutes).`, { field: 'from', value: request.from, remedy: 'list-plans' });
    const definition = copyPlan(base, { name: request.name });
    await createPlan(tx, request.id, validDefinition(request.id, definition, 'The copy'));
    await recordPlanChanges(tx, request.id, [{ field: 'version', oldValue: null, newValue: 1 }, { field: 'copyOf', oldValue: null, newValue: request.from }], request.user);
    return (await getPlan(tx, request.id))!;
  });
}

/** Unlocks a plan for editing; rating keeps using the locked version until `lockPlan`. */
export async function unlockPlan(db: Database, id: string, user: string, options: PlanChangeOptions = {}): Promise<StoredPlan> {
  return db.transaction(async (tx) => {
    const plan = await existingPlan(tx, id, options.ifRevision);
    if (!plan.locked) throw new BillingError('plan-unlocked', `Plan "${id}" is already unlocked: edit its draft, then lock it.`, { field: 'plan', value: id, remedy: 'edit-plan' });
    await writePlanDraft(tx, id, plan.definition);
    await recordPlanChanges(tx, id, [{ field: 'locked', oldValue: true, newValue: false }], user);
    return (await getPlan(tx, id))!;
  });
}

/** One edit of `plan set`: a field path and its value as written. */
export interface PlanFieldSetting {
  field: string;
  value: string;
}

/**
 * Sets one field of an unlocked plan's draft. The value is taken as written when the field accepts a
 * string (money is a decimal string), else as JSON (`20`, `null`, `{"ports": 20, …}`).
 */
export async function setPlanField(db: Database, id: string, path: string, rawValue: string, user: string): Promise<StoredPlan> {
  return setPlanFields(db, id, [{ field: path, value: rawValue }], user);
}

/** Several `setPlanField` edits in one transaction: all of them or, when one is refused, none. */
export async function setPlanFields(db: Database, id: string, settings: readonly PlanFieldSetting[], user: string, options: PlanChangeOptions = {}): Promise<StoredPlan> {
  return db.transaction(async (tx) => {
    const plan = await existingPlan(tx, id, options.ifRevision);
    if (plan.locked || !plan.draft) throw new BillingError('plan-locked', `Plan "${id}" is locked; unlock it first.`, { field: 'plan', value: id, remedy: 'unlock-plan' });
    let draft = plan.draft;
    for (const { field: path, value: rawValue } of settings) {
      let edit = editPlanField(draft, path, rawValue);
      if (!planSchema.safeParse({ id, ...edit.definition }).success) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(rawValue);
        } catch {
          parsed = undefined;
        }
        if (parsed !== undefined) edit = editPlanField(draft, path, parsed);
      }
      draft = validDefinition(id, edit.definition, `Setting ${path} to ${rawValue}`);
      await recordPlanChanges(tx, id, [{ field: path, oldValue: edit.oldValue, newValue: edit.newValue }], user);
    }
    await writePlanDraft(tx, id, draft);
    return (await getPlan(tx, id))!;
  });
}

export interface LockResult {
  plan: StoredPlan;
  /** Fields that differ from the version that was in force; none means no new version. */
  changedFields: string[];
  rating: RatingSummary | undefined;
}

/**
 * docs/billing-rules.md §3 "Lock & recalculate": the draft becomes the version in force, and the billing data of the
 * plan's customers that is in no invoice is regenerated at once. Items in invoices (draft or
 * approved) keep the version they were rated with.
 */
export async function lockPlan(db: Database, id: string, user: string, now: Date, options: PlanChangeOptions = {}): Promise<LockResult> {
  const { changedFields, customers } = await db.transaction(async (tx) => {
    const plan = await existingPlan(tx, id, options.ifRevision);
    if (plan.locked || !plan.draft) throw new BillingError('plan-locked', `Plan "${id}" is already locked.`, { field: 'plan', value: id });
    const changes = planChanges(plan.definition, plan.draft);
    if (changes.length === 0) {
      await writePlanDraft(tx, id, null);
      await recordPlanChanges(tx, id, [{ field: 'locked', oldValue: false, newValue: true }], user);
      return { changedFields: [], customers: [] };
    }
    const version = await lockNewPlanVersion(tx, id, plan.draft, [], user);
    await recordPlanChanges(tx, id, [{ field: 'version', oldValue: plan.currentVersion, newValue: version }, { field: 'locked', oldValue: false, newValue: true }], user);
    const assigned = await customersAssignedToPlan(tx, id);
    if (assigned.length) await markRatingDirty(tx, assigned);
    return { changedFields: changes.map((c) => c.field), customers: assigned };
  });
  const rating = customers.length ? await rateCustomers(db, { customerIds: customers, now }) : undefined;
  return { plan: (await getPlan(db, id))!, changedFields, rating };
}

export interface DeleteResult {
  deletedDrafts: string[];
  deletedItems: number;
  customers: string[];
}

/**
 * docs/billing-rules.md §3 "Delete": refused while an approved invoice uses the plan; otherwise the plan goes with its
 * assignments, the draft invoices that use it (their items are released) and its items in no invoice.
 * The customers are re-rated: their calls under the plan become untracked `no-plan` items.
 */
export async function deletePlan(db: Database, id: string, user: string, now: Date, options: PlanChangeOptions = {}): Promise<DeleteResult> {
  const result = await db.transaction(async (tx) => {
    await existingPlan(tx, id, options.ifRevision);
    const invoices = await invoicesUsingPlan(tx, id);
    const approved = invoices.filter((i) => i.status === 'approved');
    if (approved.length) {
      throw new BillingError('plan-in-use', `Plan "${id}" cannot be deleted: approved invoice${approved.length > 1 ? 's' : ''} ${approved.map((i) => i.number).join(', ')} use${approved.length > 1 ? '' : 's'} it, and approved invoices never change. End its assignments instead.`);
    }
    const drafts = invoices.map((i) => i.id);
    for (const draft of drafts) {
      const invoice = (await getInvoice(tx, draft))!;
      await recordInvoiceEvent(tx, 'invoice.deleted', invoice);
      await deleteInvoice(tx, draft);
      await appendAuditEntry(tx, { actor: user, action: 'invoice.deleted', objectKind: 'invoice', objectId: draft, before: invoiceSummary(invoice), after: null });
    }
    // The plan's assignments go with it (ON DELETE CASCADE): each is recorded as deleted.
    for (const a of await listAssignments(tx, undefined, [id])) {
      await appendAuditEntry(tx, { actor: user, action: 'assignment.deleted', objectKind: 'assignment', objectId: a.id, before: { customer: a.customerId, plan: a.planId, from: a.from, to: a.to ?? null }, after: null });
    }
    const customers = [...new Set([...(await customersAssignedToPlan(tx, id)), ...invoices.map((i) => i.customerId)])].sort();
    const deletedItems = await deleteOpenItemsOfPlan(tx, id);
    await deletePlanRow(tx, id);
    await recordPlanChanges(tx, id, [{ field: 'deleted', oldValue: false, newValue: true }], user);
    if (customers.length) await markRatingDirty(tx, customers);
    return { deletedDrafts: drafts, deletedItems, customers };
  });
  if (result.customers.length) await rateCustomers(db, { customerIds: result.customers, now });
  return result;
}
