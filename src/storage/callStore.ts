import type { Call } from '../domain/call.ts';
import { compareCalls, type RatableCall } from '../domain/rateCustomer.ts';
import type { Sql } from './database.ts';

/** The columns of a staged call row, in COPY order. */
export const stagedCallColumns = ['line', 'source', 'external_id', 'conference_id', 'started_at', 'duration_seconds', 'category', 'direction', 'protocol', 'local_alias', 'remote_alias', 'tenant', 'disconnect_reason', 'match_status', 'customer_id', 'match_rule'] as const;

/** How a call was matched when it was read (matching at ingest saves a second write of every call). */
export interface IngestMatch {
  status: 'matched' | 'no-customer' | 'ambiguous';
  customerId: string | null;
  rule: string | null;
}

const comparedColumns = ['conference_id', 'started_at', 'duration_seconds', 'category', 'direction', 'protocol', 'local_alias', 'remote_alias', 'tenant', 'disconnect_reason'];

function csvField(value: string | number | undefined): string {
  if (value === undefined || value === '') return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (COPY format: an unquoted empty field is NULL) of a staged call. */
export function stagedCallCsvLine(line: number, call: Call, match: IngestMatch): string {
  return [
    line, call.source, call.externalId, call.conferenceId, new Date(call.startedAt).toISOString(), call.durationSeconds, call.category, call.direction,
    call.protocol, call.localAlias, call.remoteAlias, call.tenant, call.disconnectReason, match.status, match.customerId ?? undefined, match.rule ?? undefined,
  ].map(csvField).join(',') + '\n';
}

export interface MergeResult {
  inserted: number;
  updated: number;
  /** Changes to calls that are already invoiced: refused and recorded in ingest_conflicts. */
  conflicts: number;
  /** Customers whose calls were added or changed (before or after the change): to be rated again. */
  touchedCustomers: string[];
  /** The calls inserted or changed. */
  callIds: number[];
}

/**
 * Merges a batch of call records, already COPYed into `staged_calls` (at most one row per
 * source and external id: the caller keeps the last record of a call), into `calls` with set-based
 * SQL: new calls are inserted, changed ones updated (and matched again), identical ones left alone,
 * and changes to invoiced calls refused and recorded as conflicts (docs/billing-rules.md §1). The
 * staging table is emptied after, so that one transaction can merge several batches (a big CMS body,
 * in parts).
 *
 * New calls go in first with one INSERT … ON CONFLICT DO NOTHING: a batch of only new calls (a new
 * file) costs that one statement. Only when some staged call already exists do the statements that
 * compare with stored calls run (refused, touched, updated); the calls just inserted are identical to
 * their staged rows, so those statements leave them alone.
 */
export async function mergeStagedCalls(tx: Sql, file: string, staged: number): Promise<MergeResult> {
  const insertedRows = await tx.query<{ id: number; customerId: string | null }>(
    `INSERT INTO calls (source, external_id, ${comparedColumns.join(', ')}, match_status, customer_id, match_rule)
     SELECT source, external_id, ${comparedColumns.join(', ')}, match_status, customer_id, match_rule FROM staged_calls
     ON CONFLICT (source, external_id) DO NOTHING
     RETURNING id, customer_id AS "customerId"`,
  );
  const touched = new Set<string>();
  for (const row of insertedRows) if (row.customerId) touched.add(row.customerId);
  const callIds = insertedRows.map((r) => r.id);
  if (insertedRows.length === staged) {
    await tx.exec('DELETE FROM staged_calls');
    return { inserted: insertedRows.length, updated: 0, conflicts: 0, touchedCustomers: [...touched], callIds };
  }

  const differs = `(c.${comparedColumns.join(', c.')}) IS DISTINCT FROM (s.${comparedColumns.join(', s.')})`;
  // One index look-up per staged row: PGlite never refreshes statistics during a long ingest, and a
  // plain join then hashes the whole calls table for every batch (quadratic in the file's size).
  const existing = 'CROSS JOIN LATERAL (SELECT * FROM calls c0 WHERE c0.source = s.source AND c0.external_id = s.external_id OFFSET 0) c';
  const invoiced = 'EXISTS (SELECT 1 FROM billing_items b WHERE b.call_id = c.id AND b.invoice_id IS NOT NULL)';
  const fieldValues = (t: string): string => `call_field_values(${comparedColumns.map((col) => `${t}.${col}`).join(', ')})`;
  // Every refusal is counted; it is stored once (migration 0010), so ingesting a file again adds none.
  const [conflicts] = await tx.query<{ n: number }>(
    `WITH refused AS (
       SELECT c.id AS call_id, s.line, to_jsonb(s) - 'line' AS raw, d.old_changed, d.new_changed
       FROM staged_calls s ${existing} CROSS JOIN LATERAL call_field_changes(${fieldValues('c')}, ${fieldValues('s')}) d
       WHERE ${differs} AND ${invoiced}),
     stored AS (
       INSERT INTO ingest_conflicts (call_id, file, line, reason, raw, old_values, new_values)
       SELECT call_id, $1, line, 'the call is already invoiced: the changed record was not applied', raw, old_changed, new_changed FROM refused
       ON CONFLICT DO NOTHING)
     SELECT count(*)::int AS n FROM refused`,
    [file],
  );
  const touchedBefore = await tx.query<{ customerId: string }>(
    `SELECT DISTINCT c.customer_id AS "customerId" FROM staged_calls s ${existing}
     WHERE c.customer_id IS NOT NULL AND ${differs} AND NOT ${invoiced}`,
  );
  const merged = await tx.query<{ id: number; inserted: boolean; customerId: string | null }>(
    `INSERT INTO calls AS c (source, external_id, ${comparedColumns.join(', ')}, match_status, customer_id, match_rule)
     SELECT source, external_id, ${comparedColumns.join(', ')}, match_status, customer_id, match_rule FROM staged_calls
     ON CONFLICT (source, external_id) DO UPDATE SET
       ${comparedColumns.map((col) => `${col} = EXCLUDED.${col}`).join(', ')},
       match_status = EXCLUDED.match_status, customer_id = EXCLUDED.customer_id, match_rule = EXCLUDED.match_rule, updated_at = now()
     WHERE (c.${comparedColumns.join(', c.')}) IS DISTINCT FROM (EXCLUDED.${comparedColumns.join(', EXCLUDED.')})
       AND NOT ${invoiced}
     RETURNING id, (xmax = 0) AS inserted, customer_id AS "customerId"`,
  );
  await tx.exec('DELETE FROM staged_calls');
  for (const row of touchedBefore) touched.add(row.customerId);
  let inserted = insertedRows.length;
  for (const row of merged) {
    if (row.inserted) inserted++;
    if (row.customerId) touched.add(row.customerId);
    callIds.push(row.id);
  }
  return { inserted, updated: callIds.length - inserted, conflicts: conflicts!.n, touchedCustomers: [...touched], callIds };
}

/** A call to merge with the input it came from (ingest_conflicts names the file and line of a refused change). */
export interface CallRow {
  file: string;
  line: number;
  call: Call;
  match: IngestMatch;
}

/** What merging did with one call row. */
export type CallRowOutcome = 'inserted' | 'updated' | 'conflict' | 'unchanged';

export interface RowMergeResult {
  /** One per row, in the rows' order. */
  outcomes: CallRowOutcome[];
  touchedCustomers: string[];
  callIds: number[];
}

/** Rows up to which `mergeCallRows` (one statement, no staging table) is used instead of COPY and `mergeStagedCalls`. */
export const singleStatementMergeRows = 500;

const stagedRowType = `ord integer, file text, line integer, source text, external_id text, conference_id text, started_at timestamptz,
  duration_seconds integer, category text, direction text, protocol text, local_alias text, remote_alias text, tenant text,
  disconnect_reason text, match_status text, customer_id text, match_rule text`;

/**
 * `mergeStagedCalls` in ONE statement for a small batch (a receiver's posts, a slice of CMS legs):
 * the rows go in as one JSON parameter instead of a temporary table and a COPY, and the statement
 * tells, row by row, whether the call was inserted, updated, refused (invoiced: recorded in
 * ingest_conflicts, as by mergeStagedCalls) or left unchanged. The same rules as mergeStagedCalls:
 * at most one row per source and external id (the caller keeps the last record of a call).
 */
export async function mergeCallRows(tx: Sql, rows: readonly CallRow[]): Promise<RowMergeResult> {
  if (rows.length === 0) return { outcomes: [], touchedCustomers: [], callIds: [] };
  const text = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);
  const staged = rows.map((r, ord) => ({
    ord, file: r.file, line: r.line, source: r.call.source, external_id: r.call.externalId, conference_id: text(r.call.conferenceId),
    started_at: new Date(r.call.startedAt).toISOString(), duration_seconds: r.call.durationSeconds, category: text(r.call.category), direction: text(r.call.direction),
    protocol: text(r.call.protocol), local_alias: text(r.call.localAlias), remote_alias: text(r.call.remoteAlias), tenant: text(r.call.tenant),
    disconnect_reason: text(r.call.disconnectReason), match_status: r.match.status, customer_id: r.match.customerId, match_rule: r.match.rule,
  }));
  const cols = comparedColumns;
  const differs = `(c.${cols.join(', c.')}) IS DISTINCT FROM (s.${cols.join(', s.')})`;
  const invoiced = 'EXISTS (SELECT 1 FROM billing_items b WHERE b.call_id = c.id AND b.invoice_id IS NOT NULL)';
  const fieldValues = (t: string): string => `call_field_values(${cols.map((col) => `${t}.${col}`).join(', ')})`;
  // Data-modifying CTEs all read the statement's snapshot: `stored` is each call as it was before
  // this statement, which is what mergeStagedCalls's statements read before its upsert.
  const result = await tx.query<{ ord: number; id: number | null; inserted: boolean | null; customerId: string | null; oldCustomerId: string | null; refused: boolean }>(
    `WITH s AS (SELECT * FROM json_to_recordset($1::json) AS s(${stagedRowType})),
     stored AS (
       SELECT s.ord, c.id, c.customer_id, ${invoiced} AS invoiced, ${fieldValues('c')} AS old_values
       FROM s CROSS JOIN LATERAL (SELECT * FROM calls c0 WHERE c0.source = s.source AND c0.external_id = s.external_id OFFSET 0) c
       WHERE ${differs}),
     refused AS (
       INSERT INTO ingest_conflicts (call_id, file, line, reason, raw, old_values, new_values)
       SELECT d0.id, s.file, s.line, 'the call is already invoiced: the changed record was not applied', to_jsonb(s) - 'line' - 'ord' - 'file', d.old_changed, d.new_changed
       FROM stored d0 JOIN s ON s.ord = d0.ord CROSS JOIN LATERAL call_field_changes(d0.old_values, ${fieldValues('s')}) d
       WHERE d0.invoiced
       ON CONFLICT DO NOTHING),
     merged AS (
       INSERT INTO calls AS c (source, external_id, ${cols.join(', ')}, match_status, customer_id, match_rule)
       SELECT source, external_id, ${cols.join(', ')}, match_status, customer_id, match_rule FROM s ORDER BY ord
       ON CONFLICT (source, external_id) DO UPDATE SET
         ${cols.map((col) => `${col} = EXCLUDED.${col}`).join(', ')},
         match_status = EXCLUDED.match_status, customer_id = EXCLUDED.customer_id, match_rule = EXCLUDED.match_rule, updated_at = now()
       WHERE (c.${cols.join(', c.')}) IS DISTINCT FROM (EXCLUDED.${cols.join(', EXCLUDED.')})
         AND NOT ${invoiced}
       RETURNING id, (xmax = 0) AS inserted, customer_id, source, external_id)
     SELECT s.ord, m.id, m.inserted, m.customer_id AS "customerId", d0.customer_id AS "oldCustomerId", coalesce(d0.invoiced, false) AS refused
     FROM s LEFT JOIN merged m ON m.source = s.source AND m.external_id = s.external_id LEFT JOIN stored d0 ON d0.ord = s.ord
     ORDER BY s.ord`,
    [JSON.stringify(staged)],
  );
  const outcomes: CallRowOutcome[] = [];
  const touched = new Set<string>();
  const callIds: number[] = [];
  for (const r of result) {
    if (r.id !== null) {
      outcomes.push(r.inserted ? 'inserted' : 'updated');
      callIds.push(r.id);
      if (r.customerId) touched.add(r.customerId);
      // A changed call is rated again for the customer it had before the change too.
      if (!r.inserted && r.oldCustomerId) touched.add(r.oldCustomerId);
    } else outcomes.push(r.refused ? 'conflict' : 'unchanged');
  }
  return { outcomes, touchedCustomers: [...touched], callIds };
}

