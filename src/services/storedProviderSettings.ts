import type { Sql } from '../storage/database.ts';
import { storeProviderLogo, type ProviderLogo } from '../storage/providerLogoStore.ts';
import { providerIdentityOf, type ProviderSettings } from '../storage/settingsStore.ts';
import type { ProviderConfig } from './providerConfig.ts';

type SettingsConfig = NonNullable<ProviderConfig['settings']>;

/**
 * The settings of an apply file as they are stored: the provider's logo file, read beforehand,
 * is stored by its content and named by its hash; `vatId`, the earlier name of `taxId`, becomes `taxId`.
 */
export async function storedProviderSettings(tx: Sql, settings: SettingsConfig, logo: ProviderLogo | undefined): Promise<Partial<ProviderSettings>> {
  const { provider, ...rest } = settings;
  if (!provider) return rest;
  const { logo: _path, ...identity } = provider;
  if (logo) await storeProviderLogo(tx, logo);
  return { ...rest, provider: providerIdentityOf({ ...identity, ...(logo ? { logo: { sha256: logo.sha256, mediaType: logo.mediaType } } : {}) }) };
}
