import { z } from 'zod';
import { runBilling } from '../../services/billingRun.ts';
import '../apiAccess.ts';
import type { ApiRouteModule } from '../apiContext.ts';

const count = (description: string) => z.number().int().meta({ description });

const ratingRunSummary = z
  .object({
    match: z.object({
      matched: count('Pending calls matched to a customer.'),
      noCustomer: count('Pending calls no rule matched (untracked: no-customer).'),
      ambiguous: count('Pending calls several rules matched (untracked: ambiguous).'),
    }),
    rating: z.object({
      customers: count('Customers rated.'),
      items: count('Billing items the rating produced (open and already invoiced alike).'),
      itemsWritten: count('Open items written (new or changed).'),
      itemsDeleted: count('Open items removed.'),
      noPlanCalls: count('Calls of a customer without a plan on their day (untracked: no-plan).'),
      leftDirty: count('Customers whose data changed while they were rated: still marked, the next run rates them.'),
    }),
  })
  .meta({ id: 'RatingRun', description: 'What a rating run did, as `confbill rate` reports it.' });

/** Rating runs: match the pending calls and regenerate every customer's billing data now, as `confbill rate`. */
export const ratingRoutes: ApiRouteModule = (app, { db, now }) => {
  app.post(
    '/api/v1/rating-runs',
    {
      config: { access: 'bill' },
      schema: {
        tags: ['rating'],
        summary: 'Match pending calls and regenerate the billing data of every customer now (`confbill rate`); answers when the run is done, with its summary.',
        response: { 200: ratingRunSummary },
      },
    },
    async () => {
      const { match, rating } = await runBilling(db, { now: now(), all: true });
      return { match: { matched: match.matched, noCustomer: match.noCustomer, ambiguous: match.ambiguous }, rating };
    },
  );
};
