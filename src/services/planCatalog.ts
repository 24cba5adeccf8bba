import type { Assignment } from '../domain/assignment.ts';
import { BillingError } from '../domain/billingError.ts';
import { builtInPlanIds, builtInPlanTemplates, type PlanDefinition } from '../domain/plan.ts';
import type { Database } from '../storage/database.ts';
import { listCustomers } from '../storage/customerStore.ts';
import { planHistory, type PlanHistoryEntry } from '../storage/planHistoryStore.ts';
import { getPlan, listAssignments, listPlans } from '../storage/planStore.ts';

/** A plan as `plan list` and `plan show` present it: a stored plan, or a built-in template (docs/billing-rules.md §3) marked as one. */
export interface PlanEntry {
  id: string;
  /** True for the built-in templates: they are copied (`plan copy`), never assigned or edited. */
  template: boolean;
  locked: boolean;
  /** The version in force; null for a template. */
  version: number | null;
  definition: PlanDefinition;
  /** The edited definition while the plan is unlocked. */
  draft: PlanDefinition | null;
}

export interface PlanAssignment extends Assignment {
  customerName: string;
}

export interface PlanDetails extends PlanEntry {
  /** Every assignment of a customer to the plan, past, present and future, by customer and start. */
  assignments: PlanAssignment[];
}

const templateEntry = (id: (typeof builtInPlanIds)[number]): PlanEntry => ({ id, template: true, locked: true, version: null, definition: structuredClone(builtInPlanTemplates[id]), draft: null });

/** The stored plans by id, then the built-in templates. */
export async function listPlanEntries(db: Database): Promise<PlanEntry[]> {
  const plans = (await listPlans(db)).map((p): PlanEntry => ({ id: p.id, template: false, locked: p.locked, version: p.currentVersion, definition: p.definition, draft: p.draft }));
  return [...plans, ...builtInPlanIds.map(templateEntry)];
}

/** A plan with the customers assigned to it, or a built-in template; not found names both. */
export async function planDetails(db: Database, id: string): Promise<PlanDetails> {
  const plan = await getPlan(db, id);
  if (plan) {
    const assignments = await listAssignments(db, undefined, [id]);
    const names = new Map((await listCustomers(db, [...new Set(assignments.map((a) => a.customerId))])).map((c) => [c.id, c.name]));
    return {
      id: plan.id,
      template: false,
      locked: plan.locked,
      version: plan.currentVersion,
      definition: plan.definition,
      draft: plan.draft,
      assignments: assignments.map((a) => ({ ...a, customerName: names.get(a.customerId) ?? a.customerId })),
    };
  }
  const template = builtInPlanIds.find((t) => t === id);
  if (template) return { ...templateEntry(template), assignments: [] };
  throw new BillingError('not-found', `No plan with id "${id}", and no built-in template of that name.`, { field: 'plan', value: id, remedy: 'list-plans' });
}

/** A plan's history, oldest first (who changed which field, when, from what to what); not found for an unknown plan. */
export async function planHistoryOf(db: Database, id: string): Promise<PlanHistoryEntry[]> {
  if (!(await getPlan(db, id))) throw new BillingError('not-found', `No plan with id "${id}".`, { field: 'plan', value: id, remedy: 'list-plans' });
  return planHistory(db, id);
}
