import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { isBillingError } from '../domain/billingError.ts';
import { checkedSourceId } from '../domain/sourceId.ts';
import type { IngestSummary } from '../services/ingestCalls.ts';
import type { Database } from '../services/openDatabase.ts';
import { httpStatusOf } from './httpStatusOf.ts';

export interface CdrRequest {
  /** The `:source` of the URL, a source id (domain/sourceId.ts): the configured source the records come from. */
  source: string;
  receivedAt: Date;
  /** Names the request in rejects ("http:<id>"), like a file name does for `confbill ingest`. */
  requestId: string;
}

export interface CdrReceiverRoute {
  /** URL path with a `:source` parameter, e.g. `/cdr/cms/:source`. */
  path: string;
  /** Media types accepted (without parameters), e.g. `text/xml`, `application/xml`. */
  contentTypes: string[];
  /**
   * Stores one request body's records and resolves only once they are committed: the sender gets
   * 200 only for what is durable (CMS and Pexip resend until then). Throws a BillingError
   * `unreadable-input` for a body that is not the format at all (nothing stored, 400); records that
   * are bad one by one are rejects, kept, and the rest goes in (200).
   */
  store: (db: Database, body: Buffer, request: CdrRequest) => Promise<IngestSummary>;
}

/** Bounds that keep a receiver alive against huge, slow or garbage requests. */
export const cdrReceiverLimits = {
  /** A CMS POST holds a few records; 10 MB bodies are refused with 413 without being buffered whole. */
  bodyLimitBytes: 4 * 1024 * 1024,
};

/**
 * Registers one CDR receiver endpoint. The body is read as raw bytes (bounded by the limit) and handed
 * to the route's store; its errors become clear 4xx answers, and anything unexpected a 500 so that
 * the sender keeps the records and tries again.
 */
export function registerCdrReceiver(app: FastifyInstance, db: Database, route: CdrReceiverRoute): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(route.contentTypes, { parseAs: 'buffer', bodyLimit: cdrReceiverLimits.bodyLimitBytes }, (_request, body, done) => done(null, body));
    scope.addContentTypeParser('*', (request, _payload, done) => {
      const error = Object.assign(new Error(`Content-Type "${request.headers['content-type'] ?? ''}" is not accepted here; send ${route.contentTypes.join(' or ')}.`), { statusCode: 415 });
      done(error, undefined);
    });
    scope.post<{ Params: { source: string } }>(route.path, { bodyLimit: cdrReceiverLimits.bodyLimitBytes }, async (request, reply) => {
      const body = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) return reply.code(400).send({ error: 'empty-body', message: 'The request has no body; send the records as the request body.' });
      const requestId = randomUUID();
      try {
        // Checked before anything is read or stored: the id becomes a key of stored calls and records.
        const source = checkedSourceId(request.params.source, 'The source id in the URL');
        const summary = await route.store(db, body, { source, receivedAt: new Date(), requestId });
        return reply.code(200).send({ requestId, read: summary.read, new: summary.new, updated: summary.updated, unchanged: summary.unchanged, rejected: summary.rejected, excluded: summary.excluded });
      } catch (error) {
        // A 5xx makes the sender keep the records and resend: right for outages, never for bad input.
        if (isBillingError(error)) return reply.code(httpStatusOf[error.code]).send({ error: error.code, message: error.message });
        throw error;
      }
    });
  });
}
