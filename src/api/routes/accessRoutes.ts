import { z } from 'zod';
import { accessRoles } from '../../domain/accessRole.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../../services/apiKeys.ts';
import { addUser, disableUser, listUsers } from '../../services/users.ts';
import '../apiAccess.ts';
import type { ApiRouteModule } from '../apiContext.ts';
import { pageOf, pageOfList, pageQueryShape, plainText } from '../apiSchemas.ts';

const accessName = plainText(64).min(1);
const userSchema = z
  .object({ id: z.string(), name: z.string(), role: z.enum(accessRoles), createdAt: z.string(), createdBy: z.string(), disabledAt: z.string().nullable(), disabledBy: z.string().nullable() })
  .meta({ id: 'User' });
const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(accessRoles),
    prefix: z.string().meta({ description: 'The start of the key, by which a person recognises it; not secret.' }),
    createdAt: z.string(),
    createdBy: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    revokedBy: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });

/** Users and API keys: the administrator's. */
export const accessRoutes: ApiRouteModule = (app, { db, now }) => {
  app.get('/api/v1/users', { config: { access: 'administer' }, schema: { tags: ['access'], summary: 'The users, disabled ones included.', querystring: z.strictObject(pageQueryShape), response: { 200: pageOf(userSchema) } } }, async (request) =>
    pageOfList(await listUsers(db), (u) => u.name, request.query),
  );
  app.post(
    '/api/v1/users',
    {
      config: { access: 'administer' },
      schema: { tags: ['access'], summary: 'Add a user with a role and a password (12 characters or more).', body: z.strictObject({ name: accessName, role: z.enum(accessRoles), password: z.string().min(1).max(1024) }), response: { 201: userSchema } },
    },
    async (request, reply) => reply.code(201).send(await addUser(db, { ...request.body, actor: request.principal!.name, now: now() })),
  );
  app.post(
    '/api/v1/users/:name/disable',
    { config: { access: 'administer' }, schema: { tags: ['access'], summary: 'Disable a user: its sessions end at once.', params: z.strictObject({ name: accessName }), response: { 200: userSchema } } },
    async (request) => disableUser(db, request.params.name, request.principal!.name, now()),
  );
  app.get('/api/v1/api-keys', { config: { access: 'administer' }, schema: { tags: ['access'], summary: 'The API keys, revoked ones included (never their secrets).', querystring: z.strictObject(pageQueryShape), response: { 200: pageOf(apiKeySchema) } } }, async (request) =>
    pageOfList(await listApiKeys(db), (k) => k.id, request.query),
  );
  app.post(
    '/api/v1/api-keys',
    {
      config: { access: 'administer' },
      schema: {
        tags: ['access'],
        summary: 'Create an API key; its secret is in this answer only.',
        body: z.strictObject({ name: accessName, role: z.enum(accessRoles) }),
        response: { 201: z.object({ key: apiKeySchema, secret: z.string().meta({ description: 'The key itself, shown this once: store it now.' }) }) },
      },
    },
    async (request, reply) => reply.code(201).send(await createApiKey(db, { ...request.body, actor: request.principal!.name, now: now() })),
  );
  app.post(
    '/api/v1/api-keys/:key/revoke',
    { config: { access: 'administer' }, schema: { tags: ['access'], summary: 'Revoke an API key (by id or name); it stops working at once.', params: z.strictObject({ key: plainText(100).min(1) }), response: { 200: apiKeySchema } } },
    async (request) => revokeApiKey(db, request.params.key, request.principal!.name, now()),
  );
};