/** Creates the per-transaction staging table that a batch of calls is COPYed into. */
export async function createCallStaging(tx: Sql): Promise<void> {
  await tx.exec(`CREATE TEMP TABLE IF NOT EXISTS staged_calls (
    line integer, source text, external_id text, conference_id text, started_at timestamptz, duration_seconds integer,
    category text, direction text, protocol text, local_alias text, remote_alias text, tenant text, disconnect_reason text,
    match_status text, customer_id text, match_rule text
  ) ON COMMIT DELETE ROWS`);
}

/**
 * Every call that is in no invoice goes back to matching (rules or entities changed, docs/billing-rules.md §2). The
 * rules' generation moves first: this waits for writers still matching by the old rules, and the
 * writers after it load the new ones.
 */
export async function markOpenCallsForMatching(tx: Sql): Promise<number> {
  await tx.query('UPDATE matching_generation SET generation = generation + 1');
  const rows = await tx.query(
    `UPDATE calls c SET match_status = 'pending'
     WHERE match_status <> 'pending' AND NOT EXISTS (SELECT 1 FROM billing_items b WHERE b.call_id = c.id AND b.invoice_id IS NOT NULL)
     RETURNING 1`,
  );
  return rows.length;
}

export interface PendingCall {
  id: number;
  source: string;
  startedAt: number;
  localAlias?: string;
  remoteAlias?: string;
  tenant?: string;
  customerId: string | null;
}

