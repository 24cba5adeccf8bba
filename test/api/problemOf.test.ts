import { describe, expect, it } from 'vitest';
import { problemOf } from '../../src/api/problemOf.ts';
import { BillingError, type BillingErrorCode } from '../../src/domain/billingError.ts';
import { exitCodeOf } from '../../src/cli/exitCodes.ts';

// Issue 10: the API answers a BillingError as application/problem+json naming the field, in the
// service's own words, with no flag and no command of the CLI.
describe('problemOf', () => {
  it('names the field of a refused value and keeps the sentence of the service', () => {
    const error = new BillingError('invalid-argument', 'The start date "2026-13-01" is not a date YYYY-MM-DD.', { field: 'from', value: '2026-13-01' });
    expect(problemOf(error)).toEqual({
      type: 'urn:confbill:problem:invalid-argument',
      title: 'Invalid input',
      status: 400,
      detail: 'The start date "2026-13-01" is not a date YYYY-MM-DD.',
      field: 'from',
      code: 'invalid-argument',
    });
  });

  it('gives a missing thing 404 and leaves the CLI remedy out', () => {
    const error = new BillingError('not-found', 'No plan with id "gold".', { field: 'plan', value: 'gold', remedy: 'list-plans' });
    expect(problemOf(error)).toEqual({ type: 'urn:confbill:problem:not-found', title: 'Not found', status: 404, detail: 'No plan with id "gold".', field: 'plan', code: 'not-found' });
  });

  it('carries the allowed values and each problem of a refused document', () => {
    const formats = new BillingError('invalid-argument', 'Unknown format "xlsx". Known formats: confbill-csv, dma-csv.', { field: 'format', value: 'xlsx', allowed: ['confbill-csv', 'dma-csv'] });
    expect(problemOf(formats)).toMatchObject({ status: 400, field: 'format', allowed: ['confbill-csv', 'dma-csv'] });
    const config = new BillingError('invalid-config', 'c.yaml is not valid, nothing was applied: plans[0].monthlyFee: must be a decimal number.', { problems: ['plans[0].monthlyFee: must be a decimal number'] });
    expect(problemOf(config)).toEqual({
      type: 'urn:confbill:problem:invalid-config',
      title: 'Invalid configuration',
      status: 400,
      detail: 'c.yaml is not valid, nothing was applied: plans[0].monthlyFee: must be a decimal number.',
      code: 'invalid-config',
      problems: ['plans[0].monthlyFee: must be a decimal number'],
    });
  });

  it('tells a client nothing of the installation when the server side fails: the message is for the log', () => {
    const error = new BillingError('storage', 'Cannot use the PostgreSQL database "billing" on db.internal:5432: password authentication failed for user "confbill". Check DATABASE_URL.');
    const problem = problemOf(error);
    expect(problem).toEqual({ type: 'urn:confbill:problem:storage', title: 'Database unavailable', status: 503, detail: 'The server cannot answer this request now; the cause is logged for its operator.', code: 'storage' });
    expect(problemOf(new BillingError('invariant-violated', 'Invoice 7 does not add up.')).detail).not.toContain('Invoice 7');
  });

  it('has a title and a 4xx or 5xx status for every code', () => {
    for (const code of Object.keys(exitCodeOf) as BillingErrorCode[]) {
      const problem = problemOf(new BillingError(code, 'x'));
      expect(problem.title, code).toMatch(/^[A-Z][a-z]+( [a-z]+)*$/);
      expect(problem.status, code).toBeGreaterThanOrEqual(400);
      expect(problem.status, code).toBeLessThan(600);
    }
  });
});
