import { z } from 'zod';
import { webhookDeliveryStatuses } from '../../domain/webhookDelivery.ts';
import { webhookEventTypes } from '../../domain/webhookEvent.ts';
import { addWebhook, disableWebhook, listWebhooks, webhookDeliveries } from '../../services/webhookEndpoints.ts';
import '../apiAccess.ts';
import type { ApiRouteModule } from '../apiContext.ts';
import { idParams, pageOf, pageOfList, pageQueryShape } from '../apiSchemas.ts';

const webhookSchema = z
  .object({ id: z.string(), url: z.string(), events: z.array(z.enum(webhookEventTypes)), createdAt: z.string(), createdBy: z.string(), disabledAt: z.string().nullable(), disabledBy: z.string().nullable() })
  .meta({ id: 'Webhook' });
const deliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.enum(webhookEventTypes),
    eventCreatedAt: z.string(),
    webhookId: z.string(),
    url: z.string(),
    status: z.enum(webhookDeliveryStatuses),
    attempts: z.number().int(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    lastError: z.string().nullable(),
    log: z.array(z.object({ attemptedAt: z.string(), httpStatus: z.number().int().nullable(), error: z.string().nullable(), durationMs: z.number() })),
  })
  .meta({ id: 'WebhookDelivery' });

/** Webhook endpoints and their delivery log: the administrator's. */
export const webhookRoutes: ApiRouteModule = (app, { db }) => {
  app.get('/api/v1/webhooks', { config: { access: 'administer' }, schema: { tags: ['webhooks'], summary: 'The webhook endpoints, disabled ones included.', querystring: z.strictObject(pageQueryShape), response: { 200: pageOf(webhookSchema) } } }, async (request) =>
    pageOfList(await listWebhooks(db), (w) => w.id, request.query),
  );
  app.post(
    '/api/v1/webhooks',
    {
      config: { access: 'administer' },
      schema: {
        tags: ['webhooks'],
        summary: 'Add an endpoint for some events; the signing secret is in this answer only.',
        body: z.strictObject({ url: z.string().min(1).max(2048), events: z.array(z.enum(webhookEventTypes)).min(1).max(webhookEventTypes.length) }),
        response: { 201: z.object({ webhook: webhookSchema, secret: z.string().meta({ description: 'The HMAC-SHA256 signing secret, shown this once.' }) }) },
      },
    },
    async (request, reply) => reply.code(201).send(await addWebhook(db, request.body, request.principal!.name)),
  );
  app.post(
    '/api/v1/webhooks/:id/disable',
    { config: { access: 'administer' }, schema: { tags: ['webhooks'], summary: 'Disable an endpoint; its pending deliveries are given up.', params: idParams, response: { 200: webhookSchema } } },
    async (request) => (await disableWebhook(db, request.params.id, request.principal!.name)).webhook,
  );
  app.get(
    '/api/v1/webhook-deliveries',
    {
      config: { access: 'administer' },
      schema: {
        tags: ['webhooks'],
        summary: 'The delivery log, newest events first, with every attempt.',
        querystring: z.strictObject({ webhook: z.string().max(100).optional(), status: z.enum(webhookDeliveryStatuses).optional(), ...pageQueryShape }),
        response: { 200: pageOf(deliverySchema) },
      },
    },
    async (request) => {
      const { webhook, status, ...page } = request.query;
      const deliveries = await webhookDeliveries(db, { webhookId: webhook, status, limit: 10_000 });
      return pageOfList(deliveries, (d) => `${d.eventCreatedAt}|${d.id}`, page, 'descending');
    },
  );
};
