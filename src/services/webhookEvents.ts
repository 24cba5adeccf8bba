import { randomUUID } from 'node:crypto';
import type { Invoice } from '../domain/invoice.ts';
import { invoiceEventData, untrackedCallIdsPerEvent, type UntrackedCallsEventData, type WebhookEventData, type WebhookEventType } from '../domain/webhookEvent.ts';
import type { Sql } from '../storage/database.ts';
import { insertWebhookEvent, subscribedWebhookEndpoints, untrackedCallsAmong } from '../storage/webhookStore.ts';

/**
 * Writes an event in the caller's transaction, which is the transaction of the change it reports:
 * committed together, or rolled back together (docs/adr/0019-webhooks-outbox.md). It is fanned out
 * now, to the endpoints subscribed at this moment; with none, nothing is written.
 */
export async function recordWebhookEvent<T extends WebhookEventType>(tx: Sql, type: T, data: WebhookEventData[T]): Promise<void> {
  const endpointIds = await subscribedWebhookEndpoints(tx, type);
  if (endpointIds.length === 0) return;
  await insertWebhookEvent(tx, { id: randomUUID(), type, data, endpointIds });
}

/** An invoice event; `invoice` may be a loader, called only when an endpoint subscribes to `type`. */
export async function recordInvoiceEvent(tx: Sql, type: 'invoice.generated' | 'invoice.approved' | 'invoice.deleted', invoice: Invoice | (() => Promise<Invoice>)): Promise<void> {
  const endpointIds = await subscribedWebhookEndpoints(tx, type);
  if (endpointIds.length === 0) return;
  const data = invoiceEventData(typeof invoice === 'function' ? await invoice() : invoice);
  await insertWebhookEvent(tx, { id: randomUUID(), type, data, endpointIds });
}

/** One event of `type` per invoice, the subscribed endpoints read once for all of them. */
export async function recordInvoiceEvents(tx: Sql, type: 'invoice.generated', invoices: readonly Invoice[]): Promise<void> {
  if (invoices.length === 0) return;
  const endpointIds = await subscribedWebhookEndpoints(tx, type);
  if (endpointIds.length === 0) return;
  for (const invoice of invoices) await insertWebhookEvent(tx, { id: randomUUID(), type, data: invoiceEventData(invoice), endpointIds });
}

/**
 * One `calls.untracked` event for the calls an ingest batch stored or a matching page matched, when
 * any of them is untracked; the ids given may include tracked calls, which are left out.
 */
export async function recordUntrackedCalls(tx: Sql, during: UntrackedCallsEventData['during'], callIds: readonly number[]): Promise<void> {
  if (callIds.length === 0) return;
  const endpointIds = await subscribedWebhookEndpoints(tx, 'calls.untracked');
  if (endpointIds.length === 0) return;
  const untracked = await untrackedCallsAmong(tx, callIds, untrackedCallIdsPerEvent);
  if (!untracked) return;
  await insertWebhookEvent(tx, { id: randomUUID(), type: 'calls.untracked', data: { during, ...untracked } satisfies UntrackedCallsEventData, endpointIds });
}
