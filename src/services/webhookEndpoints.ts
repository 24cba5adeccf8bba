import { randomBytes, randomUUID } from 'node:crypto';
import { BillingError } from '../domain/billingError.ts';
import { messageSafeText } from '../domain/messageSafeText.ts';
import { isWebhookDeliveryStatus, webhookDeliveryStatuses, type WebhookDelivery } from '../domain/webhookDelivery.ts';
import { checkedWebhookEvents, checkedWebhookUrl, type WebhookEndpoint } from '../domain/webhookEndpoint.ts';
import type { Database, Sql } from '../storage/database.ts';
import { disableWebhookEndpoint, getWebhookEndpoint, insertWebhookEndpoint, listWebhookEndpoints, listWebhookDeliveries } from '../storage/webhookStore.ts';
import { appendAuditEntry } from '../storage/auditLogStore.ts';

/**
 * Adds an endpoint and makes its signing secret, returned this once: it is stored to sign with, and
 * never shown again (a lost secret means a new endpoint). `actor` is who added it.
 */
export async function addWebhook(db: Database, input: { url: string; events: readonly string[] }, actor: string): Promise<{ webhook: WebhookEndpoint; secret: string }> {
  const url = checkedWebhookUrl(input.url);
  const events = checkedWebhookEvents(input.events);
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  const webhook = await db.transaction(async (tx) => {
    const added = await insertWebhookEndpoint(tx, { id: randomUUID(), url, events, secret, createdBy: actor });
    await appendAuditEntry(tx, { actor, action: 'webhook.added', objectKind: 'webhook', objectId: added.id, before: null, after: { url: added.url, events: added.events } });
    return added;
  });
  return { webhook, secret };
}

export async function listWebhooks(db: Sql): Promise<WebhookEndpoint[]> {
  return listWebhookEndpoints(db);
}

function notFound(id: string): BillingError {
  return new BillingError('not-found', `There is no webhook "${messageSafeText(id.slice(0, 100))}"; the list of webhooks shows their ids.`, { field: 'id' });
}

/**
 * Disables an endpoint: no event is sent to it any more and its pending deliveries are given up; it
 * stays listed with its delivery log. Disabling a disabled endpoint changes nothing.
 */
export async function disableWebhook(db: Database, id: string, actor: string): Promise<{ webhook: WebhookEndpoint; alreadyDisabled: boolean }> {
  const result = await db.transaction(async (tx) => {
    const disabled = await disableWebhookEndpoint(tx, id, actor);
    if (disabled && !disabled.alreadyDisabled) await appendAuditEntry(tx, { actor, action: 'webhook.disabled', objectKind: 'webhook', objectId: id, before: { disabledAt: null }, after: { disabledAt: disabled.endpoint.disabledAt } });
    return disabled;
  });
  if (!result) throw notFound(id);
  return { webhook: result.endpoint, alreadyDisabled: result.alreadyDisabled };
}

/** The delivery log: the newest events first, at most `limit` deliveries, each with its attempts. */
export async function webhookDeliveries(db: Sql, filter: { webhookId?: string; status?: string; limit?: number } = {}): Promise<WebhookDelivery[]> {
  const { webhookId, status } = filter;
  const limit = filter.limit ?? 100;
  if (status !== undefined && !isWebhookDeliveryStatus(status)) {
    throw new BillingError('invalid-argument', `"${messageSafeText(status.slice(0, 100))}" is not a delivery status: use ${webhookDeliveryStatuses.join(', ')}.`, { field: 'status' });
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new BillingError('invalid-argument', `The limit ${limit} must be a whole number from 1 to 10000.`, { field: 'limit' });
  if (webhookId !== undefined && !(await getWebhookEndpoint(db, webhookId))) throw notFound(webhookId);
  return listWebhookDeliveries(db, { webhookId, status, limit });
}
