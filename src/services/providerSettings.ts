import type { Sql } from '../storage/database.ts';
import { readSettings, type ProviderSettings } from '../storage/settingsStore.ts';

/** The provider's settings in force: those configured, and the defaults of the others. */
export async function providerSettings(db: Sql): Promise<ProviderSettings> {
  return readSettings(db);
}
