import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../services/openDatabase.ts';
import type { ApiAuthenticator } from './apiAuthenticator.ts';
import type { ApiMetrics } from './apiMetrics.ts';

/** The Fastify instance routes are declared on: request and response types come from zod schemas. */
export type ApiApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

/** What every route module gets. */
export interface ApiContext {
  db: Database;
  authenticator: ApiAuthenticator;
  metrics: ApiMetrics;
  /** The clock (tests set it). */
  now: () => Date;
}

/** A group of routes (one area of the API), registered by `buildServer`. */
export type ApiRouteModule = (app: ApiApp, context: ApiContext) => void;
