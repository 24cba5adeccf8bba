import { BillingError } from '../domain/billingError.ts';
import { planHistory } from '../storage/planHistoryStore.ts';
import { getPlan, listPlans } from '../storage/planStore.ts';
import { printJson, println, withDatabase, type CliContext } from './cliContext.ts';

export async function planListCommand(ctx: CliContext, options: { json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const plans = await listPlans(db);
    if (options.json) printJson(ctx, plans.map((p) => ({ id: p.id, name: p.definition.name, currency: p.definition.currency, locked: p.locked, version: p.currentVersion })));
    else if (plans.length === 0) println(ctx, 'No plans. Add them with `confbill apply FILE`.');
    else for (const p of plans) println(ctx, `${p.id.padEnd(24)} ${p.definition.name.padEnd(32)} ${p.definition.currency}  version ${p.currentVersion}${p.locked ? '' : ' (unlocked)'}`);
    return 0;
  });
}

export async function planShowCommand(ctx: CliContext, id: string, options: { json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const plan = await getPlan(db, id);
    if (!plan) throw new BillingError('not-found', `No plan with id "${id}". See \`confbill plan list\`.`);
    const shown = { id: plan.id, locked: plan.locked, version: plan.currentVersion, ...plan.definition };
    if (options.json) printJson(ctx, shown);
    else println(ctx, JSON.stringify(shown, null, 2));
    return 0;
  });
}

export async function planHistoryCommand(ctx: CliContext, id: string, options: { json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    if (!(await getPlan(db, id))) throw new BillingError('not-found', `No plan with id "${id}". See \`confbill plan list\`.`);
    const history = await planHistory(db, id);
    if (options.json) printJson(ctx, history);
    else if (history.length === 0) println(ctx, `Plan "${id}" has not been changed since it was created.`);
    else for (const h of history) println(ctx, `${h.changedAt}  ${h.user.padEnd(10)} ${h.field}: ${JSON.stringify(h.oldValue)} → ${JSON.stringify(h.newValue)}`);
    return 0;
  });
}
