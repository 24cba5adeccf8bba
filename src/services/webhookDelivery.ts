import { performance } from 'node:perf_hooks';
import { nextWebhookAttemptAt } from '../domain/webhookRetrySchedule.ts';
import type { WebhookEventBody } from '../domain/webhookEvent.ts';
import type { Database } from '../storage/database.ts';
import { claimDueWebhookDeliveries, recordWebhookAttempt, type AttemptOutcome, type ClaimedDelivery } from '../storage/webhookStore.ts';
import { webhookSignatureHeader } from './webhookSignature.ts';

export { verifyWebhookSignature } from './webhookSignature.ts';

/** How long a receiver has to answer one delivery. */
export const webhookTimeoutMs = 10_000;

/**
 * How long a claimed delivery stays hidden from other processes: longer than every attempt of a round
 * (they run at once, each cut off after the timeout) plus recording the outcomes.
 */
const claimLeaseMs = 120_000;

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Aborted when the timeout is reached. */
  signal: AbortSignal;
}

/** How an attempt ended, as far as delivery cares: the HTTP status of the answer. */
export interface WebhookResponse {
  status: number;
}

export type WebhookSend = (request: WebhookRequest) => Promise<WebhookResponse>;

/**
 * POSTs with the global fetch. Redirects are not followed (a 3xx is not a delivery: the endpoint's URL
 * is to be corrected), and the answer's body is not read.
 */
export const fetchWebhook: WebhookSend = async (request) => {
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, redirect: 'manual', signal: request.signal });
  await response.body?.cancel().catch(() => undefined);
  return { status: response.status };
};

export interface DeliveryOptions {
  now?: Date;
  send?: WebhookSend;
  /** Deliveries claimed and attempted at most, all at once. */
  limit?: number;
}

export interface DeliveryRound {
  attempted: number;
  delivered: number;
  /** Failed attempts that will be tried again. */
  retrying: number;
  /** Deliveries given up (docs/adr/0019-webhooks-outbox.md: 15 attempts or 3 days). */
  failed: number;
}

/** The body of every attempt of one event: the same bytes for each endpoint and each retry. */
function eventBody(delivery: ClaimedDelivery): string {
  const body: WebhookEventBody = { id: delivery.eventId, type: delivery.eventType, createdAt: delivery.eventCreatedAt.toISOString(), data: delivery.data as WebhookEventBody['data'] };
  return JSON.stringify(body);
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error && cause.message && cause.message !== error.message ? `: ${cause.message}` : '';
    return `${error.message}${detail}`.slice(0, 500);
  }
  return String(error).slice(0, 500);
}

async function attempt(delivery: ClaimedDelivery, now: Date, send: WebhookSend): Promise<{ httpStatus: number | null; error: string | null; durationMs: number }> {
  const body = eventBody(delivery);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'confbill-webhooks',
    'confbill-event': delivery.eventType,
    'confbill-delivery': delivery.id,
    'confbill-signature': webhookSignatureHeader(delivery.secret, body, Math.floor(now.getTime() / 1000)),
  };
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${webhookTimeoutMs / 1000} s`));
    }, webhookTimeoutMs);
  });
  const started = performance.now();
  try {
    // The race holds even for a `send` that ignores the signal.
    const response = await Promise.race([send({ url: delivery.url, headers, body, signal: controller.signal }), timeout]);
    return { httpStatus: response.status, error: null, durationMs: performance.now() - started };
  } catch (error) {
    return { httpStatus: null, error: controller.signal.aborted ? `no answer within ${webhookTimeoutMs / 1000} s` : errorText(error), durationMs: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One round of delivery: claims the deliveries due at `now` (several processes may run rounds at
 * once: each delivery is claimed by one), POSTs each signed event, and records every attempt. A 2xx
 * answer delivers; any other answer, an error or no answer within 10 s is tried again later with
 * exponential backoff (src/domain/webhookRetrySchedule.ts), until it is given up.
 */
export async function deliverDueWebhooks(db: Database, options: DeliveryOptions = {}): Promise<DeliveryRound> {
  const now = options.now ?? new Date();
  const send = options.send ?? fetchWebhook;
  const claimed = await claimDueWebhookDeliveries(db, now, options.limit ?? 20, new Date(now.getTime() + claimLeaseMs));
  const round: DeliveryRound = { attempted: claimed.length, delivered: 0, retrying: 0, failed: 0 };
  await Promise.all(
    claimed.map(async (delivery) => {
      const result = await attempt(delivery, now, send);
      let outcome: AttemptOutcome;
      if (result.httpStatus !== null && result.httpStatus >= 200 && result.httpStatus < 300) outcome = { status: 'delivered' };
      else {
        const retryAt = nextWebhookAttemptAt(delivery.attempts + 1, delivery.eventCreatedAt.getTime(), now.getTime());
        outcome = retryAt === undefined ? { status: 'failed' } : { status: 'pending', retryAt: new Date(retryAt) };
      }
      await db.transaction((tx) => recordWebhookAttempt(tx, { deliveryId: delivery.id, attemptedAt: now, ...result, outcome }));
      if (outcome.status === 'delivered') round.delivered++;
      else if (outcome.status === 'pending') round.retrying++;
      else round.failed++;
    }),
  );
  return round;
}

export interface WebhookDeliveryRunner {
  /** Stops the runner; resolves once the round under way (if any) is done. */
  stop(): Promise<void>;
}

/**
 * Runs delivery rounds every `intervalMs` in this process (`confbill serve`), and again at once while
 * a round finds as many deliveries as it may take (a backlog). A failing round is logged and the next
 * one runs as usual.
 */
export function startWebhookDelivery(db: Database, options: { intervalMs?: number; now?: () => Date; log?: (line: string) => void; send?: WebhookSend; limit?: number } = {}): WebhookDeliveryRunner {
  const intervalMs = options.intervalMs ?? 5000;
  const limit = options.limit ?? 20;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const round = async (): Promise<void> => {
    let again = false;
    try {
      const done = await deliverDueWebhooks(db, { now: options.now?.() ?? new Date(), send: options.send, limit });
      if (done.attempted) options.log?.(`webhooks: ${done.attempted} attempted, ${done.delivered} delivered, ${done.retrying} to retry, ${done.failed} given up`);
      again = done.attempted >= limit;
    } catch (error) {
      options.log?.(`webhooks: delivery round failed: ${errorText(error)}`);
    }
    if (!stopped) timer = setTimeout(schedule, again ? 0 : intervalMs);
  };
  const schedule = (): void => {
    running = round();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
