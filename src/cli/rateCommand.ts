import { runBilling } from '../services/billingRun.ts';
import { println, withDatabase, type CliContext } from './cliContext.ts';
import { progressReporter } from './progressBar.ts';

export async function rateCommand(ctx: CliContext): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const progress = progressReporter(ctx);
    try {
      const { match, rating } = await runBilling(db, { now: ctx.now(), all: true, progress: (phase, done, total) => progress.update(phase, done, total) });
      progress.stop();
      println(ctx, `Matched ${match.matched} calls (${match.noCustomer} with no customer, ${match.ambiguous} ambiguous). Rated ${rating.customers} customers: ${rating.items} billing items (${rating.itemsWritten} written, ${rating.itemsDeleted} removed; the rest unchanged), ${rating.noPlanCalls} calls without a plan.${rating.leftDirty ? ` ${rating.leftDirty} customers changed while they were rated: they stay marked and the next run rates them.` : ''}`);
    } finally {
      progress.stop();
    }
    return 0;
  });
}