/** A page of calls waiting for matching, in id order after `afterId`. */
export async function pendingCalls(db: Sql, afterId: number, limit: number): Promise<PendingCall[]> {
  const rows = await db.query<{ id: number; source: string; startedAt: Date; localAlias: string | null; remoteAlias: string | null; tenant: string | null; customerId: string | null }>(
    `SELECT id, source, started_at AS "startedAt", local_alias AS "localAlias", remote_alias AS "remoteAlias", tenant, customer_id AS "customerId"
     FROM calls WHERE match_status = 'pending' AND id > $1 ORDER BY id LIMIT $2`,
    [afterId, limit],
  );
  return rows.map((r) => ({ id: r.id, source: r.source, startedAt: r.startedAt.getTime(), localAlias: r.localAlias ?? undefined, remoteAlias: r.remoteAlias ?? undefined, tenant: r.tenant ?? undefined, customerId: r.customerId }));
}

export interface MatchWrite {
  id: number;
  status: 'matched' | 'no-customer' | 'ambiguous';
  customerId: string | null;
  rule: string | null;
}

/**
 * Writes match results in one statement; invoiced calls never change customer (docs/billing-rules.md §2), and a call
 * that ingest stored again meanwhile (matched then) keeps that match.
 */
export async function writeMatches(tx: Sql, matches: readonly MatchWrite[]): Promise<void> {
  if (matches.length === 0) return;
  await tx.query(
    `UPDATE calls c SET match_status = m.status, customer_id = m.customer_id, match_rule = m.rule
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS m(id, status, customer_id, rule)
     WHERE c.id = m.id AND c.id BETWEEN $5 AND $6 AND c.match_status = 'pending' AND NOT EXISTS (SELECT 1 FROM billing_items b WHERE b.call_id = c.id AND b.invoice_id IS NOT NULL)`,
    // The id bounds keep the planner from scanning the primary key from the first call for every page.
    [matches.map((m) => m.id), matches.map((m) => m.status), matches.map((m) => m.customerId), matches.map((m) => m.rule), Math.min(...matches.map((m) => m.id)), Math.max(...matches.map((m) => m.id))],
  );
}

