import { z } from 'zod';
import { verifyBooks } from '../../services/verifyBooks.ts';
import '../apiAccess.ts';
import type { ApiRouteModule } from '../apiContext.ts';

const invariantCheck = z
  .object({
    name: z.string(),
    rule: z.string().meta({ description: 'What must hold, in words.' }),
    ok: z.boolean(),
    violations: z.number().int().meta({ description: 'How many rows break it.' }),
    examples: z.array(z.record(z.string(), z.unknown())).meta({ description: 'The first offending rows.' }),
    notes: z.array(z.string()).optional().meta({ description: 'Counts that do not make the check fail (work still pending, say).' }),
  })
  .meta({ id: 'InvariantCheck' });

/**
 * `confbill verify` over HTTP: the invariants of the books, checked on the live database. Read-only;
 * a failed invariant is a finding of the check (200 with ok false), not an error of the request.
 */
export const verifyRoutes: ApiRouteModule = (app, { db }) => {
  app.post(
    '/api/v1/verify',
    {
      config: { access: 'read' },
      schema: {
        tags: ['verify'],
        summary: 'Check the invariants of the books (`confbill verify --json`): ok is false when one fails. Read-only.',
        response: { 200: z.object({ ok: z.boolean(), checks: z.array(invariantCheck) }).meta({ id: 'BooksVerification' }) },
      },
    },
    async () => verifyBooks(db),
  );
};
