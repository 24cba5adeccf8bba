import { BillingError } from '../domain/billingError.ts';
import { addAssignment, endAssignment, listAssignmentsOf, removeAssignment } from '../services/assignments.ts';
import type { Assignment } from '../domain/assignment.ts';
import { printJson, println, withDatabase, type CliContext } from './cliContext.ts';
import { terminalSafeText } from './terminalSafeText.ts';

const assignmentText = (a: Assignment): string => `${terminalSafeText(a.id).padEnd(28)} ${a.customerId.padEnd(16)} ${a.planId.padEnd(24)} ${a.from} – ${a.to ?? 'open end'}`;
const assignmentJson = (a: Assignment): object => ({ ...a, to: a.to ?? null });

export async function assignmentListCommand(ctx: CliContext, options: { customer?: string[]; plan?: string[]; json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const assignments = await listAssignmentsOf(db, { customerIds: options.customer, planIds: options.plan });
    if (options.json) printJson(ctx, assignments.map(assignmentJson));
    else if (assignments.length === 0) println(ctx, 'No assignments.');
    else for (const a of assignments) println(ctx, assignmentText(a));
    return 0;
  });
}

export async function assignmentAddCommand(ctx: CliContext, options: { customer: string; plan: string; from: string; to?: string; id?: string; json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const a = await addAssignment(db, { id: options.id, customerId: options.customer, planId: options.plan, from: options.from, to: options.to }, ctx.user, ctx.now());
    if (options.json) printJson(ctx, assignmentJson(a));
    else println(ctx, `Assigned: ${assignmentText(a)}. Billing data in no invoice recalculated.`);
    return 0;
  });
}

export async function assignmentEndCommand(ctx: CliContext, id: string, options: { to?: string; openEnd?: boolean }): Promise<number> {
  if (!options.openEnd === !options.to) throw new BillingError('invalid-argument', 'Say where the assignment ends: --to DATE (the day after its last day) or --open-end.');
  return withDatabase(ctx, async (db) => {
    const a = await endAssignment(db, id, options.openEnd ? undefined : options.to, ctx.user, ctx.now());
    println(ctx, `Changed: ${assignmentText(a)}. Billing data in no invoice recalculated.`);
    return 0;
  });
}

export async function assignmentDeleteCommand(ctx: CliContext, id: string): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const a = await removeAssignment(db, id, ctx.user, ctx.now());
    println(ctx, `Deleted: ${assignmentText(a)}. Items already in invoices keep their plan; the rest was recalculated.`);
    return 0;
  });
}
