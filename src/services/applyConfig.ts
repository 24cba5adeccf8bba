import { assertNoOverlappingAssignments, type Assignment } from '../domain/assignment.ts';
import { BillingError } from '../domain/billingError.ts';
import { parseInstant } from '../domain/calendar.ts';
import { builtInPlanTemplates, copyPlan, isBuiltInPlanId, type PlanDefinition, type PlanOverrides } from '../domain/plan.ts';
import { fieldValues } from '../domain/auditEntry.ts';
import { fieldChanges, type FieldChange } from '../domain/fieldChanges.ts';
import { ownValue } from '../domain/ownValue.ts';
import { planChanges } from '../domain/planChanges.ts';
import { appendAuditEntry } from '../storage/auditLogStore.ts';
import type { Database, Sql } from '../storage/database.ts';
import { findEntity, listCustomerCustomElements, listCustomers, listMatchingRules, replaceMatchingRules, upsertCustomer, upsertCustomerCustomElement, upsertEntity, type MatchingRuleRow } from '../storage/customerStore.ts';
import { markOpenCallsForMatching } from '../storage/callStore.ts';
import { createPlan, getPlan, getPlanForUpdate, getPlanVersion, listAssignments, lockNewPlanVersion, markPlanVersionApplied, recordPlanChanges, upsertAssignment, type StoredPlan } from '../storage/planStore.ts';
import { markRatingDirty } from '../storage/ratingStateStore.ts';
import { getFormatMapping, getSource, upsertSource, writeFormatMapping } from '../storage/sourceStore.ts';
import type { ProviderLogo } from '../storage/providerLogoStore.ts';
import { readSettings, writeSettings } from '../storage/settingsStore.ts';
import { assertServiceAvailable } from './entities.ts';
import type { PlanConfig, ProviderConfig } from './providerConfig.ts';
import { readProviderLogoFile } from './providerLogoFile.ts';
import { storedProviderSettings } from './storedProviderSettings.ts';

export interface ApplySummary {
  settingsChanged: number;
  customersChanged: number;
  plansCreated: number;
  plansChanged: number;
  assignmentsChanged: number;
  /** Customer one-off charges created or changed. */
  elementsChanged: number;
  /** Sources and format mappings created or changed. */
  sourcesChanged: number;
  /** True when matching rules or entities changed, so open calls are matched again. */
  rematch: boolean;
  /** Every object created or changed, with each field old → new, in the order applied. */
  changes: ObjectChange[];
}

export interface ObjectChange {
  kind: 'settings' | 'plan' | 'customer' | 'entity' | 'customer element' | 'assignment' | 'source' | 'mapping';
  id: string;
  action: 'created' | 'changed';
  fields: FieldChange[];
  /** Plans only: fields whose edit made since the file was last applied this change puts back (`force`). */
  revertedFields?: string[];
}

export interface ApplyOptions {
  /** Work out and return the changes, then roll them back: nothing is written. */
  dryRun?: boolean;
  /** Apply a plan even where that reverts fields edited (`plan set` + `plan lock`) since the file was last applied. */
  force?: boolean;
  /** Where the files the configuration names (the provider's logo) are found: the configuration file's folder (default: the working folder). */
  baseDir?: string;
  /**
   * A provider block without a logo keeps the logo stored before (the API, which reads no files of
   * the server); without this option the file's provider block is the whole of it, and a missing logo removes it.
   */
  keepStoredLogo?: boolean;
  /**
   * Customer entries change only the matching rules, entities and one-off charges they list; names and
   * billing details stay as stored, unwritten, so that a concurrent change of them is never put back
   * (the API's routes for a customer's rules or charges). Each customer must exist.
   */
  keepCustomerDetails?: boolean;
}

/** Thrown inside the transaction of a dry run so that it rolls back; carries the summary out. */
class DryRunRollback extends Error {
  constructor(readonly summary: ApplySummary) {
    super('dry run');
  }
}

const emptyPlan = (name: string, currency: string): PlanDefinition => ({ name, currency, monthlyFee: '0', portPool: null, includedMinutes: null, callRates: [], services: {}, customElements: [] });

