import { BillingError } from '../domain/billingError.ts';
import type { Database } from '../storage/database.ts';
import type { ObjectChange } from './applyConfig.ts';
import { applyProviderConfig } from './applyProviderConfig.ts';
import type { ProviderConfig } from './providerConfig.ts';
import { refuseConfigTextProblems } from './refuseConfigTextProblems.ts';

/** What a change of the configuration did, as `confbill apply --json` prints it. */
export interface ConfigurationChange {
  dryRun: boolean;
  /** Every object created or changed, each field old → new; empty when nothing changed. */
  changes: ObjectChange[];
  /** Calls matched again, when matching rules, entities or a source's default customer changed (not on a dry run). */
  callsMatchedAgain?: number;
}

/**
 * Applies a configuration, or a part of one (one customer, one source), given over the network rather
 * than as a file: text the file may not hold is refused (as in a file), and `apply` does the rest (validation, plan history, matching again, rating). Such a
 * change reads no file of the server: a `settings.provider.logo` path is refused, and a provider block
 * keeps the logo stored before (a file applied with `confbill apply` sets it).
 */
export async function applyConfigurationChange(db: Database, config: ProviderConfig, actor: string, options: { now: Date; dryRun?: boolean; force?: boolean; keepCustomerDetails?: boolean; /** The path of the settings in the caller's request ('' when they are the whole body): a refusal of the logo names its field. */ settingsPrefix?: string }): Promise<ConfigurationChange> {
  refuseConfigTextProblems(config, 'The configuration');
  if (config.settings?.provider?.logo !== undefined) {
    const field = `${options.settingsPrefix ?? 'settings.'}provider.logo`;
    throw new BillingError('invalid-config', `${field} names a file, and the API reads no file of the server: leave it out (the stored logo is kept) and set the logo with \`confbill apply FILE\`.`, { field });
  }
  const applied = await applyProviderConfig(db, config, actor, { now: options.now, dryRun: options.dryRun, force: options.force, keepCustomerDetails: options.keepCustomerDetails, keepStoredLogo: true });
  return { dryRun: options.dryRun === true, changes: applied.changes, ...(applied.callsMatchedAgain !== undefined ? { callsMatchedAgain: applied.callsMatchedAgain } : {}) };
}
