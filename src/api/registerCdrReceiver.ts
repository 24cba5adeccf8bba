import { randomUUID } from 'node:crypto';
import { isBillingError } from '../domain/billingError.ts';
import { checkedSourceId } from '../domain/sourceId.ts';
import type { IngestSummary } from '../services/ingestCalls.ts';
import type { Database } from '../services/openDatabase.ts';
import './apiAccess.ts';
import type { ApiApp, ApiContext } from './apiContext.ts';
import { apiProblem, problemMediaType } from './apiProblem.ts';
import { problemOfError } from './problemOfError.ts';
import { retryAfterOf } from './retryAfterOf.ts';

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
 * Registers one CDR receiver endpoint, twice: `<path>` takes an API key of the ingest role in the
 * Authorization header (bearer, or as the basic-auth password: what the Pexip event sink sends), and
 * `<path>/:key` takes it in the URL, for senders that can only be given a URL (the CMS CDR receiver
 * URI). The body is read as raw bytes (bounded by the limit) and handed to the route's store; its
 * errors become clear 4xx answers, and anything unexpected a 500 so that the sender keeps the records
 * and tries again. A source that is not configured is refused (404).
 */
export function registerCdrReceiver(app: ApiApp, context: ApiContext, route: CdrReceiverRoute): void {
  const { db, metrics } = context;
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(route.contentTypes, { parseAs: 'buffer', bodyLimit: cdrReceiverLimits.bodyLimitBytes }, (_request, body, done) => done(null, body));
    scope.addContentTypeParser('*', (request, _payload, done) => {
      const error = Object.assign(new Error(`Content-Type "${request.headers['content-type'] ?? ''}" is not accepted here; send ${route.contentTypes.join(' or ')}.`), { statusCode: 415 });
      done(error, undefined);
    });
    const receive = async (request: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
      const body = request.body;
      const params = request.params as { source: string };
      if (!Buffer.isBuffer(body) || body.length === 0) {
        return reply.code(400).type(problemMediaType).send(apiProblem(400, 'empty-body', 'Bad request', 'The request has no body; send the records as the request body.', 'body'));
      }
      const requestId = randomUUID();
      try {
        // Checked before anything is read or stored: the id becomes a key of stored calls and records.
        const source = checkedSourceId(params.source, 'The source id in the URL');
        const summary = await route.store(db, body, { source, receivedAt: context.now(), requestId });
        metrics.recordsIngested.inc({ source }, summary.read);
        metrics.recordsRejected.inc({ source }, summary.rejected);
        return reply.code(200).send({ requestId, read: summary.read, new: summary.new, updated: summary.updated, unchanged: summary.unchanged, rejected: summary.rejected, excluded: summary.excluded });
      } catch (error) {
        // A 5xx makes the sender keep the records and resend: right for outages, never for bad input.
        // The database not available (a restart, an outage) is a BillingError `storage`: 503 with
        // Retry-After, and nothing of the body was committed, so the sender's resend stores it.
        if (isBillingError(error)) {
          const { problem } = problemOfError(error);
          if (problem.status >= 500) request.log.warn({ err: error }, 'records not stored');
          const retryAfter = retryAfterOf(problem, context.now());
          if (retryAfter) void reply.header('retry-after', retryAfter);
          return reply.code(problem.status).type(problemMediaType).send(problem);
        }
        throw error;
      }
    };
    const options = { bodyLimit: cdrReceiverLimits.bodyLimitBytes, config: { access: 'ingest' as const }, schema: { hide: true } };
    scope.post(route.path, options, receive);
    scope.post(`${route.path}/:key`, { ...options, config: { ...options.config, keyInPath: true } }, receive);
  });
}
