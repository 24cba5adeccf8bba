import type { CmsRecord } from '../ingest/cisco-cms/cmsRecord.ts';
import type { Sql } from './database.ts';

/**
 * A look-up by key, one index probe per key: PGlite never refreshes the table's statistics, and a
 * plain join or `= ANY` then reads every record of the source for every body (slower with each day
 * of records, and on PGlite on the event loop's thread). `OFFSET 0` keeps the planner from flattening it.
 */
const byIndex = (select: string): string => `${select} OFFSET 0`;

export interface StoredCmsRecords {
  inserted: number;
  /** Records whose key was stored already with other content: the stored one is kept. */
  conflicting: { record: CmsRecord; stored: CmsRecord }[];
}

/**
 * Stores records once each: a resend, or the same record reaching another receiver, is a no-op
 * (UNIQUE (source, session, correlator_index)).
 */
export async function insertCmsRecords(tx: Sql, source: string, records: readonly CmsRecord[], receivedFrom: string | readonly string[]): Promise<StoredCmsRecords> {
  if (records.length === 0) return { inserted: 0, conflicting: [] };
  // One origin for all, or one per record (the posts of a group stored together).
  const origins = typeof receivedFrom === 'string' ? records.map(() => receivedFrom) : receivedFrom;
  const inserted = await tx.query<{ n: number }>(
    `WITH added AS (
       INSERT INTO cms_records (source, session, correlator_index, call_bridge, record_type, record_time, leg_id, call_id, record, received_from)
       SELECT $1, r->>'session', (r->>'correlatorIndex')::bigint, r->>'callBridge', r->>'type', to_timestamp((r->>'time')::bigint / 1000.0),
              r->>'legId', r->>'callId', r, ($3::text[])[n]
       FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(r, n)
       ON CONFLICT (source, session, correlator_index) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS n FROM added`,
    [source, JSON.stringify(records), origins],
  );
  // By position in the input: the same key twice in one body, once as stored and once changed, is one conflict.
  const stored = await tx.query<{ position: number; record: CmsRecord }>(
    `SELECT r.position::int AS position, c.record FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY r(value, position)
     CROSS JOIN LATERAL (${byIndex(`SELECT record FROM cms_records WHERE source = $1 AND session = r.value->>'session' AND correlator_index = (r.value->>'correlatorIndex')::bigint`)}) c
     WHERE c.record <> r.value
     ORDER BY r.position`,
    [source, JSON.stringify(records)],
  );
  const conflicting = stored.map((s) => ({ record: records[s.position - 1]!, stored: s.record }));
  return { inserted: inserted[0]!.n, conflicting };
}

/** The calls that the stored records of each of these legs name (a callLegEnd names none). */
export async function cmsCallsOfLegs(tx: Sql, source: string, legIds: readonly string[]): Promise<Map<string, string[]>> {
  const calls = new Map<string, string[]>();
  if (legIds.length === 0) return calls;
  const rows = await tx.query<{ legId: string; callId: string }>(
    `SELECT DISTINCT l.leg_id AS "legId", c.call_id AS "callId" FROM (SELECT DISTINCT unnest($2::text[]) AS leg_id) l
     CROSS JOIN LATERAL (${byIndex('SELECT call_id FROM cms_records WHERE source = $1 AND leg_id = l.leg_id AND call_id IS NOT NULL')}) c`,
    [source, legIds],
  );
  for (const r of rows) calls.set(r.legId, [...(calls.get(r.legId) ?? []), r.callId]);
  return calls;
}

/**
 * Takes, until the transaction ends, the locks under which records of these calls are stored and
 * their legs assembled: each call's own lock, and the source's lock shared. `calls` undefined takes
 * the source's lock alone, exclusive (records whose call is not known yet): it waits for every
 * other assembly of the source and holds them off. The calls' locks are taken in one order (by
 * key), so two bodies naming the same calls cannot deadlock.
 */
export async function lockCmsCalls(tx: Sql, source: string, calls: readonly string[] | undefined): Promise<void> {
  const sourceKey = `confbill:cms:${source}`;
  if (calls === undefined) {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [sourceKey]);
    return;
  }
  await tx.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [sourceKey]);
  if (calls.length === 0) return;
  await tx.query(
    `SELECT pg_advisory_xact_lock(hashtext($1), k.h) FROM (SELECT DISTINCT hashtext(c) AS h FROM unnest($2::text[]) c ORDER BY h) k`,
    [sourceKey, calls],
  );
}

/** The legs that records of these calls name (to close legs whose callLegEnd never came, at callEnd). */
export async function cmsLegIdsOfCalls(tx: Sql, source: string, callIds: readonly string[]): Promise<string[]> {
  if (callIds.length === 0) return [];
  const rows = await tx.query<{ legId: string }>(
    `SELECT DISTINCT c.leg_id AS "legId" FROM (SELECT DISTINCT unnest($2::text[]) AS call_id) k
     CROSS JOIN LATERAL (${byIndex('SELECT leg_id FROM cms_records WHERE source = $1 AND call_id = k.call_id AND leg_id IS NOT NULL')}) c`,
    [source, callIds],
  );
  return rows.map((r) => r.legId);
}

/**
 * Every stored record of these legs, and the first callStart and last callEnd of the calls they were
 * in (all that assembling a leg reads of a call: a call resent with thousands of starts costs two
 * rows). "First" and "last" in the order of cmsRecordOrder: time, session, correlator index; sessions
 * are compared byte by byte here, which for the UUIDs CMS sends is the same order.
 */
export async function cmsRecordsOfLegs(tx: Sql, source: string, legIds: readonly string[]): Promise<CmsRecord[]> {
  if (legIds.length === 0) return [];
  const rows = await tx.query<{ record: CmsRecord }>(
    `WITH legs AS (
       SELECT c.record, c.call_id FROM (SELECT DISTINCT unnest($2::text[]) AS leg_id) l
       CROSS JOIN LATERAL (${byIndex('SELECT record, call_id FROM cms_records WHERE source = $1 AND leg_id = l.leg_id')}) c)
     SELECT record FROM legs
     UNION ALL
     SELECT e.record FROM (SELECT DISTINCT call_id FROM legs WHERE call_id IS NOT NULL) k
     CROSS JOIN LATERAL (
       (SELECT record FROM cms_records WHERE source = $1 AND call_id = k.call_id AND record_type = 'callStart'
        ORDER BY record_time, session COLLATE "C", correlator_index LIMIT 1)
       UNION ALL
       (SELECT record FROM cms_records WHERE source = $1 AND call_id = k.call_id AND record_type = 'callEnd'
        ORDER BY record_time DESC, session COLLATE "C" DESC, correlator_index DESC LIMIT 1)) e`,
    [source, legIds],
  );
  return rows.map((r) => r.record);
}
