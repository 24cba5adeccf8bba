import type { components } from './openApiTypes';

/**
 * An error answer of the API (application/problem+json), as openapi.json documents it; a refusal
 * that passes later (the settlement delay) also says from when and for which customer.
 */
export type Problem = components['schemas']['Problem'] & Pick<components['schemas']['SettlementDelayProblem'], 'allowedAfter' | 'customerId'>;

/** A refused or failed API call: the page shows its detail and the field to fix. */
export class ProblemError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.problem = problem;
  }
}

/** A problem the page itself observed (the network broke, an answer that is no problem+json), in the API's shape. */
export function clientProblem(code: string, title: string, detail: string, status = 0): Problem {
  return { type: `urn:confbill:problem:${code}`, title, status, detail, code };
}

export function problemOf(body: unknown, response: Response): Problem {
  if (typeof body === 'object' && body !== null && 'title' in body && 'status' in body) return body as Problem;
  return clientProblem(
    `http-${response.status}`,
    response.statusText || 'Request failed',
    response.status >= 500 ? 'The server could not answer; try again, and if it keeps failing look at the server log.' : `The server answered ${response.status}.`,
    response.status,
  );
}
