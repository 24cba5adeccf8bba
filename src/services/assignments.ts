import { assertNoOverlappingAssignments, type Assignment } from '../domain/assignment.ts';
import { changedValues } from '../domain/auditEntry.ts';
import { BillingError } from '../domain/billingError.ts';
import { isValidLocalDate } from '../domain/calendar.ts';
import { isBuiltInPlanId } from '../domain/plan.ts';
import { appendAuditEntry } from '../storage/auditLogStore.ts';
import type { Database, Sql } from '../storage/database.ts';
import { lockCustomers } from '../storage/customerLocks.ts';
import { listCustomers } from '../storage/customerStore.ts';
import { deleteAssignment, getPlan, listAssignments, upsertAssignment } from '../storage/planStore.ts';
import { markRatingDirty } from '../storage/ratingStateStore.ts';
import { rateCustomers } from './billingRun.ts';

function assertDates(from: string, to: string | undefined): void {
  if (!isValidLocalDate(from)) throw new BillingError('invalid-argument', `The start date "${from}" is not a date YYYY-MM-DD.`, { field: 'from', value: from });
  if (to !== undefined && !isValidLocalDate(to)) throw new BillingError('invalid-argument', `The end date "${to}" is not a date YYYY-MM-DD.`, { field: 'to', value: to });
  if (to !== undefined && to <= from) throw new BillingError('invalid-argument', `An assignment ends after it starts: the end date ${to} must be after the start date ${from}.`, { field: 'to', value: to });
}

/** An assignment as the audit log keeps it (as `confbill apply` records it). */
const shown = (a: Assignment): object => ({ customer: a.customerId, plan: a.planId, from: a.from, to: a.to ?? null });

/**
 * Writes an assignment (new, or changed by id) under the customer's lock, refusing overlaps with the
 * customer's other assignments, then re-rates the customer: what is in no invoice follows at once,
 * what is invoiced keeps the plan it was billed under. `before`: the assignment it changes, if any.
 */
async function writeAssignment(db: Database, assignment: Assignment, before: Assignment | undefined, actor: string, now: Date): Promise<Assignment> {
  assertDates(assignment.from, assignment.to);
  await db.transaction(async (tx: Sql) => {
    await lockCustomers(tx, [assignment.customerId]);
    if ((await listCustomers(tx, [assignment.customerId])).length === 0) throw new BillingError('not-found', `No customer with id "${assignment.customerId}".`, { field: 'customer', value: assignment.customerId, remedy: 'list-customers' });
    if (!(await getPlan(tx, assignment.planId))) throw new BillingError('not-found', `No plan with id "${assignment.planId}".`, { field: 'plan', value: assignment.planId, remedy: 'list-plans' });
    const others = (await listAssignments(tx, [assignment.customerId])).filter((a) => a.id !== assignment.id);
    assertNoOverlappingAssignments([...others, assignment]);
    if (await upsertAssignment(tx, assignment)) {
      await appendAuditEntry(tx, { actor, action: before ? 'assignment.changed' : 'assignment.added', objectKind: 'assignment', objectId: assignment.id, ...changedValues(before && shown(before), shown(assignment)) });
    }
    await markRatingDirty(tx, [assignment.customerId]);
  });
  await rateCustomers(db, { customerIds: [assignment.customerId], now });
  return assignment;
}

export async function addAssignment(db: Database, request: { id?: string; customerId: string; planId: string; from: string; to?: string }, actor: string, now: Date): Promise<Assignment> {
  const id = request.id ?? `${request.customerId}@${request.from}`;
  if ((await listAssignments(db)).some((a) => a.id === id)) throw new BillingError('conflict', `An assignment with id "${id}" already exists; change its end, or give the new one another id.`, { field: 'id', value: id });
  return writeAssignment(db, { id, customerId: request.customerId, planId: request.planId, from: request.from, to: request.to }, undefined, actor, now);
}

async function existingAssignment(db: Database, id: string): Promise<Assignment> {
  const found = (await listAssignments(db)).find((a) => a.id === id);
  if (!found) throw new BillingError('not-found', `No assignment with id "${id}".`, { field: 'id', value: id, remedy: 'list-assignments' });
  return found;
}

/** Sets (or with undefined removes) the end of an assignment: the usual way to move a customer to another plan. */
export async function endAssignment(db: Database, id: string, to: string | undefined, actor: string, now: Date): Promise<Assignment> {
  const existing = await existingAssignment(db, id);
  return writeAssignment(db, { ...existing, to }, existing, actor, now);
}

export async function removeAssignment(db: Database, id: string, actor: string, now: Date): Promise<Assignment> {
  const existing = await existingAssignment(db, id);
  await db.transaction(async (tx) => {
    await lockCustomers(tx, [existing.customerId]);
    const deleted = await deleteAssignment(tx, id);
    if (deleted) await appendAuditEntry(tx, { actor, action: 'assignment.deleted', objectKind: 'assignment', objectId: id, before: shown(deleted), after: null });
    await markRatingDirty(tx, [existing.customerId]);
  });
  await rateCustomers(db, { customerIds: [existing.customerId], now });
  return existing;
}

/** The assignments of the given customers and/or plans (every assignment without either); an unknown plan is not found. */
export async function listAssignmentsOf(db: Database, filter: { customerIds?: readonly string[]; planIds?: readonly string[] }): Promise<Assignment[]> {
  for (const planId of filter.planIds ?? []) {
    if (!(await getPlan(db, planId))) {
      const template = isBuiltInPlanId(planId) ? ` "${planId}" is a built-in template: templates are copied, never assigned.` : '';
      throw new BillingError('not-found', `No plan with id "${planId}".${template}`, { field: 'plan', value: planId, remedy: 'list-plans' });
    }
  }
  return listAssignments(db, filter.customerIds, filter.planIds);
}
