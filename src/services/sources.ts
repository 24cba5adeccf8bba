import { BillingError } from '../domain/billingError.ts';
import { messageSafeText } from '../domain/messageSafeText.ts';
import type { VendorMappingOverride } from '../ingest/vendorMapping.ts';
import type { Database } from '../storage/database.ts';
import { getFormatMapping, listFormatMappings, listSources, sourceStatistics, type SourceStatistics } from '../storage/sourceStore.ts';

/** A source as configured (or not) and what came in from it. */
export interface SourceOverview extends SourceStatistics {
  configured: boolean;
  format: string | null;
  timezone: string | null;
  defaultCustomer: string | null;
}

/** Every source that is configured or has sent something, with its configuration and statistics. */
export async function sourceOverview(db: Database): Promise<SourceOverview[]> {
  const configured = new Map((await listSources(db)).map((s) => [s.id, s]));
  return (await sourceStatistics(db)).map((stats) => {
    const s = configured.get(stats.source);
    return { ...stats, configured: Boolean(s), format: s?.format ?? null, timezone: s?.timezone ?? null, defaultCustomer: s?.defaultCustomer ?? null };
  });
}

/** One source, configured or having sent something; `not-found` otherwise. */
export async function sourceOverviewOf(db: Database, id: string): Promise<SourceOverview> {
  const found = (await sourceOverview(db)).find((s) => s.source === id);
  if (!found) throw new BillingError('not-found', `No source "${messageSafeText(id)}": it is neither configured (sources of the configuration) nor has it sent call data.`);
  return found;
}

/** The configured mapping override of each format that has one (docs/vendors/<vendor>.md). */
export async function formatMappings(db: Database): Promise<{ format: string; mapping: VendorMappingOverride }[]> {
  return listFormatMappings(db);
}

/** The configured mapping override of a format; an empty one when none is configured. */
export async function formatMappingOf(db: Database, format: string): Promise<VendorMappingOverride> {
  return (await getFormatMapping(db, format)) ?? {};
}
