import type { VendorMappingOverride } from '../ingest/vendorMapping.ts';
import type { Sql } from './database.ts';

export interface SourceRow {
  id: string;
  format: string;
  timezone: string | null;
  defaultCustomer: string | null;
}

const sourceColumns = `id, format, timezone, default_customer AS "defaultCustomer"`;

export async function listSources(db: Sql): Promise<SourceRow[]> {
  return db.query<SourceRow>(`SELECT ${sourceColumns} FROM sources ORDER BY id`);
}

export async function getSource(db: Sql, id: string): Promise<SourceRow | undefined> {
  return (await db.query<SourceRow>(`SELECT ${sourceColumns} FROM sources WHERE id = $1`, [id]))[0];
}

/** Inserts or updates a source by id; true when something changed. */
export async function upsertSource(db: Sql, s: SourceRow): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO sources (id, format, timezone, default_customer) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET format = EXCLUDED.format, timezone = EXCLUDED.timezone, default_customer = EXCLUDED.default_customer
     WHERE (sources.format, sources.timezone, sources.default_customer) IS DISTINCT FROM (EXCLUDED.format, EXCLUDED.timezone, EXCLUDED.default_customer)
     RETURNING 1`,
    [s.id, s.format, s.timezone, s.defaultCustomer],
  );
  return rows.length > 0;
}

export async function getFormatMapping(db: Sql, format: string): Promise<VendorMappingOverride | undefined> {
  return (await db.query<{ mapping: VendorMappingOverride }>('SELECT mapping FROM format_mappings WHERE format = $1', [format]))[0]?.mapping;
}

/** Replaces a format's configured mapping override; true when it changed. */
export async function writeFormatMapping(db: Sql, format: string, mapping: VendorMappingOverride): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO format_mappings (format, mapping) VALUES ($1, $2::jsonb)
     ON CONFLICT (format) DO UPDATE SET mapping = EXCLUDED.mapping WHERE format_mappings.mapping IS DISTINCT FROM EXCLUDED.mapping RETURNING 1`,
    [format, JSON.stringify(mapping)],
  );
  return rows.length > 0;
}

/** Adds one ingest's counts of a source (records read, exclusions by reason). */
export async function recordSourceIngest(db: Sql, source: string, read: number, excludedReasons: Readonly<Record<string, number>>): Promise<void> {
  const excluded = Object.values(excludedReasons).reduce((a, b) => a + b, 0);
  await db.query(
    `INSERT INTO source_stats (source, records_read, excluded, excluded_reasons, last_ingest_at) VALUES ($1, $2, $3, $4::jsonb, now())
     ON CONFLICT (source) DO UPDATE SET
       records_read = source_stats.records_read + EXCLUDED.records_read,
       excluded = source_stats.excluded + EXCLUDED.excluded,
       excluded_reasons = (SELECT coalesce(jsonb_object_agg(k, coalesce((source_stats.excluded_reasons ->> k)::bigint, 0) + coalesce((EXCLUDED.excluded_reasons ->> k)::bigint, 0)), '{}'::jsonb)
                           FROM (SELECT jsonb_object_keys(source_stats.excluded_reasons) AS k UNION SELECT jsonb_object_keys(EXCLUDED.excluded_reasons)) keys),
       last_ingest_at = now()`,
    [source, read, excluded, JSON.stringify(excludedReasons)],
  );
}

export interface SourceStatistics {
  source: string;
  calls: number;
  firstCallAt: string | null;
  lastCallAt: string | null;
  lastIngestAt: string | null;
  recordsRead: number;
  rejected: number;
  excluded: number;
  excludedReasons: Record<string, number>;
  unmatched: number;
}

/** Per source: stored calls (with their time span and how many match no customer), rejects, exclusions. */
export async function sourceStatistics(db: Sql): Promise<SourceStatistics[]> {
  const rows = await db.query<{ source: string; calls: number; firstCallAt: Date | null; lastCallAt: Date | null; lastIngestAt: Date | null; recordsRead: number; rejected: number; excluded: number; excludedReasons: Record<string, number> | null; unmatched: number }>(
    `WITH c AS (SELECT source, count(*)::int AS calls, min(started_at) AS first_at, max(started_at) AS last_at, max(ingested_at) AS ingested_at,
                       count(*) FILTER (WHERE match_status IN ('no-customer', 'ambiguous'))::int AS unmatched
                FROM calls GROUP BY source),
          r AS (SELECT source, count(*)::int AS rejected FROM ingest_rejects WHERE source IS NOT NULL GROUP BY source),
          names AS (SELECT source FROM c UNION SELECT source FROM r UNION SELECT source FROM source_stats UNION SELECT id FROM sources)
     SELECT n.source, coalesce(c.calls, 0) AS calls, c.first_at AS "firstCallAt", c.last_at AS "lastCallAt",
            greatest(c.ingested_at, s.last_ingest_at) AS "lastIngestAt", coalesce(s.records_read, 0)::int AS "recordsRead",
            coalesce(r.rejected, 0) AS rejected, coalesce(s.excluded, 0)::int AS excluded, s.excluded_reasons AS "excludedReasons", coalesce(c.unmatched, 0) AS unmatched
     FROM names n LEFT JOIN c ON c.source = n.source LEFT JOIN r ON r.source = n.source LEFT JOIN source_stats s ON s.source = n.source
     ORDER BY n.source`,
  );
  return rows.map((r) => ({
    ...r,
    firstCallAt: r.firstCallAt?.toISOString() ?? null,
    lastCallAt: r.lastCallAt?.toISOString() ?? null,
    lastIngestAt: r.lastIngestAt?.toISOString() ?? null,
    excludedReasons: Object.fromEntries(Object.entries(r.excludedReasons ?? {}).map(([k, v]) => [k, Number(v)])),
  }));
}

/** Every format's configured mapping override, by format. */
export async function listFormatMappings(db: Sql): Promise<{ format: string; mapping: VendorMappingOverride }[]> {
  return db.query<{ format: string; mapping: VendorMappingOverride }>('SELECT format, mapping FROM format_mappings ORDER BY format');
}
