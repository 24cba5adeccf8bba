import type { Sql } from './database.ts';
import type { LogoReference } from '../domain/providerIdentity.ts';

export interface ProviderLogo extends LogoReference {
  content: Buffer;
}

/** Stores a logo under its content hash; storing the same bytes again changes nothing. */
export async function storeProviderLogo(db: Sql, logo: ProviderLogo): Promise<void> {
  await db.query('INSERT INTO provider_logos (sha256, media_type, content) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING', [logo.sha256, logo.mediaType, logo.content]);
}

export async function readProviderLogo(db: Sql, sha256: string): Promise<ProviderLogo | undefined> {
  const rows = await db.query<{ sha256: string; mediaType: LogoReference['mediaType']; content: Uint8Array }>(
    'SELECT sha256, media_type AS "mediaType", content FROM provider_logos WHERE sha256 = $1',
    [sha256],
  );
  const row = rows[0];
  return row ? { sha256: row.sha256, mediaType: row.mediaType, content: Buffer.from(row.content) } : undefined;
}
