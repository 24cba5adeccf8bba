import type { Invoice } from './invoice.ts';
import type { UntrackedReason } from './untrackedReason.ts';

/** The events a webhook endpoint can subscribe to (docs/adr/0019-webhooks-outbox.md). */
export const webhookEventTypes = ['invoice.generated', 'invoice.approved', 'invoice.deleted', 'calls.untracked'] as const;

export type WebhookEventType = (typeof webhookEventTypes)[number];

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (webhookEventTypes as readonly string[]).includes(value);
}

/**
 * What an invoice event says of the invoice: the fields of the CLI's invoice JSON that identify it
 * and give its amount (money a decimal string, dates YYYY-MM-DD, instants ISO 8601 UTC); the lines
 * are read through the API or `confbill invoice show`.
 */
export interface InvoiceEventData {
  id: string;
  number: number | null;
  status: Invoice['status'];
  customerId: string;
  currency: string;
  from: string;
  to: string;
  total: string;
  approvedAt?: string | null;
  approvedBy?: string | null;
}

export function invoiceEventData(invoice: Invoice): InvoiceEventData {
  const data: InvoiceEventData = {
    id: invoice.id,
    number: invoice.number,
    status: invoice.status,
    customerId: invoice.customerId,
    currency: invoice.currency,
    from: invoice.from,
    to: invoice.to,
    total: invoice.total,
  };
  if (invoice.status === 'approved') {
    data.approvedAt = invoice.approvedAt ?? null;
    data.approvedBy = invoice.approvedBy ?? null;
  }
  return data;
}

/** At most this many call ids are listed in one `calls.untracked` event; `count` tells how many there were. */
export const untrackedCallIdsPerEvent = 1000;

/** One `calls.untracked` event: the calls that one ingest batch or one matching page left untracked. */
export interface UntrackedCallsEventData {
  /** What stored or matched the calls. */
  during: 'ingest' | 'matching';
  count: number;
  sources: string[];
  /** Calls by reason (docs/billing-rules.md §2); ingest and matching leave `no-customer` and `ambiguous`. */
  reasons: Partial<Record<UntrackedReason, number>>;
  /** The ids of the first calls (by id), at most `untrackedCallIdsPerEvent`. */
  callIds: string[];
  /** More calls than `callIds` lists. */
  truncated: boolean;
}

/** The payload of each event type. */
export interface WebhookEventData {
  'invoice.generated': InvoiceEventData;
  'invoice.approved': InvoiceEventData;
  'invoice.deleted': InvoiceEventData;
  'calls.untracked': UntrackedCallsEventData;
}

/**
 * The JSON body of every delivery of an event, the same for each endpoint and each attempt: the event
 * id lets a receiver ignore an event it already handled (delivery is at least once).
 */
export interface WebhookEventBody<T extends WebhookEventType = WebhookEventType> {
  id: string;
  type: T;
  createdAt: string;
  data: WebhookEventData[T];
}
