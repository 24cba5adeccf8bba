import { assertNoOverlappingAssignments, type Assignment } from '../domain/assignment.ts';
import { BillingError } from '../domain/billingError.ts';
import { parseInstant } from '../domain/calendar.ts';
import { builtInPlanTemplates, copyPlan, isBuiltInPlanId, type PlanDefinition, type PlanOverrides } from '../domain/plan.ts';
import { planChanges } from '../domain/planChanges.ts';
import type { Database, Sql } from '../storage/database.ts';
import { findEntity, listCustomers, replaceMatchingRules, upsertCustomer, upsertCustomerCustomElement, upsertEntity, type MatchingRuleRow } from '../storage/customerStore.ts';
import { markOpenCallsForMatching } from '../storage/callStore.ts';
import { createPlan, getPlan, listAssignments, lockNewPlanVersion, upsertAssignment } from '../storage/planStore.ts';
import { markRatingDirty } from '../storage/ratingStateStore.ts';
import { getSource, upsertSource, writeFormatMapping } from '../storage/sourceStore.ts';
import { writeSettings } from '../storage/settingsStore.ts';
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
}

/** Where the files an apply file names (the provider's logo) are found: the apply file's folder. */
export interface ConfigFiles {
  baseDir: string;
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

/**
 * Applies a validated configuration in one transaction: creates or updates by id what it lists.
 * Applying the same file twice changes nothing. A changed plan gets a new locked version with its
 * field changes in the history (user "apply"); changed matching rules or entities put every call that
 * is in no invoice back up for matching.
 */
export async function applyConfig(db: Database, config: ProviderConfig, user = 'apply', files: ConfigFiles = { baseDir: process.cwd() }): Promise<ApplySummary> {
  const logoPath = config.settings?.provider?.logo;
  const logo = logoPath === undefined ? undefined : await readProviderLogoFile(logoPath, files.baseDir);
  return db.transaction(async (tx) => {
    const summary: ApplySummary = { settingsChanged: 0, customersChanged: 0, plansCreated: 0, plansChanged: 0, assignmentsChanged: 0, elementsChanged: 0, sourcesChanged: 0, rematch: false };
    if (config.settings) summary.settingsChanged = (await writeSettings(tx, await storedProviderSettings(tx, config.settings, logo))).length;

    const resolved = new Map<string, PlanDefinition>();
    for (const p of config.plans ?? []) {
      const base = await resolvePlanBase(tx, p, resolved);
      const definition = copyPlan(base, overridesOf(p));
      resolved.set(p.id, definition);
      const existing = await getPlan(tx, p.id);
      if (!existing) {
        await createPlan(tx, p.id, definition);
        summary.plansCreated++;
        continue;
      }
      const changes = planChanges(existing.definition, definition);
      if (changes.length && !existing.locked) {
        throw new BillingError('plan-unlocked', `plans "${p.id}" is unlocked and being edited (\`confbill plan set\`); lock it with \`confbill plan lock ${p.id}\` before applying a file that changes it. Nothing was applied.`);
      }
      if (changes.length) {
        await lockNewPlanVersion(tx, p.id, definition, changes, user);
        summary.plansChanged++;
      }
    }

    // Spec §10 is checked for entities the file creates, once its assignments are in place.
    const newEntities: { customerId: string; serviceType: string; createdAt: number }[] = [];
    for (const c of config.customers ?? []) {
      const billing = { billingAddress: c.billingAddress ?? null, email: c.email ?? null, taxId: c.taxId ?? null, customerReference: c.customerReference ?? null };
      if (await upsertCustomer(tx, { id: c.id, name: c.name, timezone: c.timezone ?? null, ...billing })) summary.customersChanged++;
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
        if (await replaceMatchingRules(tx, c.id, rules)) summary.rematch = true;
      }
      for (const e of c.entities ?? []) {
        if (!e.deletedAt && !(await findEntity(tx, e.id))) newEntities.push({ customerId: c.id, serviceType: e.serviceType, createdAt: parseInstant(e.createdAt)! });
        const changed = await upsertEntity(tx, { id: e.id, customerId: c.id, serviceType: e.serviceType, alias: e.alias ?? undefined, createdAt: parseInstant(e.createdAt)!, deletedAt: e.deletedAt ? parseInstant(e.deletedAt) : undefined });
        if (changed) summary.rematch = true;
      }
      for (const e of c.customElements ?? []) {
        if (await upsertCustomerCustomElement(tx, { id: e.id, customerId: c.id, name: e.name, date: e.date, unitPrice: e.unitPrice, quantity: e.quantity })) summary.elementsChanged++;
      }
    }

    const incoming: Assignment[] = (config.assignments ?? []).map((a) => ({ id: a.id ?? `${a.customer}@${a.from}`, customerId: a.customer, planId: a.plan, from: a.from, to: a.to ?? undefined }));
    if (incoming.length) {
      const byId = new Map((await listAssignments(tx)).map((a) => [a.id, a]));
      for (const a of incoming) byId.set(a.id, a);
      assertNoOverlappingAssignments([...byId.values()]);
      const known = new Set((await listCustomers(tx)).map((c) => c.id));
      for (const a of incoming) {
        if (!known.has(a.customerId)) throw new BillingError('invalid-config', `assignments: customer "${a.customerId}" does not exist; list it under customers first.`);
        if (!(await getPlan(tx, a.planId))) throw new BillingError('invalid-config', `assignments: plan "${a.planId}" of customer "${a.customerId}" does not exist.`);
        if (await upsertAssignment(tx, a)) summary.assignmentsChanged++;
      }
    }

    const customerIds = new Set((await listCustomers(tx)).map((c) => c.id));
    for (const s of config.sources ?? []) {
      if (s.defaultCustomer && !customerIds.has(s.defaultCustomer)) throw new BillingError('invalid-config', `sources "${s.id}": defaultCustomer "${s.defaultCustomer}" does not exist; list it under customers first.`);
      const defaultCustomer = s.defaultCustomer ?? null;
      const before = await getSource(tx, s.id);
      if (await upsertSource(tx, { id: s.id, format: s.format, timezone: s.timezone ?? null, defaultCustomer })) {
        summary.sourcesChanged++;
        // A default customer is a matching rule of the source: open calls are matched again.
        if ((before?.defaultCustomer ?? null) !== defaultCustomer) summary.rematch = true;
      }
    }
    for (const [format, override] of Object.entries(config.mappings ?? {})) {
      if (await writeFormatMapping(tx, format, override)) summary.sourcesChanged++;
    }

    for (const e of newEntities) await assertServiceAvailable(tx, e.customerId, e.serviceType, e.createdAt);
    if (summary.rematch) await markOpenCallsForMatching(tx);
    const changed = summary.settingsChanged + summary.customersChanged + summary.plansCreated + summary.plansChanged + summary.assignmentsChanged + summary.sourcesChanged > 0;
    if (changed || summary.elementsChanged > 0 || summary.rematch) await markRatingDirty(tx);
    return summary;
  });
}
