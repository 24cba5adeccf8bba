import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isBillingError } from '../domain/billingError.ts';
import { apiProblem, type ApiProblem } from './apiProblem.ts';
import { problemOf } from './problemOf.ts';

const titles = new Map<number, string>([
  [400, 'Bad request'],
  [401, 'Not signed in'],
  [403, 'Not allowed'],
  [404, 'Not found'],
  [405, 'Method not allowed'],
  [408, 'Request timeout'],
  [409, 'Conflict'],
  [412, 'Precondition failed'],
  [413, 'Body too large'],
  [415, 'Unsupported media type'],
  [428, 'Precondition required'],
  [429, 'Too many requests'],
  [503, 'Service unavailable'],
]);

export const titleOfStatus = (status: number): string => titles.get(status) ?? (status >= 500 ? 'Server error' : 'Bad request');

/** The field a zod issue path names: `lines[0].quantity`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** Fastify's own error codes, as the API's codes. */
const fastifyCodes = new Map([
  ['FST_ERR_CTP_INVALID_JSON_BODY', 'invalid-json'],
  ['FST_ERR_CTP_EMPTY_JSON_BODY', 'invalid-json'],
  ['FST_ERR_CTP_BODY_TOO_LARGE', 'body-too-large'],
  ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 'unsupported-media-type'],
  ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 'invalid-request'],
  ['FST_ERR_VALIDATION', 'invalid-request'],
]);

interface FastifyLikeError {
  statusCode?: unknown;
  code?: unknown;
  message?: unknown;
  /** The request field at fault, for the API's own 4xx errors (If-Match, cursor). */
  field?: unknown;
}

/**
 * Any error a request ends with, as a problem answer. Nothing of an unexpected error reaches the
 * caller (no message, no stack): it is a 500 the server logs.
 */
export function problemOfError(error: unknown): { problem: ApiProblem; unexpected: boolean } {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const first = error.validation[0];
    const where = error.validationContext ?? 'body';
    const path = first ? fieldPath(first.instancePath.split('/').filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p))) : '';
    const field = where === 'body' ? path || 'body' : path ? `${where}.${path}` : where;
    const issues = error.validation.map((v) => `${v.instancePath.replace(/^\//, '').replaceAll('/', '.') || where}: ${v.message ?? 'invalid'}`);
    return { problem: apiProblem(400, 'invalid-request', 'Invalid request', `The ${where} is not valid: ${issues.slice(0, 5).join('; ')}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}.`, field), unexpected: false };
  }
  if (isBillingError(error)) {
    const problem = problemOf(error);
    return { problem, unexpected: problem.status >= 500 };
  }
  const fastifyError = (typeof error === 'object' && error !== null ? error : {}) as FastifyLikeError;
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Fastify's own 4xx (invalid JSON, body too large, media type, a __proto__ key): its message names
    // what was wrong with the request and nothing of the server.
    const code = typeof fastifyError.code === 'string' ? (fastifyCodes.get(fastifyError.code) ?? (fastifyError.code.startsWith('FST_') ? 'invalid-request' : fastifyError.code)) : 'invalid-request';
    const message = typeof fastifyError.message === 'string' ? fastifyError.message : titleOfStatus(status);
    const field = typeof fastifyError.field === 'string' ? fastifyError.field : undefined;
    return { problem: apiProblem(status, code, titleOfStatus(status), message.endsWith('.') ? message : `${message}.`, field), unexpected: false };
  }
  return { problem: apiProblem(500, 'internal', 'Server error', 'The server failed to answer this request; it is logged. Try again, and report it if it persists.'), unexpected: true };
}
