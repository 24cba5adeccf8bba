import { BillingError } from './billingError.ts';
import { hasHiddenCharacters, messageSafeText } from './messageSafeText.ts';
import { isWebhookEventType, webhookEventTypes, type WebhookEventType } from './webhookEvent.ts';

/** A URL that events are POSTed to. The signing secret is not part of it: it is shown once, when added. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  createdAt: string;
  createdBy: string;
  disabledAt: string | null;
  disabledBy: string | null;
}

const maxUrlLength = 2048;

function shown(value: string): string {
  return messageSafeText(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

/**
 * The URL of an endpoint, normalized: http or https only, and no user name or password in it (they
 * would be stored and listed in clear; the signature is what tells the receiver who sent an event).
 * Hidden characters are refused rather than silently dropped by the URL parser.
 */
export function checkedWebhookUrl(text: string): string {
  let url: URL | undefined;
  try {
    url = text.length <= maxUrlLength && !hasHiddenCharacters(text) && text.trim() === text ? new URL(text) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new BillingError('invalid-argument', `The webhook URL "${shown(text)}" is not an http:// or https:// URL of at most ${maxUrlLength} characters: give one such as https://billing.example.com/confbill-events.`, { field: 'url' });
  }
  if (url.username !== '' || url.password !== '') {
    throw new BillingError('invalid-argument', `The webhook URL "${shown(url.host)}…" holds a user name or password: give the URL without them (the signature authenticates each event to the receiver).`, { field: 'url' });
  }
  return url.href;
}

/** The event types of a subscription: known ones, each once, at least one. */
export function checkedWebhookEvents(names: readonly string[]): WebhookEventType[] {
  const events: WebhookEventType[] = [];
  for (const name of names.map((n) => n.trim()).filter((n) => n !== '')) {
    if (!isWebhookEventType(name)) {
      throw new BillingError('invalid-argument', `"${shown(name)}" is not a webhook event: use ${webhookEventTypes.join(', ')}.`, { field: 'events' });
    }
    if (!events.includes(name)) events.push(name);
  }
  if (events.length === 0) throw new BillingError('invalid-argument', `A webhook needs at least one event: use ${webhookEventTypes.join(', ')}.`, { field: 'events' });
  return events;
}