/** Names the cursors of `ratableCallsInOrder`, unique within a transaction however many are open. */
let ratableCursors = 0;

/**
 * A customer's matched calls, with whether each is already invoiced, page by page in rating order
 * (`compareCalls`): memory holds one page, whatever the customer's number of calls. One query sorts
 * the customer's calls once and a cursor hands them out: a query per page would sort and join every
 * call again for each page (on PGlite, which never gathers statistics, that made a customer of n pages
 * cost n times its calls). A page ends between two instants, so that calls that start together are
 * sorted together. `tx` must be a transaction: the cursor lives until it ends.
 */
export async function* ratableCallsInOrder(tx: Sql, customerId: string, pageSize = 10_000): AsyncGenerator<RatableCall[]> {
  type Row = { id: number; externalId: string; startedAt: Date; durationSeconds: number; category: RatableCall['category']; direction: RatableCall['direction']; invoiced: boolean };
  const cursor = `ratable_calls_${++ratableCursors}`;
  await tx.query(
    `DECLARE ${cursor} NO SCROLL CURSOR FOR
     SELECT c.id, c.external_id AS "externalId", c.started_at AS "startedAt", c.duration_seconds AS "durationSeconds",
            c.category, c.direction, (b.invoice_id IS NOT NULL) AS invoiced
     FROM calls c LEFT JOIN billing_items b ON b.call_id = c.id
     WHERE c.customer_id = $1 AND c.match_status = 'matched'
     ORDER BY c.started_at`,
    [customerId],
  );
  try {
    // The calls of the last instant fetched (to the millisecond, as calls are stored) wait for the next page.
    let held: Row[] = [];
    for (;;) {
      const fetched = await tx.query<Row>(`FETCH ${pageSize} FROM ${cursor}`);
      const end = fetched.length < pageSize;
      let rows = held.length ? held.concat(fetched) : fetched;
      held = [];
      if (!end && rows.length) {
        const last = rows[rows.length - 1]!.startedAt.getTime();
        let cut = rows.length;
        while (cut > 0 && rows[cut - 1]!.startedAt.getTime() === last) cut--;
        held = rows.slice(cut);
        rows = rows.slice(0, cut);
      }
      const calls = rows.map((r): RatableCall => ({ callId: String(r.id), externalId: r.externalId, startedAt: r.startedAt.getTime(), durationSeconds: r.durationSeconds, category: r.category, direction: r.direction, invoiced: r.invoiced }));
      if (calls.length) yield calls.sort(compareCalls);
      if (end) return;
    }
  } finally {
    // A transaction that failed meanwhile has closed the cursor already.
    await tx.query(`CLOSE ${cursor}`).catch(() => undefined);
  }
}

/** The matching rules' generation; `share` holds it against rule changes until the transaction ends. */
export async function matchingGeneration(db: Sql, share = false): Promise<number> {
  const [row] = await db.query<{ generation: number }>(`SELECT generation FROM matching_generation${share ? ' FOR SHARE' : ''}`);
  return row!.generation;
}

/** Stored calls counted per customer (null: matched to no one) and duration: what billed minutes are computed from. */
export async function callCountsByCustomerAndDuration(db: Sql): Promise<{ customerId: string | null; durationSeconds: number; calls: number }[]> {
  return db.query(`SELECT customer_id AS "customerId", duration_seconds AS "durationSeconds", count(*)::int AS calls FROM calls GROUP BY customer_id, duration_seconds`);
}
