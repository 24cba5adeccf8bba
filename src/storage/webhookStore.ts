import type { WebhookDelivery, WebhookDeliveryAttempt, WebhookDeliveryStatus } from '../domain/webhookDelivery.ts';
import type { WebhookEndpoint } from '../domain/webhookEndpoint.ts';
import type { UntrackedCallsEventData, WebhookEventType } from '../domain/webhookEvent.ts';
import type { Sql } from './database.ts';

interface EndpointRow {
  id: string;
  url: string;
  events: WebhookEventType[];
  createdAt: Date;
  createdBy: string;
  disabledAt: Date | null;
  disabledBy: string | null;
}

const endpointColumns = `id, url, events, created_at AS "createdAt", created_by AS "createdBy", disabled_at AS "disabledAt", disabled_by AS "disabledBy"`;

function endpointOf(r: EndpointRow): WebhookEndpoint {
  return { id: r.id, url: r.url, events: r.events, createdAt: r.createdAt.toISOString(), createdBy: r.createdBy, disabledAt: r.disabledAt?.toISOString() ?? null, disabledBy: r.disabledBy };
}

export async function insertWebhookEndpoint(tx: Sql, endpoint: { id: string; url: string; events: readonly WebhookEventType[]; secret: string; createdBy: string }): Promise<WebhookEndpoint> {
  const [row] = await tx.query<EndpointRow>(
    `INSERT INTO webhook_endpoints (id, url, events, secret, created_by) VALUES ($1, $2, $3::text[], $4, $5) RETURNING ${endpointColumns}`,
    [endpoint.id, endpoint.url, endpoint.events, endpoint.secret, endpoint.createdBy],
  );
  return endpointOf(row!);
}

/** Every endpoint, the oldest first; never the secrets. */
export async function listWebhookEndpoints(db: Sql): Promise<WebhookEndpoint[]> {
  return (await db.query<EndpointRow>(`SELECT ${endpointColumns} FROM webhook_endpoints ORDER BY created_at, id`)).map(endpointOf);
}

export async function getWebhookEndpoint(db: Sql, id: string): Promise<WebhookEndpoint | undefined> {
  const [row] = await db.query<EndpointRow>(`SELECT ${endpointColumns} FROM webhook_endpoints WHERE id = $1`, [id]);
  return row && endpointOf(row);
}

/**
 * Disables an endpoint (kept, with its deliveries, for the log): no event is sent to it any more, and
 * what was still pending for it is marked failed. Undefined when there is no such endpoint.
 */
export async function disableWebhookEndpoint(tx: Sql, id: string, by: string): Promise<{ endpoint: WebhookEndpoint; alreadyDisabled: boolean } | undefined> {
  const [row] = await tx.query<EndpointRow>(`SELECT ${endpointColumns} FROM webhook_endpoints WHERE id = $1 FOR UPDATE`, [id]);
  if (!row) return undefined;
  if (row.disabledAt) return { endpoint: endpointOf(row), alreadyDisabled: true };
  const [disabled] = await tx.query<EndpointRow>(`UPDATE webhook_endpoints SET disabled_at = now(), disabled_by = $2 WHERE id = $1 RETURNING ${endpointColumns}`, [id, by]);
  await tx.query(`UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, last_error = 'the webhook was disabled' WHERE endpoint_id = $1 AND status = 'pending'`, [id]);
  return { endpoint: endpointOf(disabled!), alreadyDisabled: false };
}

/** The enabled endpoints subscribed to an event type. */
export async function subscribedWebhookEndpoints(tx: Sql, type: WebhookEventType): Promise<string[]> {
  const rows = await tx.query<{ id: string }>('SELECT id FROM webhook_endpoints WHERE disabled_at IS NULL AND $1 = ANY (events) ORDER BY id', [type]);
  return rows.map((r) => r.id);
}

/**
 * Writes an event to the outbox with one delivery per endpoint, due at once, in the caller's
 * transaction (the transaction of the change the event reports).
 */
export async function insertWebhookEvent(tx: Sql, event: { id: string; type: WebhookEventType; data: unknown; endpointIds: readonly string[] }): Promise<void> {
  await tx.query(
    `WITH event AS (INSERT INTO webhook_outbox (id, event_type, payload) VALUES ($1, $2, $3::jsonb) RETURNING id, created_at)
     INSERT INTO webhook_deliveries (id, event_id, endpoint_id, next_attempt_at)
     SELECT gen_random_uuid()::text, event.id, endpoint_id, event.created_at FROM event CROSS JOIN unnest($4::text[]) AS endpoint_id`,
    [event.id, event.type, JSON.stringify(event.data), event.endpointIds],
  );
}

/**
 * What a `calls.untracked` event says of some calls just stored or matched: those of them that are
 * untracked for want of a customer (docs/billing-rules.md §2: a call that lasted and matched no
 * customer, or several), with their sources, reasons and first ids. Undefined when there are none.
 */
export async function untrackedCallsAmong(tx: Sql, callIds: readonly number[], idsListed: number): Promise<Omit<UntrackedCallsEventData, 'during'> | undefined> {
  const [row] = await tx.query<{ count: number; sources: string[]; reasons: UntrackedCallsEventData['reasons']; callIds: string[] }>(
    `WITH u AS (SELECT id, source, match_status FROM calls
                WHERE id = ANY ($1::bigint[]) AND duration_seconds > 0 AND match_status IN ('no-customer', 'ambiguous'))
     SELECT (SELECT count(*)::int FROM u) AS count,
            (SELECT coalesce(array_agg(DISTINCT source ORDER BY source), '{}') FROM u) AS sources,
            (SELECT coalesce(jsonb_object_agg(match_status, n), '{}'::jsonb) FROM (SELECT match_status, count(*)::int AS n FROM u GROUP BY match_status) r) AS reasons,
            (SELECT coalesce(array_agg(id::text ORDER BY id), '{}') FROM (SELECT id FROM u ORDER BY id LIMIT $2) f) AS "callIds"`,
    [callIds, idsListed],
  );
  if (!row || row.count === 0) return undefined;
  return { count: row.count, sources: row.sources, reasons: row.reasons, callIds: row.callIds, truncated: row.count > row.callIds.length };
}

