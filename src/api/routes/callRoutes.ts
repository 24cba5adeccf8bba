import { Transform, type Readable } from 'node:stream';
import { z } from 'zod';
import { callMatchStatuses } from '../../domain/callMatchStatus.ts';
import { findCalls, type CallPosition } from '../../services/callSearch.ts';
import { ingestCallInputs } from '../../services/ingestCallInputs.ts';
import { BillingError } from '../../domain/billingError.ts';
import '../apiAccess.ts';
import type { ApiRouteModule } from '../apiContext.ts';
import { cursorKeys, encodeCursor, invalidCursor, instant, pageOf, pageQueryShape, plainText, slugId } from '../apiSchemas.ts';

/** An upload larger than this is cut off (413); it is read as a stream, never held whole. */
export const callUploadLimitBytes = 2 * 1024 ** 3;

const dateOrInstant = z
  .string()
  .max(40)
  .refine((v) => /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(v) && !Number.isNaN(Date.parse(v)), 'must be a date YYYY-MM-DD (midnight UTC) or an ISO 8601 instant with its offset')
  .transform((v) => new Date(v))
  .meta({ description: 'A date YYYY-MM-DD (midnight UTC) or an ISO 8601 instant with its offset.' });

const callSchema = z
  .object({
    id: z.number().int(),
    source: z.string(),
    externalId: z.string(),
    conferenceId: z.string().nullable(),
    startedAt: instant,
    durationSeconds: z.number().int(),
    category: z.string(),
    direction: z.string(),
    protocol: z.string().nullable(),
    localAlias: z.string().nullable(),
    remoteAlias: z.string().nullable(),
    tenant: z.string().nullable(),
    matchStatus: z.enum(callMatchStatuses),
    customerId: z.string().nullable(),
    matchRule: z.string().nullable(),
    invoiceId: z.string().nullable(),
  })
  .meta({ id: 'Call' });

const rejectSchema = z.object({ file: z.string(), line: z.number().int().nullable(), field: z.string().nullable(), reason: z.string() });
const summarySchema = z
  .object({
    read: z.number().int(),
    new: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    conflicts: z.number().int().meta({ description: 'Changes to invoiced calls, refused and kept (report refused-changes).' }),
    rejected: z.number().int(),
    excluded: z.number().int(),
    excludedReasons: z.record(z.string(), z.number().int()),
    firstRejects: z.array(rejectSchema),
  })
  .meta({ id: 'IngestSummary' });

function positionOf(cursor: string): CallPosition {
  const [at, id] = cursorKeys(cursor, 2) as [string, string];
  const startedAt = new Date(at);
  if (Number.isNaN(startedAt.getTime()) || !/^\d+$/.test(id)) throw invalidCursor();
  return { startedAt, id: Number(id) };
}

/** Counts the bytes of an upload and stops it past the limit. */
function bounded(stream: Readable, limit: number): Readable {
  let seen = 0;
  return stream.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        if (seen > limit) done(Object.assign(new Error(`The upload is larger than ${limit} bytes; split it.`), { statusCode: 413, code: 'body-too-large' }));
        else done(null, chunk);
      },
    }),
  );
}

/** Calls: search, and call data uploaded in any supported format. */
export const callRoutes: ApiRouteModule = (app, { db, now, metrics }) => {
  app.get(
    '/api/v1/calls',
    {
      config: { access: 'read' },
      schema: {
        tags: ['calls'],
        summary: 'Search calls by customer, source, start range, alias, match status and invoicing; newest first.',
        querystring: z.strictObject({
          customer: slugId.optional(),
          source: slugId.optional(),
          from: dateOrInstant.optional().meta({ description: 'Calls that started at or after this.' }),
          to: dateOrInstant.optional().meta({ description: 'Calls that started before this.' }),
          alias: plainText(500).min(1).optional().meta({ description: 'The local or remote alias, exactly (case-insensitive).' }),
          status: z.enum(callMatchStatuses).optional(),
          invoiced: z.enum(['true', 'false']).optional(),
          ...pageQueryShape,
        }),
        response: { 200: pageOf(callSchema) },
      },
    },
    async (request) => {
      const q = request.query;
      const { calls, next } = await findCalls(
        db,
        { customerId: q.customer, source: q.source, from: q.from, to: q.to, alias: q.alias, status: q.status, invoiced: q.invoiced === undefined ? undefined : q.invoiced === 'true' },
        { limit: q.limit, after: q.cursor === undefined ? undefined : positionOf(q.cursor) },
      );
      return {
        items: calls.map((c) => ({ ...c, startedAt: c.startedAt.toISOString() })),
        nextCursor: next ? encodeCursor(next.startedAt.toISOString(), String(next.id)) : null,
      };
    },
  );

  void app.register(async (scope) => {
    // The body is the file itself, whatever its media type, read as it arrives.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    (scope as typeof app).post(
      '/api/v1/calls/uploads',
      {
        config: { access: 'ingest' },
        schema: {
          tags: ['calls'],
          summary: 'Upload a file of call data (the body is the file); stores, matches and rates it, and answers the ingest summary.',
          querystring: z.strictObject({
            format: z.string().max(40).optional().meta({ description: 'The format (confbill-csv, cms-xml, pexip-history, …); else the source’s configured one.' }),
            source: slugId.optional(),
            name: plainText(200).min(1).optional().meta({ description: 'The file name its rejects carry (default: upload).' }),
          }),
          response: { 200: z.object({ format: z.string(), outcome: z.enum(['read', 'empty', 'unreadable']), summary: summarySchema }) },
        },
      },
      async (request) => {
        const name = `upload:${request.query.name ?? 'upload'}`;
        const stream = bounded(request.body as Readable, callUploadLimitBytes);
        const result = await ingestCallInputs(db, [{ name, stream }], { format: request.query.format, source: request.query.source, now: now() });
        const input = result.inputs[0]!;
        const source = request.query.source ?? result.format;
        metrics.recordsIngested.inc({ source }, input.summary.read);
        metrics.recordsRejected.inc({ source }, input.summary.rejected);
        if (input.outcome === 'unreadable') {
          const first = input.summary.firstRejects[0];
          throw new BillingError(
            'unreadable-input',
            `No record of the upload could be read as ${result.format}${first ? ` (line ${first.line ?? '?'}${first.field ? `, ${first.field}` : ''}: ${first.reason})` : ''}; its ${input.summary.rejected} rejects are kept. Check the format.`,
            { field: 'format' },
          );
        }
        const summary = input.summary;
        return {
          format: result.format,
          outcome: input.outcome,
          summary: { ...summary, firstRejects: summary.firstRejects.map((r) => ({ file: r.file, line: r.line ?? null, field: r.field ?? null, reason: r.reason })) },
        };
      },
    );
  });
};
