import type { Database } from '../storage/database.ts';
import { applyConfig, type ApplyOptions, type ApplySummary } from './applyConfig.ts';
import { runBilling } from './billingRun.ts';
import type { ProviderConfig } from './providerConfig.ts';

/** What applying a configuration did: the changes, and how many calls were matched again (when rules or entities changed). */
export interface AppliedConfig extends ApplySummary {
  callsMatchedAgain?: number;
}

/**
 * The `apply` use case of every face: applies the configuration (or, with `dryRun`, works out what it
 * would change and writes nothing), then brings billing data up to date with it.
 */
export async function applyProviderConfig(db: Database, config: ProviderConfig, user: string, options: ApplyOptions & { now: Date }): Promise<AppliedConfig> {
  const summary = await applyConfig(db, config, user, options);
  if (options.dryRun) return summary;
  const billing = await runBilling(db, { now: options.now });
  return summary.rematch ? { ...summary, callsMatchedAgain: billing.match.matched + billing.match.noCustomer + billing.match.ambiguous } : summary;
}
