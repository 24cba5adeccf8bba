import { BillingError } from '../domain/billingError.ts';
import { parseInstant } from '../domain/calendar.ts';
import { availableServiceTypes, listEntities } from '../services/entities.ts';
import { provisionEntity, retireEntity } from '../services/entityProvisioning.ts';
import { printJson, println, withDatabase, type CliContext } from './cliContext.ts';
import { terminalSafeText } from './terminalSafeText.ts';

/** `--at INSTANT` (ISO 8601 with an offset or Z), else now. */
function instantOption(ctx: CliContext, at: string | undefined): Date {
  if (at === undefined) return ctx.now();
  const ms = parseInstant(at);
  if (ms === undefined) throw new BillingError('invalid-argument', `--at "${at}" is not an instant. Give an ISO 8601 instant with an offset or Z, such as 2026-10-11T10:00:00Z.`);
  return new Date(ms);
}

function table(ctx: CliContext, unsafeRows: string[][], header: string[]): void {
  const rows = unsafeRows.map((row) => row.map((cell) => terminalSafeText(cell)));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  println(ctx, header.map((h, i) => h.padEnd(widths[i]!)).join('  ').trimEnd());
  for (const row of rows) println(ctx, row.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd());
}

export async function entityAddCommand(ctx: CliContext, options: { customer: string; id: string; type: string; alias?: string; at?: string; json?: boolean }): Promise<number> {
  const createdAt = instantOption(ctx, options.at);
  return withDatabase(ctx, async (db) => {
    const { callsMatchedAgain, ...added } = await provisionEntity(db, { customerId: options.customer, id: options.id, serviceType: options.type, alias: options.alias, createdAt }, ctx.user, ctx.now());
    if (options.json) {
      printJson(ctx, added);
      return 0;
    }
    const e = added.entity;
    const price = added.planId === null
      ? 'no plan is in force then, so it is not billed until one is'
      : added.billable
        ? `billed at ${added.monthlyPrice} a month under plan "${added.planId}"`
        : added.monthlyPrice === null
          ? `not billed: plan "${added.planId}" has no price for ${e.serviceType}`
          : `not billed: plan "${added.planId}" prices ${e.serviceType} at ${added.monthlyPrice}`;
    println(ctx, `Entity ${e.id} (${terminalSafeText(e.serviceType)}${e.alias ? `, alias ${terminalSafeText(e.alias)}` : ''}) added to customer ${e.customerId} from ${e.createdAt}: ${price}. Calls matched again: ${callsMatchedAgain}.`);
    return 0;
  });
}

export async function entityDeleteCommand(ctx: CliContext, id: string, options: { customer: string; at?: string; json?: boolean }): Promise<number> {
  const deletedAt = instantOption(ctx, options.at);
  return withDatabase(ctx, async (db) => {
    const { callsMatchedAgain, ...deleted } = await retireEntity(db, options.customer, id, deletedAt, ctx.user, ctx.now());
    if (options.json) printJson(ctx, deleted);
    else println(ctx, `Entity ${deleted.id} of customer ${deleted.customerId} deleted at ${deleted.deletedAt}: its alias matches no call from then on and its service days stop after that day. Calls matched again: ${callsMatchedAgain}.`);
    return 0;
  });
}

export async function entityListCommand(ctx: CliContext, options: { customer: string; all?: boolean; json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const entities = await listEntities(db, options.customer, { includeDeleted: options.all });
    if (options.json) printJson(ctx, entities);
    else if (entities.length === 0) println(ctx, `Customer ${options.customer} has no ${options.all ? '' : 'current '}entities. Add one with \`confbill entity add --customer ${options.customer} --id ID --type TYPE\`.`);
    else table(ctx, entities.map((e) => [e.id, e.serviceType, e.alias ?? '', e.createdAt, e.deletedAt ?? '']), ['id', 'serviceType', 'alias', 'createdAt', 'deletedAt']);
    return 0;
  });
}

export async function serviceAvailableCommand(ctx: CliContext, options: { customer: string; at?: string; json?: boolean }): Promise<number> {
  const at = instantOption(ctx, options.at);
  return withDatabase(ctx, async (db) => {
    const report = await availableServiceTypes(db, options.customer, at);
    if (options.json) {
      printJson(ctx, report);
      return 0;
    }
    const plan = report.planId === null ? 'no plan in force' : `plan "${report.planId}"`;
    println(ctx, `Customer ${report.customerId} on ${report.date} (${report.timeZone}), ${plan}.`);
    if (!report.limited) println(ctx, 'limitAvailableServicesToBillableServices is off: every service type is available. Known types:');
    else if (report.serviceTypes.length === 0) {
      println(ctx, `limitAvailableServicesToBillableServices is on: no service type is available${report.planId === null ? ' without a plan in force. Assign a plan first.' : `: plan "${report.planId}" prices no service at ≥ 0. Add prices to its services.`}`);
      return 0;
    } else println(ctx, 'limitAvailableServicesToBillableServices is on: only the types that the plan prices at ≥ 0 are available:');
    const priceText = (price: string | null, billable: boolean): string => (price === null ? 'no price (not billed)' : billable ? `${price} a month` : price.startsWith('-') ? `${price} (not billed)` : 'free');
    table(ctx, report.serviceTypes.map((t) => [t.serviceType, priceText(t.monthlyPrice, t.billable)]), ['serviceType', 'monthlyPrice']);
    return 0;
  });
}
