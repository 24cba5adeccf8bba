import type { Assignment } from '../domain/assignment.ts';
import type { PlanDefinition } from '../domain/plan.ts';
import type { RatedPlan } from '../domain/rateCustomer.ts';
import { appendPlanChanges } from './auditLogStore.ts';
import type { Sql } from './database.ts';

export interface StoredPlan {
  id: string;
  locked: boolean;
  currentVersion: number;
  definition: PlanDefinition;
  draft: PlanDefinition | null;
  /** The version `confbill apply` last wrote or found equal to its file; null when no file applied the plan. */
  appliedVersion: number | null;
}

export interface PlanChange {
  field: string;
  oldValue: unknown;
  newValue: unknown;
}

export async function getPlan(db: Sql, id: string): Promise<StoredPlan | undefined> {
  const rows = await db.query<StoredPlan>(
    `SELECT p.id, p.locked, p.current_version AS "currentVersion", v.definition, p.draft, p.applied_version AS "appliedVersion"
     FROM plans p JOIN plan_versions v ON v.plan_id = p.id AND v.version = p.current_version WHERE p.id = $1`,
    [id],
  );
  return rows[0];
}

export async function listPlans(db: Sql): Promise<StoredPlan[]> {
  return db.query<StoredPlan>(
    `SELECT p.id, p.locked, p.current_version AS "currentVersion", v.definition, p.draft, p.applied_version AS "appliedVersion"
     FROM plans p JOIN plan_versions v ON v.plan_id = p.id AND v.version = p.current_version ORDER BY p.id`,
  );
}

/** Creates a plan, locked, at version 1 (`applied`: made by `confbill apply`, so version 1 is the file's). */
export async function createPlan(db: Sql, id: string, definition: PlanDefinition, applied = false): Promise<void> {
  await db.query('INSERT INTO plans (id, locked, current_version, applied_version) VALUES ($1, true, 1, $2)', [id, applied ? 1 : null]);
  await db.query('INSERT INTO plan_versions (plan_id, version, definition) VALUES ($1, 1, $2::jsonb)', [id, JSON.stringify(definition)]);
}

/** Locks a new version in force and records each changed field in the plan's history. */
export async function lockNewPlanVersion(db: Sql, id: string, definition: PlanDefinition, changes: readonly PlanChange[], user: string): Promise<number> {
  const [row] = await db.query<{ version: number }>('UPDATE plans SET current_version = current_version + 1, locked = true, draft = NULL WHERE id = $1 RETURNING current_version AS version', [id]);
  await db.query('INSERT INTO plan_versions (plan_id, version, definition) VALUES ($1, $2, $3::jsonb)', [id, row!.version, JSON.stringify(definition)]);
  await recordPlanChanges(db, id, changes, user);
  return row!.version;
}

/** Records that the plan's version `version` is what the configuration file says. */
export async function markPlanVersionApplied(db: Sql, id: string, version: number): Promise<void> {
  await db.query('UPDATE plans SET applied_version = $2 WHERE id = $1 AND applied_version IS DISTINCT FROM $2', [id, version]);
}

/** The definition of one version of a plan, if it exists. */
export async function getPlanVersion(db: Sql, id: string, version: number): Promise<PlanDefinition | undefined> {
  const rows = await db.query<{ definition: PlanDefinition }>('SELECT definition FROM plan_versions WHERE plan_id = $1 AND version = $2', [id, version]);
  return rows[0]?.definition;
}

/**
 * Appends changes to the plan's history (docs/billing-rules.md §3: field, old value, new value, user,
 * time): entries of the audit log, which the view `plan_history` reads (migration 0015).
 */
export async function recordPlanChanges(db: Sql, id: string, changes: readonly PlanChange[], user: string): Promise<void> {
  await appendPlanChanges(db, id, changes, user);
}

/** The plan, its row locked until the transaction ends, so that lifecycle steps on one plan queue. */
export async function getPlanForUpdate(tx: Sql, id: string): Promise<StoredPlan | undefined> {
  await tx.query('SELECT 1 FROM plans WHERE id = $1 FOR UPDATE', [id]);
  return getPlan(tx, id);
}

/** Unlocked with a draft to edit, or locked again (draft null) without a new version. */
export async function writePlanDraft(tx: Sql, id: string, draft: PlanDefinition | null): Promise<void> {
  await tx.query('UPDATE plans SET locked = $2, draft = $3::jsonb WHERE id = $1', [id, draft === null, draft === null ? null : JSON.stringify(draft)]);
}

