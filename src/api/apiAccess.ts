import type { Permission, Principal } from '../domain/accessRole.ts';

/**
 * What a route asks of its caller: one permission of a role (src/domain/accessRole.ts), `signed-in`
 * (any valid credential: who am I, sign out), or `public` (health, sign-in, the API documentation).
 * Every route states one; `buildServer` refuses to start with a route that does not, so nothing is
 * reachable by default.
 */
export type RouteAccess = Permission | 'public' | 'signed-in';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** The route's `:key` parameter is an API key (CDR receivers for senders that can only be given a URL); on no other route is a path parameter a credential. */
    keyInPath?: boolean;
  }
  interface FastifyRequest {
    /** Who is calling; set by the access check before the handler runs (absent on public routes). */
    principal?: Principal;
    /** The CSRF token of the caller's session, when it came with a session cookie. */
    csrfToken?: string;
  }
}
