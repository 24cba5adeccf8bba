import Fastify, { type FastifyInstance } from 'fastify';
import type { Database } from '../services/openDatabase.ts';
import { pexipEventSink } from './pexipEventSink.ts';
import { cmsCdrReceiver } from './cmsCdrReceiver.ts';
import { registerCdrReceiver } from './registerCdrReceiver.ts';

/**
 * The HTTP server of `confbill serve`. It answers `GET /healthz` with 200 once the database answers
 * (migrations have run when the database was opened), and 503 when it does not.
 */
export interface ServerLimits {
  /** A request (head and body) not complete this long after it began is answered 408 and cut. */
  requestTimeoutMs: number;
  /** A connection that sends nothing for this long is closed. */
  idleTimeoutMs: number;
  /** Connections beyond this many at once are closed as they come, without an answer. */
  maxConnections: number;
}

export const defaultServerLimits: ServerLimits = { requestTimeoutMs: 30_000, idleTimeoutMs: 60_000, maxConnections: 256 };

export function buildServer(db: Database, limits: Partial<ServerLimits> = {}): FastifyInstance {
  const { requestTimeoutMs, idleTimeoutMs, maxConnections } = { ...defaultServerLimits, ...limits };
  // A sender that trickles or stalls its body is cut off instead of holding a connection and its
  // buffer. Node enforces the request timeout only when it checks its connections (every 30 s by
  // default) and, when the headers timeout (60 s by default) is the longer, takes that one for the
  // whole request: a body was cut between 60 and 90 s. Headers get the same time as the request, and
  // the check runs often enough for the cut to come within a tenth of the timeout.
  const app = Fastify({
    logger: false,
    requestTimeout: requestTimeoutMs,
    connectionTimeout: idleTimeoutMs,
    http: { requestTimeout: requestTimeoutMs, headersTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(requestTimeoutMs / 10))) },
  });
  // Each connection holds memory and a file descriptor; past the cap new ones are dropped at once.
  app.server.maxConnections = maxConnections;
  app.get('/healthz', async (_request, reply) => {
    try {
      await db.query('SELECT 1');
      return { status: 'ok' };
    } catch (error) {
      return reply.code(503).send({ status: 'unavailable', error: error instanceof Error ? error.message : String(error) });
    }
  });
  // CDR receivers: one registerCdrReceiver(app, db, route) line per vendor endpoint.
  registerCdrReceiver(app, db, cmsCdrReceiver);
  registerCdrReceiver(app, db, pexipEventSink);
  return app;
}
