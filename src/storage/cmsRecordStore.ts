import type { CmsRecord } from '../ingest/cisco-cms/cmsRecord.ts';
import type { Sql } from './database.ts';

export interface StoredCmsRecords {
  inserted: number;
  /** Records whose key was stored already with other content: the stored one is kept. */
  conflicting: { record: CmsRecord; stored: CmsRecord }[];
}

/**
 * Stores records once each: a resend, or the same record reaching another receiver, is a no-op
 * (UNIQUE (source, session, correlator_index)).
 */
export async function insertCmsRecords(tx: Sql, source: string, records: readonly CmsRecord[], receivedFrom: string): Promise<StoredCmsRecords> {
  if (records.length === 0) return { inserted: 0, conflicting: [] };
  const inserted = await tx.query<{ n: number }>(
    `WITH added AS (
       INSERT INTO cms_records (source, session, correlator_index, call_bridge, record_type, record_time, leg_id, call_id, record, received_from)
       SELECT $1, r->>'session', (r->>'correlatorIndex')::bigint, r->>'callBridge', r->>'type', to_timestamp((r->>'time')::bigint / 1000.0),
              r->>'legId', r->>'callId', r, $3
       FROM jsonb_array_elements($2::jsonb) r
       ON CONFLICT (source, session, correlator_index) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS n FROM added`,
    [source, JSON.stringify(records), receivedFrom],
  );
  const stored = await tx.query<{ record: CmsRecord }>(
    `SELECT c.record FROM cms_records c
     JOIN jsonb_array_elements($2::jsonb) r ON c.session = r->>'session' AND c.correlator_index = (r->>'correlatorIndex')::bigint
     WHERE c.source = $1 AND c.record <> r`,
    [source, JSON.stringify(records)],
  );
  const storedByKey = new Map(stored.map((s) => [`${s.record.session} ${s.record.correlatorIndex}`, s.record]));
  const conflicting = records.flatMap((record) => {
    const other = storedByKey.get(`${record.session} ${record.correlatorIndex}`);
    return other ? [{ record, stored: other }] : [];
  });
  return { inserted: inserted[0]!.n, conflicting };
}

/** The legs that records of these calls name (to close legs whose callLegEnd never came, at callEnd). */
export async function cmsLegIdsOfCalls(tx: Sql, source: string, callIds: readonly string[]): Promise<string[]> {
  if (callIds.length === 0) return [];
  const rows = await tx.query<{ legId: string }>(
    `SELECT DISTINCT leg_id AS "legId" FROM cms_records WHERE source = $1 AND call_id = ANY($2::text[]) AND leg_id IS NOT NULL`,
    [source, callIds],
  );
  return rows.map((r) => r.legId);
}

/** Every stored record of these legs, and the callStart/callEnd records of the calls they were in. */
export async function cmsRecordsOfLegs(tx: Sql, source: string, legIds: readonly string[]): Promise<CmsRecord[]> {
  if (legIds.length === 0) return [];
  const rows = await tx.query<{ record: CmsRecord }>(
    `WITH legs AS (SELECT record, call_id FROM cms_records WHERE source = $1 AND leg_id = ANY($2::text[]))
     SELECT record FROM legs
     UNION ALL
     SELECT c.record FROM cms_records c
     WHERE c.source = $1 AND c.record_type IN ('callStart', 'callEnd')
       AND c.call_id IN (SELECT call_id FROM legs WHERE call_id IS NOT NULL)`,
    [source, legIds],
  );
  return rows.map((r) => r.record);
}
