import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../services/openDatabase.ts';
import { billingBacklog } from '../services/billingBacklog.ts';
import { roleMayDo } from '../domain/accessRole.ts';
import './apiAccess.ts';
import type { RouteAccess } from './apiAccess.ts';
import type { ApiAuthenticator } from './apiAuthenticator.ts';
import type { ApiApp, ApiContext, ApiRouteModule } from './apiContext.ts';
import { createApiMetrics, type ApiMetrics } from './apiMetrics.ts';
import { apiProblem, problemMediaType, type ApiProblem } from './apiProblem.ts';
import { apiRouteModules } from './apiRouteModules.ts';
import { cmsCdrReceiver } from './cmsCdrReceiver.ts';
import { pexipEventSink } from './pexipEventSink.ts';
import { retryAfterOf } from './retryAfterOf.ts';
import { problemOfError } from './problemOfError.ts';
import { registerCdrReceiver } from './registerCdrReceiver.ts';
import { registerWebAdmin, webAdminBuildDir } from './webAdmin.ts';
import { csrfHeaderName, requestCredential, sessionCookieName, sessionCookieOf } from './requestCredential.ts';

export interface ServerLimits {
  /** A request (head and body) not complete this long after it began is answered 408 and cut. */
  requestTimeoutMs: number;
  /** A connection that sends nothing for this long is closed. */
  idleTimeoutMs: number;
  /** Connections beyond this many at once are closed as they come, without an answer. */
  maxConnections: number;
}

export const defaultServerLimits: ServerLimits = { requestTimeoutMs: 30_000, idleTimeoutMs: 60_000, maxConnections: 256 };

export interface ServerOptions {
  limits?: Partial<ServerLimits>;
  authenticator: ApiAuthenticator;
  /** A pino logger option of Fastify (`confbill serve` logs JSON lines); off when absent. */
  logger?: boolean | object;
  now?: () => Date;
  /** Also export the process's own metrics (memory, CPU, event loop): `confbill serve` does. */
  processMetrics?: boolean;
  /** The folder of the built web admin served at `/` (default: the `web/` workspace's build). */
  webAdminDir?: string;
  /** Extra route modules (tests); the API's own are always registered. */
  routeModules?: readonly ApiRouteModule[];
}

