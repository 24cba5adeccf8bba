import { createHash } from 'node:crypto';
import { BillingError } from '../domain/billingError.ts';
import { canonicalJson } from '../domain/fieldChanges.ts';
import type { PlanDefinition } from '../domain/plan.ts';

/** What a plan's revision is made of: any change by any face (edit, lock, unlock, apply) changes one of them. */
export interface PlanState {
  id: string;
  locked: boolean;
  /** The version in force; null for a built-in template. */
  version: number | null;
  definition: PlanDefinition;
  draft: PlanDefinition | null;
}

/**
 * A tag of the plan as it is now (the API's ETag): equal tags mean nothing was changed in between,
 * so an edit made on what an operator read cannot silently overwrite another operator's edit.
 */
export function planRevision(plan: PlanState): string {
  const state = canonicalJson([plan.id, plan.version, plan.locked, plan.definition, plan.draft]);
  return createHash('sha256').update(state, 'utf8').digest('base64url').slice(0, 32);
}

/**
 * Refuses a change made on a revision that is no longer the plan's. `expected` lists the revisions
 * the caller accepts (an If-Match header may name several); undefined means any (no check).
 */
export function assertPlanRevision(plan: PlanState, expected: readonly string[] | undefined): void {
  if (expected === undefined) return;
  const current = planRevision(plan);
  if (!expected.includes(current)) {
    throw new BillingError('precondition-failed', `Plan "${plan.id}" was changed since it was read (it is at revision ${current} now); read it again and make the change on what it is now.`, { field: 'If-Match' });
  }
}
