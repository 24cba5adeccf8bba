import { copyPlanAs, deletePlan, lockPlan, setPlanField, unlockPlan } from '../services/planLifecycle.ts';
import { listAssignmentsOf } from '../services/assignments.ts';
import { listPlanEntries, planDetails, planHistoryOf } from '../services/planCatalog.ts';
import { printJson, println, withDatabase, type CliContext } from './cliContext.ts';
import { confirmAction } from './confirmAction.ts';
import { countText } from './countText.ts';
import { planText } from './planText.ts';
import { terminalSafeText } from './terminalSafeText.ts';

export async function planListCommand(ctx: CliContext, options: { json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const entries = await listPlanEntries(db);
    const customers = new Map<string, Set<string>>();
    for (const a of await listAssignmentsOf(db, {})) customers.set(a.planId, (customers.get(a.planId) ?? new Set()).add(a.customerId));
    if (options.json) {
      printJson(ctx, entries.map((p) => ({ id: p.id, name: p.definition.name, currency: p.definition.currency, locked: p.locked, version: p.version, template: p.template })));
      return 0;
    }
    if (!entries.some((p) => !p.template)) println(ctx, 'No plans yet. Add them with `confbill apply FILE` or `confbill plan copy TEMPLATE ID`.');
    for (const p of entries) {
      const state = p.template ? 'built-in template' : `version ${p.version}${p.locked ? '' : ' (unlocked)'}, ${countText(customers.get(p.id)?.size ?? 0, 'customer')}`;
      println(ctx, `${terminalSafeText(p.id).padEnd(24)} ${terminalSafeText(p.definition.name).padEnd(32)} ${p.definition.currency}  ${state}`);
    }
    println(ctx, 'Templates are copied, never assigned: `confbill plan copy TEMPLATE ID`, or copyOf: TEMPLATE in an apply file.');
    return 0;
  });
}

export async function planShowCommand(ctx: CliContext, id: string, options: { json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const plan = await planDetails(db, id);
    if (options.json) {
      const assignments = plan.assignments.map((a) => ({ id: a.id, customerId: a.customerId, customerName: a.customerName, from: a.from, to: a.to ?? null }));
      printJson(ctx, { id: plan.id, template: plan.template, locked: plan.locked, version: plan.version, ...plan.definition, ...(plan.draft ? { draft: plan.draft } : {}), assignments });
    } else println(ctx, planText(plan));
    return 0;
  });
}

export async function planHistoryCommand(ctx: CliContext, id: string, options: { json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const history = await planHistoryOf(db, id);
    if (options.json) printJson(ctx, history);
    else if (history.length === 0) println(ctx, `Plan "${id}" has not been changed since it was created.`);
    else {
      for (const h of history) {
        const step = h.field === 'version' && h.oldValue === null ? `created at version ${JSON.stringify(h.newValue)}` : `${terminalSafeText(h.field)}: ${terminalSafeText(JSON.stringify(h.oldValue))} → ${terminalSafeText(JSON.stringify(h.newValue))}`;
        println(ctx, `${h.changedAt}  ${terminalSafeText(h.user).padEnd(10)} ${step}`);
      }
    }
    return 0;
  });
}

export async function planCopyCommand(ctx: CliContext, from: string, id: string, options: { name?: string; json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const plan = await copyPlanAs(db, { from, id, name: options.name ?? id, user: ctx.user });
    if (options.json) printJson(ctx, { id: plan.id, locked: plan.locked, version: plan.currentVersion, ...plan.definition });
    else println(ctx, `Plan "${plan.id}" (${terminalSafeText(plan.definition.name)}) created as a copy of "${from}", locked at version 1. Unlock it to change it.`);
    return 0;
  });
}

export async function planUnlockCommand(ctx: CliContext, id: string): Promise<number> {
  return withDatabase(ctx, async (db) => {
    await unlockPlan(db, id, ctx.user);
    println(ctx, `Plan "${id}" unlocked. Edit it with \`confbill plan set ${id} FIELD VALUE\`; rating keeps using the locked version until \`confbill plan lock ${id}\`.`);
    return 0;
  });
}

export async function planSetCommand(ctx: CliContext, id: string, field: string, value: string): Promise<number> {
  return withDatabase(ctx, async (db) => {
    await setPlanField(db, id, field, value, ctx.user);
    println(ctx, `Plan "${id}": ${terminalSafeText(field)} set to ${terminalSafeText(value)} (in the draft; \`confbill plan lock ${id}\` puts it in force).`);
    return 0;
  });
}

export async function planLockCommand(ctx: CliContext, id: string, options: { json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const result = await lockPlan(db, id, ctx.user, ctx.now());
    if (options.json) {
      printJson(ctx, { id, version: result.plan.currentVersion, changedFields: result.changedFields, customersRated: result.rating?.customers ?? 0, itemsWritten: result.rating?.itemsWritten ?? 0, itemsDeleted: result.rating?.itemsDeleted ?? 0 });
    } else if (result.changedFields.length === 0) {
      println(ctx, `Plan "${id}" locked again, unchanged (version ${result.plan.currentVersion}).`);
    } else {
      const r = result.rating;
      println(ctx, `Plan "${id}" locked at version ${result.plan.currentVersion} (changed: ${result.changedFields.join(', ')}). Billing data not in an invoice recalculated: ${countText(r?.customers ?? 0, 'customer')}, ${countText(r?.itemsWritten ?? 0, 'item')} written, ${r?.itemsDeleted ?? 0} removed. Draft invoices keep their amounts until deleted and generated again.`);
    }
    return 0;
  });
}

export async function planDeleteCommand(ctx: CliContext, id: string, options: { yes?: boolean } = {}): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const question = `Delete plan "${id}" with its assignments, its draft invoices and its billing items in no invoice? This cannot be undone.`;
    if (!(await confirmAction(ctx, question, { yes: options.yes, flagHint: '`confbill plan delete`' }))) {
      println(ctx, `Plan "${id}" not deleted.`);
      return 0;
    }
    const result = await deletePlan(db, id, ctx.user, ctx.now());
    const drafts = result.deletedDrafts.length ? ` Draft invoices deleted: ${result.deletedDrafts.join(', ')}.` : '';
    println(ctx, `Plan "${id}" deleted with its assignments and ${countText(result.deletedItems, 'billing item')} that were in no invoice.${drafts}`);
    return 0;
  });
}
