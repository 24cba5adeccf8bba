import type { Database } from '../storage/database.ts';
import { listSources, sourceStatistics, type SourceStatistics } from '../storage/sourceStore.ts';

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
