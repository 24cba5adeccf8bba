import type { Assignment } from '../domain/assignment.ts';
import type { PlanDefinition } from '../domain/plan.ts';
import type { RatedPlan } from '../domain/rateCustomer.ts';
import type { Sql } from './database.ts';

export interface StoredPlan {
  id: string;
  locked: boolean;
  currentVersion: number;
  definition: PlanDefinition;
  draft: PlanDefinition | null;
}

export interface PlanChange {
  field: string;
  oldValue: unknown;
  newValue: unknown;
}

export async function getPlan(db: Sql, id: string): Promise<StoredPlan | undefined> {
  const rows = await db.query<StoredPlan>(
    `SELECT p.id, p.locked, p.current_version AS "currentVersion", v.definition, p.draft
     FROM plans p JOIN plan_versions v ON v.plan_id = p.id AND v.version = p.current_version WHERE p.id = $1`,
    [id],
  );
  return rows[0];
}

export async function listPlans(db: Sql): Promise<StoredPlan[]> {
  return db.query<StoredPlan>(
    `SELECT p.id, p.locked, p.current_version AS "currentVersion", v.definition, p.draft
     FROM plans p JOIN plan_versions v ON v.plan_id = p.id AND v.version = p.current_version ORDER BY p.id`,
  );
}

/** Creates a plan, locked, at version 1. */
export async function createPlan(db: Sql, id: string, definition: PlanDefinition): Promise<void> {
  await db.query('INSERT INTO plans (id, locked, current_version) VALUES ($1, true, 1)', [id]);
  await db.query('INSERT INTO plan_versions (plan_id, version, definition) VALUES ($1, 1, $2::jsonb)', [id, JSON.stringify(definition)]);
}

/** Locks a new version in force and records each changed field in the plan's history. */
export async function lockNewPlanVersion(db: Sql, id: string, definition: PlanDefinition, changes: readonly PlanChange[], user: string): Promise<number> {
  const [row] = await db.query<{ version: number }>('UPDATE plans SET current_version = current_version + 1, locked = true, draft = NULL WHERE id = $1 RETURNING current_version AS version', [id]);
  await db.query('INSERT INTO plan_versions (plan_id, version, definition) VALUES ($1, $2, $3::jsonb)', [id, row!.version, JSON.stringify(definition)]);
  for (const c of changes) {
    await db.query('INSERT INTO plan_history (plan_id, field, old_value, new_value, user_name) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5)', [id, c.field, JSON.stringify(c.oldValue ?? null), JSON.stringify(c.newValue ?? null), user]);
  }
  return row!.version;
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

/** The locked version in force of every plan (what rating uses, spec §3). */
export async function plansInForce(db: Sql): Promise<Map<string, RatedPlan>> {
  const rows = await db.query<{ planId: string; version: number; definition: PlanDefinition }>(
    `SELECT p.id AS "planId", p.current_version AS version, v.definition
     FROM plans p JOIN plan_versions v ON v.plan_id = p.id AND v.version = p.current_version`,
  );
  return new Map(rows.map((r) => [r.planId, r]));
}

export async function listAssignments(db: Sql, customerIds?: readonly string[]): Promise<Assignment[]> {
  const select = `SELECT id, customer_id AS "customerId", plan_id AS "planId", from_date AS "from", to_date AS "to" FROM assignments`;
  const rows = customerIds
    ? await db.query<Assignment & { to: string | null }>(`${select} WHERE customer_id = ANY($1::text[]) ORDER BY customer_id, from_date`, [customerIds])
    : await db.query<Assignment & { to: string | null }>(`${select} ORDER BY customer_id, from_date`);
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
