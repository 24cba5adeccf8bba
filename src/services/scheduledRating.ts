import type { Database } from '../storage/database.ts';
import { claimDueJob, finishJob } from '../storage/scheduledJobStore.ts';
import { runBilling, type MatchSummary, type RatingSummary } from './billingRun.ts';

export const scheduledRatingJob = 'hourly-rating';
const hourMs = 3_600_000;
/** Longer than any rating run; a holder that dies frees the job when its lease runs out. */
const leaseMs = 2 * hourMs;

export type ScheduledRatingOutcome = { ran: false } | { ran: true; match: MatchSummary; rating: RatingSummary; nextDueAt: Date };

/**
 * docs/billing-rules.md §8: billing data is generated at least once an hour. Every `confbill serve` process calls
 * this often; the job row's claim lets one process run it per hour whatever the number of processes.
 * It runs at the top of each hour (of the clock it is given).
 */
export async function runScheduledRating(db: Database, options: { holder: string; now: () => Date }): Promise<ScheduledRatingOutcome> {
  const started = options.now();
  if (!(await claimDueJob(db, scheduledRatingJob, options.holder, started, leaseMs))) return { ran: false };
  const nextDueAt = new Date(Math.floor(started.getTime() / hourMs) * hourMs + hourMs);
  try {
    const { match, rating } = await runBilling(db, { now: started });
    await finishJob(db, scheduledRatingJob, options.holder, options.now(), nextDueAt, null);
    return { ran: true, match, rating, nextDueAt };
  } catch (error) {
    // A failed run is retried at the next check rather than an hour later.
    await finishJob(db, scheduledRatingJob, options.holder, options.now(), options.now(), error instanceof Error ? error.message : String(error));
    throw error;
  }
}
