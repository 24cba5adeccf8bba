import type { Command } from 'commander';
import { BillingError } from '../domain/billingError.ts';
import type { WebhookDelivery, WebhookDeliveryAttempt } from '../domain/webhookDelivery.ts';
import { webhookDeliveryStatuses } from '../domain/webhookDelivery.ts';
import { webhookEventTypes } from '../domain/webhookEvent.ts';
import { printJson, println, withDatabase, type CliContext } from './cliContext.ts';
import { terminalSafeText } from './terminalSafeText.ts';

// Loaded by the webhook commands only: `confbill --help` and the other commands start without it.
const endpoints = () => import('../services/webhookEndpoints.ts');

type Run = (work: (ctx: CliContext) => Promise<number>) => Promise<void>;

/** `confbill webhook …`: endpoints that events are POSTed to, and the delivery log. */
export function registerWebhookCommands(root: Command, run: Run): void {
  const webhook = root.command('webhook').description('webhooks: URLs that invoice and untracked-call events are POSTed to, signed, and the log of their deliveries');
  webhook
    .command('add')
    .description('add a webhook; prints its signing secret once, on the last line')
    .requiredOption('--url <url>', 'http:// or https:// URL the events are POSTed to (no user name or password in it)')
    .requiredOption('--events <list>', `comma-separated events: ${webhookEventTypes.join(', ')}`)
    .action((options: { url: string; events: string }) => run((ctx) => webhookAddCommand(ctx, options)));
  webhook
    .command('list')
    .description('list the webhooks: id, URL, events, who added them, and whether they are disabled')
    .option('--json', 'print JSON instead of text')
    .action((options: { json?: boolean }) => run((ctx) => webhookListCommand(ctx, options)));
  webhook
    .command('disable')
    .description('stop sending events to a webhook; its pending deliveries are given up, its log is kept')
    .argument('<id>', 'webhook id (see `confbill webhook list`)')
    .action((id: string) => run((ctx) => webhookDisableCommand(ctx, id)));
  webhook
    .command('deliveries')
    .description('the delivery log: each event sent to each webhook, its status and every attempt, the newest first')
    .option('--webhook <id>', 'only the deliveries to this webhook')
    .option('--status <status>', `only deliveries in this status: ${webhookDeliveryStatuses.join(', ')}`)
    .option('--limit <n>', 'at most this many deliveries', '100')
    .option('--json', 'print JSON instead of text')
    .action((options: { webhook?: string; status?: string; limit: string; json?: boolean }) => run((ctx) => webhookDeliveriesCommand(ctx, options)));
}

export async function webhookAddCommand(ctx: CliContext, options: { url: string; events: string }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const { webhook, secret } = await (await endpoints()).addWebhook(db, { url: options.url, events: options.events.split(',') }, ctx.user);
    println(ctx, `Webhook ${webhook.id} added: ${terminalSafeText(webhook.url)} receives ${webhook.events.join(', ')}.`);
    println(ctx, 'Its signing secret, shown this once (the receiver verifies the Confbill-Signature header with it):');
    println(ctx, secret);
    return 0;
  });
}

export async function webhookListCommand(ctx: CliContext, options: { json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const webhooks = await (await endpoints()).listWebhooks(db);
    if (options.json) {
      printJson(ctx, webhooks);
      return 0;
    }
    if (webhooks.length === 0) println(ctx, 'No webhooks: add one with `confbill webhook add --url URL --events LIST`.');
    for (const w of webhooks) {
      const state = w.disabledAt ? `disabled ${w.disabledAt} by ${terminalSafeText(w.disabledBy ?? '?')}` : 'enabled';
      println(ctx, `${w.id}  ${terminalSafeText(w.url)}  ${w.events.join(',')}  added ${w.createdAt} by ${terminalSafeText(w.createdBy)}  ${state}`);
    }
    return 0;
  });
}

export async function webhookDisableCommand(ctx: CliContext, id: string): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const { webhook, alreadyDisabled } = await (await endpoints()).disableWebhook(db, id, ctx.user);
    println(ctx, alreadyDisabled ? `Webhook ${webhook.id} was already disabled (${webhook.disabledAt}).` : `Webhook ${webhook.id} disabled: no event is sent to ${terminalSafeText(webhook.url)} any more.`);
    return 0;
  });
}

function attemptText(a: WebhookDeliveryAttempt): string {
  return `  ${a.attemptedAt}  ${a.httpStatus !== null ? `HTTP ${a.httpStatus}` : `error: ${terminalSafeText(a.error ?? '')}`} (${a.durationMs} ms)`;
}

function deliveryState(d: WebhookDelivery): string {
  if (d.status === 'delivered') return `delivered ${d.deliveredAt}`;
  if (d.status === 'pending') return `pending, next attempt ${d.nextAttemptAt}`;
  return `failed: ${terminalSafeText(d.lastError ?? '')}`;
}

export async function webhookDeliveriesCommand(ctx: CliContext, options: { webhook?: string; status?: string; limit: string; json?: boolean }): Promise<number> {
  const limit = Number(options.limit);
  if (!/^\d+$/.test(options.limit) || limit < 1 || limit > 10_000) throw new BillingError('invalid-argument', `--limit "${terminalSafeText(options.limit)}" must be a whole number from 1 to 10000.`);
  return withDatabase(ctx, async (db) => {
    const deliveries = await (await endpoints()).webhookDeliveries(db, { webhookId: options.webhook, status: options.status, limit });
    if (options.json) {
      printJson(ctx, deliveries);
      return 0;
    }
    if (deliveries.length === 0) println(ctx, 'No deliveries.');
    for (const d of deliveries) {
      println(ctx, `${d.eventCreatedAt}  ${d.eventType}  event ${d.eventId}  to ${d.webhookId} (${terminalSafeText(d.url)})  delivery ${d.id}: ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}, ${deliveryState(d)}`);
      for (const a of d.log) println(ctx, attemptText(a));
    }
    return 0;
  });
}