function overridesOf(p: PlanConfig): PlanOverrides {
  const { id: _id, copyOf: _copyOf, ...fields } = p;
  return fields as PlanOverrides;
}

async function resolvePlanBase(tx: Sql, p: PlanConfig, resolved: Map<string, PlanDefinition>): Promise<PlanDefinition> {
  const baseId = p.copyOf;
  if (baseId !== undefined) {
    if (isBuiltInPlanId(baseId)) return builtInPlanTemplates[baseId];
    const base = resolved.get(baseId) ?? (await getPlan(tx, baseId))?.definition;
    if (!base) throw new BillingError('invalid-config', `plans "${p.id}": copyOf "${baseId}" is neither a built-in template (concurrent-calls, pay-as-you-go, included-minutes) nor a plan listed before it or already saved.`);
    return base;
  }
  const existing = await getPlan(tx, p.id);
  if (existing) return existing.definition;
  if (!p.currency) throw new BillingError('invalid-config', `plans "${p.id}": a new plan needs copyOf or at least a currency.`);
  return emptyPlan(p.name ?? p.id, p.currency);
}

const ruleText = (r: { kind: string; value: string; rangeFrom: string | null; rangeTo: string | null; validFrom: string | null; validTo: string | null }): string =>
  `${r.kind} ${r.kind === 'number-range' ? `${r.rangeFrom}-${r.rangeTo}` : r.value}${r.validFrom || r.validTo ? ` [${r.validFrom ?? '…'}, ${r.validTo ?? '…'})` : ''}`;

const instantText = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

function recordChange(summary: ApplySummary, kind: ObjectChange['kind'], id: string, before: object | undefined, after: object): void {
  const fields = fieldChanges(before, after);
  if (fields.length || !before) summary.changes.push({ kind, id, action: before ? 'changed' : 'created', fields });
}

/**
 * The fields of a plan changed since the file last applied it (`plan set` + `plan lock`): all of them
 * when no file has applied it yet (made by `plan copy`).
 */
async function fieldsEditedSinceApplied(tx: Sql, plan: StoredPlan): Promise<Set<string> | 'all'> {
  if (plan.appliedVersion === plan.currentVersion) return new Set();
  const applied = plan.appliedVersion === null ? undefined : await getPlanVersion(tx, plan.id, plan.appliedVersion);
  return applied ? new Set(planChanges(applied, plan.definition).map((c) => c.field)) : 'all';
}

const valueText = (v: unknown): string => JSON.stringify(v ?? null);

const auditKind: Record<ObjectChange['kind'], string> = {
  settings: 'settings',
  plan: 'plan',
  customer: 'customer',
  entity: 'entity',
  'customer element': 'custom-element',
  assignment: 'assignment',
  source: 'source',
  mapping: 'mapping',
};

/**
 * The audit entries of what apply changed: one per object, its changed fields before and after (a
 * customer's matching rules in an entry of their own). Plans are not among them: each of their steps
 * is recorded field by field as the plan's history when it is written.
 */
async function recordAuditEntries(tx: Sql, changes: readonly ObjectChange[], actor: string): Promise<void> {
  for (const change of changes) {
    if (change.kind === 'plan') continue;
    const objectKind = auditKind[change.kind];
    const groups = change.kind === 'customer' ? [change.fields.filter((f) => f.field !== 'matching'), change.fields.filter((f) => f.field === 'matching')] : [change.fields];
    for (const [i, fields] of groups.entries()) {
      const rules = i === 1;
      if (fields.length === 0 && (rules || change.action !== 'created')) continue;
      const kind = rules ? 'matching-rules' : objectKind;
      const created = change.action === 'created' && !rules;
      await appendAuditEntry(tx, {
        actor,
        action: `${kind}.${created ? 'added' : 'changed'}`,
        objectKind: kind,
        objectId: change.id,
        ...fieldValues(fields, created),
      });
    }
  }
}