/** A delivery claimed for one attempt, with what it takes to send it. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  eventType: WebhookEventType;
  eventCreatedAt: Date;
  data: unknown;
  url: string;
  secret: string;
  /** Attempts made before this one. */
  attempts: number;
}

/**
 * Claims up to `limit` pending deliveries due at `now` to enabled endpoints, in one statement:
 * `FOR UPDATE SKIP LOCKED` passes over rows another process is claiming, and moving their due time
 * to `leaseUntil` hides them from every later claim until the attempt is recorded — or, should the
 * process die while sending, until the lease runs out and the delivery is tried again.
 */
export async function claimDueWebhookDeliveries(db: Sql, now: Date, limit: number, leaseUntil: Date): Promise<ClaimedDelivery[]> {
  return db.query<ClaimedDelivery>(
    `WITH due AS (
       SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
       WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND e.disabled_at IS NULL
       ORDER BY d.next_attempt_at, d.id
       LIMIT $2
       FOR UPDATE OF d SKIP LOCKED)
     UPDATE webhook_deliveries d SET next_attempt_at = $3
     FROM due, webhook_outbox o, webhook_endpoints e
     WHERE d.id = due.id AND o.id = d.event_id AND e.id = d.endpoint_id
     RETURNING d.id, o.id AS "eventId", o.event_type AS "eventType", o.created_at AS "eventCreatedAt", o.payload AS data, e.url, e.secret, d.attempts`,
    [now, limit, leaseUntil],
  );
}

/** What an attempt ended in: delivered, to be tried again at `retryAt`, or given up. */
export type AttemptOutcome = { status: 'delivered' } | { status: 'pending'; retryAt: Date } | { status: 'failed' };

/** Records an attempt in the log and its outcome on the delivery. */
export async function recordWebhookAttempt(tx: Sql, attempt: { deliveryId: string; attemptedAt: Date; httpStatus: number | null; error: string | null; durationMs: number; outcome: AttemptOutcome }): Promise<void> {
  const { outcome } = attempt;
  await tx.query(
    'INSERT INTO webhook_delivery_attempts (delivery_id, attempted_at, http_status, error, duration_ms) VALUES ($1, $2, $3, $4, $5)',
    [attempt.deliveryId, attempt.attemptedAt, attempt.httpStatus, attempt.error, Math.max(0, Math.round(attempt.durationMs))],
  );
  const lastError = outcome.status === 'delivered' ? null : (attempt.error ?? `HTTP status ${attempt.httpStatus}`);
  await tx.query(
    `UPDATE webhook_deliveries SET attempts = attempts + 1, status = $2, next_attempt_at = $3, delivered_at = $4, last_error = $5
     WHERE id = $1 AND status = 'pending'`,
    [attempt.deliveryId, outcome.status, outcome.status === 'pending' ? outcome.retryAt : null, outcome.status === 'delivered' ? attempt.attemptedAt : null, lastError],
  );
}

interface DeliveryRow {
  id: string;
  eventId: string;
  eventType: WebhookEventType;
  eventCreatedAt: Date;
  webhookId: string;
  url: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  lastError: string | null;
}

/** The deliveries, the newest events first, each with its attempts in order. */
export async function listWebhookDeliveries(db: Sql, filter: { webhookId?: string; status?: WebhookDeliveryStatus; limit: number }): Promise<WebhookDelivery[]> {
  const rows = await db.query<DeliveryRow>(
    `SELECT d.id, d.event_id AS "eventId", o.event_type AS "eventType", o.created_at AS "eventCreatedAt", d.endpoint_id AS "webhookId", e.url,
            d.status, d.attempts, d.next_attempt_at AS "nextAttemptAt", d.delivered_at AS "deliveredAt", d.last_error AS "lastError"
     FROM webhook_deliveries d JOIN webhook_outbox o ON o.id = d.event_id JOIN webhook_endpoints e ON e.id = d.endpoint_id
     WHERE ($1::text IS NULL OR d.endpoint_id = $1) AND ($2::text IS NULL OR d.status = $2)
     ORDER BY o.created_at DESC, o.id, d.id
     LIMIT $3`,
    [filter.webhookId ?? null, filter.status ?? null, filter.limit],
  );
  const attempts = await db.query<{ deliveryId: string; attemptedAt: Date; httpStatus: number | null; error: string | null; durationMs: number }>(
    `SELECT delivery_id AS "deliveryId", attempted_at AS "attemptedAt", http_status AS "httpStatus", error, duration_ms AS "durationMs"
     FROM webhook_delivery_attempts WHERE delivery_id = ANY ($1::text[]) ORDER BY attempted_at, id`,
    [rows.map((r) => r.id)],
  );
  const logs = new Map<string, WebhookDeliveryAttempt[]>(rows.map((r) => [r.id, []]));
  for (const a of attempts) logs.get(a.deliveryId)!.push({ attemptedAt: a.attemptedAt.toISOString(), httpStatus: a.httpStatus, error: a.error, durationMs: a.durationMs });
  return rows.map((r) => ({
    ...r,
    eventCreatedAt: r.eventCreatedAt.toISOString(),
    nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    log: logs.get(r.id)!,
  }));
}
