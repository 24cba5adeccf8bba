import { BillingError } from '../domain/billingError.ts';
import { copyPlanAs, deletePlan, lockPlan, setPlanField, unlockPlan } from '../services/planLifecycle.ts';
import { planHistory } from '../storage/planHistoryStore.ts';
import { getPlan, listPlans } from '../storage/planStore.ts';
import { printJson, println, withDatabase, type CliContext } from './cliContext.ts';
import { confirmAction } from './confirmAction.ts';
import { terminalSafeJson, terminalSafeText } from './terminalSafeText.ts';

export async function planListCommand(ctx: CliContext, options: { json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const plans = await listPlans(db);
    if (options.json) printJson(ctx, plans.map((p) => ({ id: p.id, name: p.definition.name, currency: p.definition.currency, locked: p.locked, version: p.currentVersion })));
    else if (plans.length === 0) println(ctx, 'No plans. Add them with `confbill apply FILE` or `confbill plan copy TEMPLATE ID`.');
    else for (const p of plans) println(ctx, `${p.id.padEnd(24)} ${terminalSafeText(p.definition.name).padEnd(32)} ${p.definition.currency}  version ${p.currentVersion}${p.locked ? '' : ' (unlocked)'}`);
    return 0;
  });
}

export async function planShowCommand(ctx: CliContext, id: string, options: { json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const plan = await getPlan(db, id);
    if (!plan) throw new BillingError('not-found', `No plan with id "${id}". See \`confbill plan list\`.`);
    const shown = { id: plan.id, locked: plan.locked, version: plan.currentVersion, ...plan.definition, ...(plan.draft ? { draft: plan.draft } : {}) };
    if (options.json) printJson(ctx, shown);
    else println(ctx, terminalSafeJson(shown));
    return 0;
  });
}

export async function planHistoryCommand(ctx: CliContext, id: string, options: { json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    if (!(await getPlan(db, id))) throw new BillingError('not-found', `No plan with id "${id}". See \`confbill plan list\`.`);
    const history = await planHistory(db, id);
    if (options.json) printJson(ctx, history);
    else if (history.length === 0) println(ctx, `Plan "${id}" has not been changed since it was created.`);
    else for (const h of history) println(ctx, `${h.changedAt}  ${terminalSafeText(h.user).padEnd(10)} ${terminalSafeText(h.field)}: ${JSON.stringify(h.oldValue)} → ${JSON.stringify(h.newValue)}`);
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
      println(ctx, `Plan "${id}" locked at version ${result.plan.currentVersion} (changed: ${result.changedFields.join(', ')}). Billing data not in an invoice recalculated: ${r?.customers ?? 0} customers, ${r?.itemsWritten ?? 0} items written, ${r?.itemsDeleted ?? 0} removed. Draft invoices keep their amounts until deleted and generated again.`);
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
    println(ctx, `Plan "${id}" deleted with its assignments and ${result.deletedItems} billing items that were in no invoice.${drafts}`);
    return 0;
  });
}
