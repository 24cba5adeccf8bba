import type { ApiProblem } from './apiProblem.ts';

/**
 * Seconds a client waits before trying again after a 503 (the database is not available): a
 * PostgreSQL restart takes a few seconds, and a sender that resends sooner only adds load.
 */
export const unavailableRetryAfterSeconds = 2;

/**
 * The Retry-After header of a problem answer, if it has one: when a refusal for the settlement delay
 * will pass, or for a 503 the wait above. The one place where answers get it.
 */
export function retryAfterOf(problem: ApiProblem, now: Date): string | undefined {
  if (problem.allowedAfter) return String(Math.max(1, Math.ceil((Date.parse(problem.allowedAfter) - now.getTime()) / 1000)));
  if (problem.status === 503) return String(unavailableRetryAfterSeconds);
  return undefined;
}