/** Every route with what it asks of its caller: the authorization matrix test walks it. */
export interface RouteRule {
  method: string;
  url: string;
  access: RouteAccess;
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes whose URL begins with one of these are Fastify's or a plugin's (the API documentation): public. */
const publicPrefixes = ['/api/docs'];

function sendProblem(reply: import('fastify').FastifyReply, problem: ApiProblem): import('fastify').FastifyReply {
  return reply.code(problem.status).type(problemMediaType).send(problem);
}

/**
 * The HTTP server of `confbill serve`: the Billing API under `/api/v1`, its OpenAPI document
 * (`/api/openapi.json`, browsable at `/api/docs`), the CDR receivers (`/cdr/<vendor>/<source>`),
 * `/healthz`, `/readyz`, `/metrics`, and the web admin at `/` (webAdmin.ts). Every route states what it asks of its caller (apiAccess.ts);
 * one without a rule stops the server from starting.
 */
export function buildServer(db: Database, options: ServerOptions): FastifyInstance & { routeRules: RouteRule[]; metrics: ApiMetrics } {
  const { requestTimeoutMs, idleTimeoutMs, maxConnections } = { ...defaultServerLimits, ...options.limits };
  // A sender that trickles or stalls its body is cut off instead of holding a connection and its
  // buffer. Node enforces the request timeout only when it checks its connections (every 30 s by
  // default) and, when the headers timeout (60 s by default) is the longer, takes that one for the
  // whole request: a body was cut between 60 and 90 s. Headers get the same time as the request, and
  // the check runs often enough for the cut to come within a tenth of the timeout.
  const fastify = Fastify({
    logger: options.logger ?? false,
    requestTimeout: requestTimeoutMs,
    connectionTimeout: idleTimeoutMs,
    return503OnClosing: true,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    bodyLimit: 1024 * 1024,
    http: { requestTimeout: requestTimeoutMs, headersTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(requestTimeoutMs / 10))) },
  });
  const app = fastify.withTypeProvider<ZodTypeProvider>() as unknown as ApiApp;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Each connection holds memory and a file descriptor; past the cap new ones are dropped at once.
  app.server.maxConnections = maxConnections;

  const metrics = createApiMetrics({ processMetrics: options.processMetrics === true, backlog: () => billingBacklog(db) });
  const context: ApiContext = { db, authenticator: options.authenticator, metrics, now: options.now ?? (() => new Date()) };
  const routeRules: RouteRule[] = [];

  app.addHook('onRoute', (route) => {
    const access = route.config?.access ?? (publicPrefixes.some((p) => route.url.startsWith(p)) ? 'public' : undefined);
    if (access === undefined) throw new Error(`Route ${String(route.method)} ${route.url} states no access rule (config.access): every route must.`);
    route.config = { ...route.config, access };
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeRules.push({ method, url: route.url, access });
  });

  app.setErrorHandler((error, request, reply) => {
    const { problem, unexpected } = problemOfError(error);
    if (unexpected) request.log.error({ err: error }, 'request failed');
    const retryAfter = retryAfterOf(problem, context.now());
    if (retryAfter) void reply.header('retry-after', retryAfter);
    return sendProblem(reply, problem);
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, apiProblem(404, 'not-found', 'Not found', `There is no ${request.method} ${request.url.split('?')[0]!.slice(0, 200)} here; see /api/docs for the API.`)));

  void app.register(fastifyCookie);
  void app.register(fastifyHelmet, {
    // The API documentation page runs swagger-ui's script and styles from this server only.
    // Served over plain HTTP on a provider's network as often as behind TLS: no forced upgrade.
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'], frameAncestors: ["'none'"], upgradeInsecureRequests: null } },
  });
  void app.register(fastifyRateLimit, { global: false });

  // Who is calling, before the body is read: an unauthenticated upload is refused without reading it.
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (access === undefined || access === 'public') return;
    // Only a receiver's URL carries a key: elsewhere a `:key` parameter names one (revoke), and is no credential.
    const keyInPath = request.routeOptions.config.keyInPath ? (request.params as { key?: unknown } | undefined)?.key : undefined;
    const credential = requestCredential(request.headers.authorization, sessionCookieOf(request.headers.cookie), typeof keyInPath === 'string' ? keyInPath : undefined);
    const now = context.now();
    let principal;
    if (credential.kind === 'malformed') return sendProblem(reply, apiProblem(401, 'unauthenticated', 'Not signed in', credential.reason));
    if (credential.kind === 'api-key') principal = await options.authenticator.apiKey(credential.secret, now);
    else if (credential.kind === 'password') {
      // User passwords are checked at sign-in only (rate-limited there); everywhere else a program
      // sends an API key, as a bearer token or as the basic-auth password.
      return sendProblem(reply, apiProblem(401, 'unauthenticated', 'Not signed in', 'HTTP basic auth takes an API key as its password here (any user name); sign in at POST /api/v1/session for a browser session.'));
    } else if (credential.kind === 'session') {
      const session = await options.authenticator.session(credential.token, now);
      if (session && unsafeMethods.has(request.method) && !sameSecret(request.headers[csrfHeaderName], session.csrfToken)) {
        return sendProblem(reply, apiProblem(403, 'csrf', 'Not allowed', `A change made with a session cookie must send the session's CSRF token in the ${csrfHeaderName} header.`, csrfHeaderName));
      }
      principal = session?.principal;
      if (session) request.csrfToken = session.csrfToken;
    }
    if (!principal) {
      void reply.header('www-authenticate', 'Bearer realm="confbill", Basic realm="confbill"');
      return sendProblem(reply, apiProblem(401, 'unauthenticated', 'Not signed in', credential.kind === 'none' ? 'This needs a credential: an API key (Authorization: Bearer …) or a session.' : 'The credential is unknown, revoked, expired or of a disabled user.'));
    }
    if (access !== 'signed-in' && !roleMayDo(principal.role, access)) {
      return sendProblem(reply, apiProblem(403, 'forbidden', 'Not allowed', `The role ${principal.role} may not do this (it needs the ${access} permission).`));
    }
    request.principal = principal;
  });

  // Stopping (`confbill serve` on SIGTERM): answers still in flight close their connection, so that a
  // keep-alive connection busy when the stop came does not hold the process until its idle timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) void reply.header('connection', 'close');
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requestDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  void app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'confbill Billing API', version: '1', description: 'Customers, plans, call data, invoices and reports of confbill. Money is a decimal string, instants ISO 8601 UTC, dates YYYY-MM-DD. Errors are application/problem+json.' },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (`confbill apikey create`).' },
          basicApiKey: { type: 'http', scheme: 'basic', description: 'Any user name, an API key as the password (CDR senders).' },
          session: { type: 'apiKey', in: 'cookie', name: sessionCookieName, description: 'The session of POST /api/v1/session; changes also send its CSRF token in X-CSRF-Token.' },
        },
      },
      security: [{ apiKey: [] }, { basicApiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  void app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  void app.register(async (scope) => {
    const api = scope as unknown as ApiApp;
    api.get('/healthz', { config: { access: 'public' }, schema: { hide: true } }, async () => ({ status: 'ok' }));
    api.get('/readyz', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
      try {
        await db.query('SELECT 1');
        return { status: 'ready' };
      } catch {
        return reply.code(503).send({ status: 'unavailable' });
      }
    });
    api.get('/metrics', { config: { access: 'read' }, schema: { hide: true } }, async (_request, reply) => {
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
    api.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => fastify.swagger());
    for (const module of [...apiRouteModules, ...(options.routeModules ?? [])]) module(api, context);
  });
  // CDR receivers: one registerCdrReceiver line per vendor endpoint.
  registerCdrReceiver(app, context, cmsCdrReceiver);
  registerCdrReceiver(app, context, pexipEventSink);
  registerWebAdmin(fastify, options.webAdminDir ?? webAdminBuildDir);
  return Object.assign(fastify, { routeRules, metrics });
}

/** Compares a header with a secret in constant time. */
function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}


