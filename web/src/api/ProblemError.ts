/** An error answer of the API (application/problem+json), as the server sends it. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail: string;
  field?: string;
  code: string;
  allowed?: string[];
  problems?: string[];
  allowedAfter?: string;
  customerId?: string;
}

/** A refused or failed API call: the page shows its detail and the field to fix. */
export class ProblemError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.problem = problem;
  }
}

export function problemOf(body: unknown, response: Response): Problem {
  if (typeof body === 'object' && body !== null && 'title' in body && 'status' in body) return body as Problem;
  return {
    title: response.statusText || 'Request failed',
    status: response.status,
    detail: response.status >= 500 ? 'The server could not answer; try again, and if it keeps failing look at the server log.' : `The server answered ${response.status}.`,
    code: 'http-' + response.status,
  };
}
