import { runBilling } from '../services/billingRun.ts';
import { println, withDatabase, type CliContext } from './cliContext.ts';
import { progressReporter } from './progressBar.ts';
import { countText } from './countText.ts';

export async function rateCommand(ctx: CliContext): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const progress = progressReporter(ctx);
    try {
      const { match, rating } = await runBilling(db, { now: ctx.now(), all: true, progress: (phase, done, total) => progress.update(phase, done, total) });
      progress.stop();
      println(ctx, `Matched ${countText(match.matched, 'call')} (${match.noCustomer} with no customer, ${match.ambiguous} ambiguous). Rated ${countText(rating.customers, 'customer')}: ${countText(rating.items, 'billing item')} (${rating.itemsWritten} written, ${rating.itemsDeleted} removed; the rest unchanged), ${countText(rating.noPlanCalls, 'call')} without a plan.${rating.leftDirty ? ` ${countText(rating.leftDirty, 'customer')} changed while they were rated: they stay marked and the next run rates them.` : ''}`);
    } finally {
      progress.stop();
    }
    return 0;
  });
}
