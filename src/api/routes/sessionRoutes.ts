import { z } from 'zod';
import { accessRoles, permissions, permissionsOf, type Principal } from '../../domain/accessRole.ts';
import '../apiAccess.ts';
import type { ApiRouteModule } from '../apiContext.ts';
import { apiProblem, apiProblemSchema, problemMediaType } from '../apiProblem.ts';
import { plainText } from '../apiSchemas.ts';
import { sessionCookieName, sessionCookieOf } from '../requestCredential.ts';

const whoAmI = z
  .object({
    kind: z.enum(['user', 'api-key', 'cli']),
    name: z.string(),
    role: z.enum(accessRoles),
    permissions: z.array(z.enum(permissions)).meta({ description: 'What the role may do: the web admin offers only these.' }),
    csrfToken: z.string().optional().meta({ description: 'The CSRF token of the session, when the call came with the session cookie (a page reloaded in the browser reads it here).' }),
  })
  .meta({ id: 'Principal' });

function principalView(principal: Principal, csrfToken: string | undefined): z.infer<typeof whoAmI> {
  return { kind: principal.kind, name: principal.name, role: principal.role, permissions: permissionsOf(principal.role), ...(csrfToken === undefined ? {} : { csrfToken }) };
}

/** Sign in (a cookie session for the web admin), who am I, sign out. */
export const sessionRoutes: ApiRouteModule = (app, { authenticator, now }) => {
  app.post(
    '/api/v1/session',
    {
      config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['session'],
        summary: 'Sign in with a user name and password; sets the session cookie.',
        security: [],
        body: z.strictObject({ name: plainText(64).min(1), password: z.string().min(1).max(1024) }),
        response: { 200: whoAmI.extend({ csrfToken: z.string(), expiresAt: z.string() }), 401: apiProblemSchema },
      },
    },
    async (request, reply) => {
      const principal = await authenticator.password(request.body.name, request.body.password, now());
      if (!principal) return reply.code(401).type(problemMediaType).send(apiProblem(401, 'unauthenticated', 'Not signed in', 'The name or the password is wrong, or the user is disabled.'));
      const startedAt = now();
      const session = await authenticator.startSession(principal, startedAt);
      // Max-Age, not Expires: the browser counts the session's life from its own clock, so a server
      // clock set elsewhere (a fixed CONFBILL_NOW, a skewed host) neither drops the cookie at once nor keeps it longer.
      const maxAge = Math.max(1, Math.floor((session.expiresAt.getTime() - startedAt.getTime()) / 1000));
      void reply.setCookie(sessionCookieName, session.token, { httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', path: '/', maxAge });
      return { ...principalView(principal, undefined), csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
    },
  );
  app.get('/api/v1/session', { config: { access: 'signed-in' }, schema: { tags: ['session'], summary: 'Who is calling: the user or key and its role.', response: { 200: whoAmI } } }, async (request) => {
    return principalView(request.principal!, request.csrfToken);
  });
  app.delete('/api/v1/session', { config: { access: 'signed-in' }, schema: { tags: ['session'], summary: 'Sign out: ends the session of the cookie.' } }, async (request, reply) => {
    const token = sessionCookieOf(request.headers.cookie);
    if (token) await authenticator.endSession(token);
    void reply.clearCookie(sessionCookieName, { path: '/' });
    return reply.code(204).send();
  });
};
