import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './openApiTypes';
import { ProblemError, problemOf } from './ProblemError';

/**
 * The Billing API, typed from the committed openapi.json (`npm run api-types -w web` regenerates
 * openApiTypes.ts). The browser sends the session cookie; changes also carry the session's CSRF token.
 */
export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });

let csrfToken: string | undefined;
const signedOutListeners = new Set<() => void>();

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when the API says the session is gone (expired, signed out elsewhere, user disabled). */
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    if (csrfToken !== undefined && request.method !== 'GET' && request.method !== 'HEAD') request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && !request.url.endsWith('/api/v1/session')) for (const listener of signedOutListeners) listener();
    return response;
  },
};
api.use(sessionMiddleware);

/** The data of an API answer, or a ProblemError carrying the problem+json the API answered. */
export async function dataOf<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ProblemError(problemOf(error, response));
  return data as T;
}

/** The headers of an edit made on a version the page read (plans and drafts answer 412 when it is stale). */
export function ifMatch(etag: string | undefined): { 'if-match': string } {
  if (etag === undefined) throw new Error('The page has no version of this record to edit: reload it.');
  return { 'if-match': etag };
}

/** Fetches with the ETag of the answer (plans and drafts): the version later edits must name. */
export async function dataWithEtag<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<{ data: T; etag: string | undefined }> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ProblemError(problemOf(error, response));
  return { data: data as T, etag: response.headers.get('etag') ?? undefined };
}
