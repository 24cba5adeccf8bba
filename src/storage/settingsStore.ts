import type { Sql } from './database.ts';
import type { ProviderIdentity } from '../domain/providerIdentity.ts';

/** Provider-wide settings (`settings` of the configuration file), with their defaults. */
export interface ProviderSettings {
  timezone: string;
  settlementDelayMinutes: number;
  limitAvailableServicesToBillableServices: boolean;
  /** Decimal string; "0" = no tax line. */
  taxRatePercent: string;
  /** The sender block of exported invoices; absent until configured. */
  provider?: ProviderIdentity;
}

/**
 * A provider block as written before `taxId` had its name: `vatId` then. Settings and frozen
 * documents stored then still say so; this reads both.
 */
export function providerIdentityOf(stored: ProviderIdentity & { vatId?: string }): ProviderIdentity {
  const { vatId, ...identity } = stored;
  return vatId !== undefined && identity.taxId === undefined ? { ...identity, taxId: vatId } : identity;
}

export const defaultSettings: ProviderSettings = { timezone: 'UTC', settlementDelayMinutes: 60, limitAvailableServicesToBillableServices: false, taxRatePercent: '0' };

export async function readSettings(db: Sql): Promise<ProviderSettings> {
  const rows = await db.query<{ key: string; value: unknown }>('SELECT key, value FROM settings');
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value])) as Partial<ProviderSettings>;
  const settings = { ...defaultSettings, ...stored } as ProviderSettings;
  return settings.provider ? { ...settings, provider: providerIdentityOf(settings.provider) } : settings;
}

/** Writes the given settings; returns the keys whose value changed. */
export async function writeSettings(db: Sql, settings: Partial<ProviderSettings>): Promise<string[]> {
  const changed: string[] = [];
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    const rows = await db.query(
      `INSERT INTO settings (key, value) VALUES ($1, $2::jsonb)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value WHERE settings.value IS DISTINCT FROM EXCLUDED.value
       RETURNING key`,
      [key, JSON.stringify(value)],
    );
    if (rows.length) changed.push(key);
  }
  return changed;
}
