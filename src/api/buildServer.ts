import Fastify, { type FastifyInstance } from 'fastify';
import type { Database } from '../storage/database.ts';
import { pexipEventSink } from './pexipEventSink.ts';
import { cmsCdrReceiver } from './cmsCdrReceiver.ts';
import { registerCdrReceiver } from './registerCdrReceiver.ts';

/**
 * The HTTP server of `confbill serve`. It answers `GET /healthz` with 200 once the database answers
 * (migrations have run when the database was opened), and 503 when it does not.
 */
export interface ServerTimeouts {
  /** A request not complete this long after it began is answered 408. */
  requestTimeoutMs: number;
  /** A connection that sends nothing for this long is closed. */
  idleTimeoutMs: number;
}

export function buildServer(db: Database, timeouts: ServerTimeouts = { requestTimeoutMs: 30_000, idleTimeoutMs: 60_000 }): FastifyInstance {
  // A sender that trickles or stalls its body is cut off instead of holding a connection and its buffer.
  const app = Fastify({ logger: false, requestTimeout: timeouts.requestTimeoutMs, connectionTimeout: timeouts.idleTimeoutMs });
  app.get('/healthz', async (_request, reply) => {
    try {
      await db.query('SELECT 1');
      return { status: 'ok' };
    } catch (error) {
      return reply.code(503).send({ status: 'unavailable', error: error instanceof Error ? error.message : String(error) });
    }
  });
  // CDR receivers (issue 4): one registerCdrReceiver(app, db, route) line per vendor endpoint.
  registerCdrReceiver(app, db, cmsCdrReceiver);
  registerCdrReceiver(app, db, pexipEventSink);
  return app;
}
