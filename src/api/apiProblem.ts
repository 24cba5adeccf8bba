import { z } from 'zod';

/** An error answer of the API (RFC 9457 `application/problem+json`). */
export interface ApiProblem {
  /** `urn:confbill:problem:<code>`: stable, for programs. */
  type: string;
  /** A short summary of the kind of problem, the same for every occurrence of the code. */
  title: string;
  status: number;
  /** This occurrence, in a sentence a person can act on. */
  detail: string;
  /** The request field at fault (`from`, `body.lines[0].quantity`, `If-Match`), when there is one. */
  field?: string;
  /** The error code (a BillingError code, or one of the API's own: unauthenticated, forbidden, …). */
  code: string;
  /** The values the field may take, when they are few. */
  allowed?: string[];
  /** Each problem of a refused document (a configuration, a plan). */
  problems?: string[];
  /** A refusal that will pass later (the settlement delay): from when (also as Retry-After), and for which customer. */
  allowedAfter?: string;
  customerId?: string;
}

export const apiProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    field: z.string().optional(),
    code: z.string(),
    allowed: z.array(z.string()).optional(),
    problems: z.array(z.string()).optional(),
  })
  .meta({ id: 'Problem', description: 'An error answer (RFC 9457 application/problem+json).' });

export const problemMediaType = 'application/problem+json';

export function apiProblem(status: number, code: string, title: string, detail: string, field?: string): ApiProblem {
  return { type: `urn:confbill:problem:${code}`, title, status, detail, ...(field === undefined ? {} : { field }), code };
}