/**
 * Applies a validated configuration in one transaction: creates or updates by id what it lists, and
 * returns every object and field it changed. Applying the same file twice changes nothing. A changed
 * plan gets a new locked version; its history names `user` for each field and the version. A plan
 * edited with `plan set` + `plan lock` since the file last applied it is refused (conflict) where the
 * file would put an edited field back, unless `force`. Changed matching rules or entities put every
 * call that is in no invoice back up for matching. `dryRun` returns the same and writes nothing.
 */
export async function applyConfig(db: Database, config: ProviderConfig, user = 'apply', options: ApplyOptions = {}): Promise<ApplySummary> {
  // The logo file is read (and refused if it is no image) before anything is written.
  const logoPath = config.settings?.provider?.logo;
  const logo = logoPath === undefined ? undefined : await readProviderLogoFile(logoPath, options.baseDir ?? process.cwd());
  try {
    return await db.transaction(async (tx) => {
      const summary = await applyInTransaction(tx, config, user, options, logo);
      if (options.dryRun) throw new DryRunRollback(summary);
      return summary;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.summary;
    throw error;
  }
}

async function applyInTransaction(tx: Sql, config: ProviderConfig, user: string, options: ApplyOptions, logo: ProviderLogo | undefined): Promise<ApplySummary> {
  const summary: ApplySummary = { settingsChanged: 0, customersChanged: 0, plansCreated: 0, plansChanged: 0, assignmentsChanged: 0, elementsChanged: 0, sourcesChanged: 0, rematch: false, changes: [] };
  if (config.settings) {
    const before = await readSettings(tx);
    const stored = await storedProviderSettings(tx, config.settings, logo);
    if (options.keepStoredLogo && stored.provider && !stored.provider.logo && before.provider?.logo) stored.provider = { ...stored.provider, logo: before.provider.logo };
    const changedKeys = await writeSettings(tx, stored);
    // A default written down for the first time is stored, but changes nothing: it is not listed.
    const fields = fieldChanges(
      Object.fromEntries(changedKeys.map((key) => [key, ownValue(before as unknown as Record<string, unknown>, key)])),
      Object.fromEntries(changedKeys.map((key) => [key, ownValue(stored as Record<string, unknown>, key)])),
    );
    summary.settingsChanged = fields.length;
    if (fields.length) summary.changes.push({ kind: 'settings', id: 'settings', action: 'changed', fields });
  }

  const resolved = new Map<string, PlanDefinition>();
  for (const p of config.plans ?? []) {
    const base = await resolvePlanBase(tx, p, resolved);
    const definition = copyPlan(base, overridesOf(p));
    resolved.set(p.id, definition);
    const existing = await getPlanForUpdate(tx, p.id);
    if (!existing) {
      await createPlan(tx, p.id, definition, true);
      const created = [{ field: 'version', oldValue: null, newValue: 1 }, ...(p.copyOf !== undefined ? [{ field: 'copyOf', oldValue: null, newValue: p.copyOf }] : [])];
      await recordPlanChanges(tx, p.id, created, user);
      summary.plansCreated++;
      summary.changes.push({ kind: 'plan', id: p.id, action: 'created', fields: [...created, ...fieldChanges(undefined, overridesOf(p))] });
      continue;
    }
    const changes = planChanges(existing.definition, definition);
    if (changes.length === 0) {
      // The file says what is in force (perhaps after taking in an operator's edits): it is the file's version now.
      await markPlanVersionApplied(tx, p.id, existing.currentVersion);
      continue;
    }
    if (!existing.locked) {
      throw new BillingError('plan-unlocked', `plans "${p.id}" is unlocked and being edited; lock it before applying a file that changes it. Nothing was applied.`, { field: 'plans', plan: p.id, remedy: 'lock-plan' });
    }
    const edited = await fieldsEditedSinceApplied(tx, existing);
    const reverted = changes.filter((c) => edited === 'all' || edited.has(c.field));
    if (reverted.length && !options.force) {
      const since = existing.appliedVersion === null ? 'no file has applied it yet (made as a copy)' : `it was changed since the file last applied it (version ${existing.appliedVersion} applied, version ${existing.currentVersion} in force)`;
      throw new BillingError(
        'conflict',
        `plans "${p.id}": ${since}, and the file would change ${reverted.map((c) => `${c.field} (${valueText(c.oldValue)} → ${valueText(c.newValue)})`).join(', ')}. Write the plan's values into the file, or apply it with force to put the file's values in force. Nothing was applied.`,
        { field: 'plans', plan: p.id, remedy: 'apply-with-force' },
      );
    }
    const version = await lockNewPlanVersion(tx, p.id, definition, changes, user);
    const versionChange = { field: 'version', oldValue: existing.currentVersion, newValue: version };
    await recordPlanChanges(tx, p.id, [versionChange], user);
    await markPlanVersionApplied(tx, p.id, version);
    summary.plansChanged++;
    summary.changes.push({ kind: 'plan', id: p.id, action: 'changed', fields: [...changes, versionChange], ...(reverted.length ? { revertedFields: reverted.map((c) => c.field) } : {}) });
  }

  // docs/billing-rules.md §10 is checked for entities the file creates, once its assignments are in place.
  const newEntities: { customerId: string; serviceType: string; createdAt: number }[] = [];
  for (const c of config.customers ?? []) {
    const [before] = await listCustomers(tx, [c.id]);
    const customerRow = { id: c.id, name: c.name, timezone: c.timezone ?? null, billingAddress: c.billingAddress ?? null, email: c.email ?? null, taxId: c.taxId ?? null, customerReference: c.customerReference ?? null };
    if (options.keepCustomerDetails && !before) throw new BillingError('not-found', `No customer with id "${c.id}".`, { field: 'customer', value: c.id, remedy: 'list-customers' });
    if (!options.keepCustomerDetails && (await upsertCustomer(tx, customerRow))) {
      summary.customersChanged++;
      const { id: _id, ...after } = customerRow;
      recordChange(summary, 'customer', c.id, before && { name: before.name, timezone: before.timezone, billingAddress: before.billingAddress, email: before.email, taxId: before.taxId, customerReference: before.customerReference }, after);
    }
    if (c.matching) {
      const rules: MatchingRuleRow[] = c.matching.map((r, i) => ({
        id: `${c.id}#${String(i + 1).padStart(3, '0')}`,
        customerId: c.id,
        kind: r.kind,
        value: r.kind === 'number-range' ? '' : r.value,
        rangeFrom: r.kind === 'number-range' ? r.from : null,
        rangeTo: r.kind === 'number-range' ? r.to : null,
        validFrom: r.validFrom ?? null,
        validTo: r.validTo ?? null,
      }));
      const beforeRules = await listMatchingRules(tx, c.id);
      if (await replaceMatchingRules(tx, c.id, rules)) {
        summary.rematch = true;
        const matching = { field: 'matching', oldValue: beforeRules.map(ruleText), newValue: rules.map(ruleText) };
        const own = summary.changes.find((x) => x.kind === 'customer' && x.id === c.id);
        if (own) own.fields.push(matching);
        else summary.changes.push({ kind: 'customer', id: c.id, action: 'changed', fields: [matching] });
      }
    }
    for (const e of c.entities ?? []) {
      const beforeEntity = await findEntity(tx, e.id);
      if (!e.deletedAt && !beforeEntity) newEntities.push({ customerId: c.id, serviceType: e.serviceType, createdAt: parseInstant(e.createdAt)! });
      const entity = { id: e.id, customerId: c.id, serviceType: e.serviceType, alias: e.alias ?? undefined, createdAt: parseInstant(e.createdAt)!, deletedAt: e.deletedAt ? parseInstant(e.deletedAt) : undefined };
      if (await upsertEntity(tx, entity)) {
        summary.rematch = true;
        const shown = (x: typeof entity) => ({ customer: x.customerId, serviceType: x.serviceType, alias: x.alias ?? null, createdAt: instantText(x.createdAt), deletedAt: instantText(x.deletedAt) });
        recordChange(summary, 'entity', e.id, beforeEntity && shown({ ...beforeEntity, alias: beforeEntity.alias, deletedAt: beforeEntity.deletedAt }), shown(entity));
      }
    }
    const elementsBefore = c.customElements?.length ? await listCustomerCustomElements(tx, [c.id]) : [];
    for (const e of c.customElements ?? []) {
      const element = { id: e.id, customerId: c.id, name: e.name, date: e.date, unitPrice: e.unitPrice, quantity: e.quantity };
      if (await upsertCustomerCustomElement(tx, element)) {
        summary.elementsChanged++;
        const old = elementsBefore.find((x) => x.id === e.id);
        const shown = (x: typeof element) => ({ customer: x.customerId, name: x.name, date: x.date, unitPrice: x.unitPrice, quantity: x.quantity });
        recordChange(summary, 'customer element', e.id, old && shown(old), shown(element));
      }
    }
  }

  const incoming: Assignment[] = (config.assignments ?? []).map((a) => ({ id: a.id ?? `${a.customer}@${a.from}`, customerId: a.customer, planId: a.plan, from: a.from, to: a.to ?? undefined }));
  if (incoming.length) {
    const beforeById = new Map((await listAssignments(tx)).map((a) => [a.id, a]));
    const byId = new Map(beforeById);
    for (const a of incoming) byId.set(a.id, a);
    assertNoOverlappingAssignments([...byId.values()]);
    const known = new Set((await listCustomers(tx)).map((c) => c.id));
    const shown = (a: Assignment) => ({ customer: a.customerId, plan: a.planId, from: a.from, to: a.to ?? null });
    for (const a of incoming) {
      if (!known.has(a.customerId)) throw new BillingError('invalid-config', `assignments: customer "${a.customerId}" does not exist; list it under customers first.`);
      if (!(await getPlan(tx, a.planId))) throw new BillingError('invalid-config', `assignments: plan "${a.planId}" of customer "${a.customerId}" does not exist.`);
      if (await upsertAssignment(tx, a)) {
        summary.assignmentsChanged++;
        const old = beforeById.get(a.id);
        recordChange(summary, 'assignment', a.id, old && shown(old), shown(a));
      }
    }
  }

  const customerIds = new Set((await listCustomers(tx)).map((c) => c.id));
  for (const s of config.sources ?? []) {
    if (s.defaultCustomer && !customerIds.has(s.defaultCustomer)) throw new BillingError('invalid-config', `sources "${s.id}": defaultCustomer "${s.defaultCustomer}" does not exist; list it under customers first.`);
    const defaultCustomer = s.defaultCustomer ?? null;
    const before = await getSource(tx, s.id);
    const row = { id: s.id, format: s.format, timezone: s.timezone ?? null, defaultCustomer };
    if (await upsertSource(tx, row)) {
      summary.sourcesChanged++;
      const shown = (x: typeof row) => ({ format: x.format, timezone: x.timezone, defaultCustomer: x.defaultCustomer });
      recordChange(summary, 'source', s.id, before && shown(before), shown(row));
      // A default customer is a matching rule of the source: open calls are matched again.
      if ((before?.defaultCustomer ?? null) !== defaultCustomer) summary.rematch = true;
    }
  }
  for (const [format, override] of Object.entries(config.mappings ?? {})) {
    const before = await getFormatMapping(tx, format);
    if (await writeFormatMapping(tx, format, override)) {
      summary.sourcesChanged++;
      recordChange(summary, 'mapping', format, before && { mapping: before }, { mapping: override });
    }
  }

  for (const e of newEntities) await assertServiceAvailable(tx, e.customerId, e.serviceType, e.createdAt);
  if (summary.rematch) await markOpenCallsForMatching(tx);
  const changed = summary.settingsChanged + summary.customersChanged + summary.plansCreated + summary.plansChanged + summary.assignmentsChanged + summary.sourcesChanged > 0;
  if (changed || summary.elementsChanged > 0 || summary.rematch) await markRatingDirty(tx);
  await recordAuditEntries(tx, summary.changes, user);
  return summary;
}
