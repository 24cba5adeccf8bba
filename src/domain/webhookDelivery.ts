import type { WebhookEventType } from './webhookEvent.ts';

export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;

export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

export function isWebhookDeliveryStatus(value: string): value is WebhookDeliveryStatus {
  return (webhookDeliveryStatuses as readonly string[]).includes(value);
}

/** One attempt to deliver an event to an endpoint: the HTTP status it got, or why it got none. */
export interface WebhookDeliveryAttempt {
  attemptedAt: string;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

/** One event for one endpoint, with every attempt made (the delivery log). */
export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: WebhookEventType;
  eventCreatedAt: string;
  webhookId: string;
  url: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** When the next attempt is due (pending deliveries only). */
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastError: string | null;
  log: WebhookDeliveryAttempt[];
}
