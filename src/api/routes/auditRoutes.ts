import { z } from 'zod';
import { auditEntries, maxAuditLimit } from '../../services/auditLog.ts';
import '../apiAccess.ts';
import type { ApiRouteModule } from '../apiContext.ts';
import { cursorKey, encodeCursor, invalidCursor, pageOf, plainText } from '../apiSchemas.ts';

const auditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.string(),
    action: z.string().meta({ description: 'What happened: invoice.approved, plan.field-changed, apikey.revoked, …' }),
    objectKind: z.string(),
    objectId: z.string(),
    before: z.unknown().meta({ description: 'The changed fields before; null for a new object.' }),
    after: z.unknown().meta({ description: 'The changed fields after; null for a removed object.' }),
  })
  .meta({ id: 'AuditEntry' });

/** The audit log (append-only): who changed what, when, from what to what. */
export const auditRoutes: ApiRouteModule = (app, { db }) => {
  app.get(
    '/api/v1/audit',
    {
      config: { access: 'administer' },
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first, filtered by object, actor, action and a range of instants.',
        querystring: z.strictObject({
          kind: plainText(40).min(1).optional().meta({ description: 'The kind of object: invoice, plan, customer, assignment, entity, user, apikey, webhook, …' }),
          object: plainText(200).min(1).optional(),
          actor: plainText(200).min(1).optional(),
          action: plainText(60).min(1).optional(),
          from: z.string().max(40).optional().meta({ description: 'Entries at or after this ISO 8601 instant (with its offset).' }),
          to: z.string().max(40).optional().meta({ description: 'Entries before this ISO 8601 instant.' }),
          limit: z.coerce.number().int().min(1).max(maxAuditLimit).default(100),
          cursor: z.string().max(100).optional(),
        }),
        response: { 200: pageOf(auditEntrySchema) },
      },
    },
    async (request) => {
      const q = request.query;
      const before = q.cursor === undefined ? undefined : Number(cursorKey(q.cursor));
      if (before !== undefined && !Number.isSafeInteger(before)) throw invalidCursor();
      const page = await auditEntries(db, { objectKind: q.kind, objectId: q.object, actor: q.actor, action: q.action, from: q.from, to: q.to, limit: q.limit, before });
      return { items: page.entries, nextCursor: page.next === null ? null : encodeCursor(String(page.next)) };
    },
  );
};