/** Customers that have (or had) an assignment to the plan. */
export async function customersAssignedToPlan(db: Sql, planId: string): Promise<string[]> {
  const rows = await db.query<{ id: string }>('SELECT DISTINCT customer_id AS id FROM assignments WHERE plan_id = $1 ORDER BY 1', [planId]);
  return rows.map((r) => r.id);
}

/** Removes a plan with its versions and assignments (cascade); its history stays, with the deletion in it. */
export async function deletePlanRow(tx: Sql, id: string): Promise<void> {
  await tx.query('DELETE FROM plans WHERE id = $1', [id]);
}

export async function deleteAssignment(tx: Sql, id: string): Promise<Assignment | undefined> {
  const rows = await tx.query<Assignment & { to: string | null }>(`DELETE FROM assignments WHERE id = $1 RETURNING id, customer_id AS "customerId", plan_id AS "planId", from_date AS "from", to_date AS "to"`, [id]);
  return rows[0] ? { ...rows[0], to: rows[0].to ?? undefined } : undefined;
}

/** The definition of every (plan, version) asked for, keyed "planId@version". */
export async function loadPlanVersions(db: Sql, keys: readonly { planId: string; version: number }[]): Promise<Map<string, PlanDefinition>> {
  const unique = [...new Map(keys.map((k) => [`${k.planId}@${k.version}`, k])).values()];
  if (unique.length === 0) return new Map();
  const rows = await db.query<{ planId: string; version: number; definition: PlanDefinition }>(
    `SELECT plan_id AS "planId", version, definition FROM plan_versions
     WHERE (plan_id, version) IN (SELECT * FROM unnest($1::text[], $2::int[]))`,
    [unique.map((k) => k.planId), unique.map((k) => k.version)],
  );
  return new Map(rows.map((r) => [`${r.planId}@${r.version}`, r.definition]));
}

/** Every locked version of every plan, per plan. */
export async function planVersionsByPlan(db: Sql): Promise<Map<string, PlanDefinition[]>> {
  const rows = await db.query<{ planId: string; definition: PlanDefinition }>('SELECT plan_id AS "planId", definition FROM plan_versions ORDER BY plan_id, version');
  const byPlan = new Map<string, PlanDefinition[]>();
  for (const r of rows) {
    const list = byPlan.get(r.planId);
    if (list) list.push(r.definition);
    else byPlan.set(r.planId, [r.definition]);
  }
  return byPlan;
}

/** The locked version in force of every plan (what rating uses, docs/billing-rules.md §3). */
export async function plansInForce(db: Sql): Promise<Map<string, RatedPlan>> {
  const rows = await db.query<{ planId: string; version: number; definition: PlanDefinition }>(
    `SELECT p.id AS "planId", p.current_version AS version, v.definition
     FROM plans p JOIN plan_versions v ON v.plan_id = p.id AND v.version = p.current_version`,
  );
  return new Map(rows.map((r) => [r.planId, r]));
}

/** Assignments, by customer and start; only those of the given customers and/or plans when they are given. */
export async function listAssignments(db: Sql, customerIds?: readonly string[], planIds?: readonly string[]): Promise<Assignment[]> {
  const rows = await db.query<Assignment & { to: string | null }>(
    `SELECT id, customer_id AS "customerId", plan_id AS "planId", from_date AS "from", to_date AS "to" FROM assignments
     WHERE ($1::text[] IS NULL OR customer_id = ANY($1::text[])) AND ($2::text[] IS NULL OR plan_id = ANY($2::text[]))
     ORDER BY customer_id, from_date`,
    [customerIds ?? null, planIds ?? null],
  );
  return rows.map((r) => ({ ...r, to: r.to ?? undefined }));
}

/** Inserts or updates an assignment by id; true when something changed. */
export async function upsertAssignment(db: Sql, a: Assignment): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO assignments (id, customer_id, plan_id, from_date, to_date) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET customer_id = EXCLUDED.customer_id, plan_id = EXCLUDED.plan_id, from_date = EXCLUDED.from_date, to_date = EXCLUDED.to_date
     WHERE (assignments.customer_id, assignments.plan_id, assignments.from_date, assignments.to_date)
       IS DISTINCT FROM (EXCLUDED.customer_id, EXCLUDED.plan_id, EXCLUDED.from_date, EXCLUDED.to_date)
     RETURNING id`,
    [a.id, a.customerId, a.planId, a.from, a.to ?? null],
  );
  return rows.length > 0;
}
