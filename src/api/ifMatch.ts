import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

/**
 * The headers a change guarded by ETag/If-Match takes (documented in the OpenAPI document). Loose:
 * Fastify replaces the request's headers with what the schema gives back, and the others must stay.
 */
export const ifMatchHeaders = z.looseObject({
  'if-match': z.string().max(2000).optional().meta({ description: 'The ETag of the version the change is made on (from GET); a stale one is answered 412.' }),
});

/** A revision as a strong entity tag. */
export const entityTag = (revision: string): string => `"${revision}"`;

export function sendRevision(reply: FastifyReply, revision: string): void {
  void reply.header('etag', entityTag(revision));
}

const preconditionRequired = (why: string): Error => Object.assign(new Error(why), { statusCode: 428, code: 'precondition-required', field: 'If-Match' });

/**
 * The revisions an If-Match header accepts (RFC 9110 §13.1.1, strong comparison: a weak tag matches
 * nothing), or undefined when it asks for none: no header or `*` where the check is optional. Where it
 * is required (edits), absent or `*` is a 428: such a change could silently overwrite another
 * operator's, so it must name the version it was made on.
 */
export function ifMatchRevisions(request: FastifyRequest, options: { required: boolean }): string[] | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '') {
    if (options.required) throw preconditionRequired('This change needs an If-Match header with the ETag of what it is made on: read the object (GET), then send its ETag.');
    return undefined;
  }
  if (header.trim() === '*') {
    if (options.required) throw preconditionRequired('If-Match: * is not accepted for this change: send the ETag of the object as it was read, so that no change made meanwhile is overwritten.');
    return undefined;
  }
  return header
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '' && !tag.startsWith('W/'))
    // A tag sent without its quotes is taken as meant.
    .map((tag) => (tag.length >= 2 && tag.startsWith('"') && tag.endsWith('"') ? tag.slice(1, -1) : tag));
}
