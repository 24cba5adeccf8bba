import type { Readable } from 'node:stream';
import type { Call } from '../domain/call.ts';
import type { CallMatcher } from '../domain/callMatcher.ts';
import { checkedSourceId } from '../domain/sourceId.ts';
import type { CallRecordReader, ReaderOptions } from '../ingest/ingestRecord.ts';
import { oversizedCallField, unstorableField } from '../ingest/unstorableText.ts';
import { createCallStaging, mergeCallRows, mergeStagedCalls, singleStatementMergeRows, stagedCallColumns, stagedCallCsvLine, type CallRowOutcome, type IngestMatch } from '../storage/callStore.ts';
import { markRatingDirty } from '../storage/ratingStateStore.ts';
import { currentCallMatcher, sharedCallMatcher } from './matchingRules.ts';
import type { Database, Sql } from '../storage/database.ts';
import { insertRejects, type Reject } from '../storage/rejectStore.ts';
import { recordUntrackedCalls } from './webhookEvents.ts';
import { countSourceIngest } from './countSourceIngest.ts';
import { storeCallsTogether } from './storeCallsTogether.ts';

export interface IngestSummary {
  read: number;
  new: number;
  updated: number;
  unchanged: number;
  conflicts: number;
  rejected: number;
  /** Well-formed records that are not billable legs, by reason (recorder legs, IVR only, …). */
  excluded: number;
  excludedReasons: Record<string, number>;
  /** The first rejects, for the summary a person reads (all of them are stored). */
  firstRejects: Reject[];
}

export interface IngestOptions {
  format: string;
  file: string;
  source?: string;
  /** What the reader needs from the source's configuration (time zone, mapping, domains). */
  reader?: Omit<ReaderOptions, 'file' | 'source'>;
  batchSize?: number;
  /** The matcher of the rules in force, when the caller has it already (sharedCallMatcher). */
  matcher?: CallMatcher;
  /**
   * Stores each small batch in a transaction shared with the other posts waiting on the database
   * (storeCallsTogether): a receiver's post of a record or a few.
   */
  together?: boolean;
  /** Called after each stored batch with the records read so far. */
  onBatch?: (summary: IngestSummary) => void;
}

/** How a call is stored at ingest: matched to its customer, or why not (docs/billing-rules.md §2). */
export function ingestMatch(matcher: CallMatcher, call: Call): IngestMatch {
  const outcome = matcher.match(call);
  if (outcome.status === 'matched') return { status: 'matched', customerId: outcome.customerId, rule: outcome.ruleId };
  if (outcome.status === 'ambiguous') return { status: 'ambiguous', customerId: null, rule: outcome.ruleIds.join(' ') };
  return { status: 'no-customer', customerId: null, rule: null };
}

/**
 * Stores a batch of calls in the caller's transaction: matched as they go in (by the rules in force
 * now, re-loaded if they changed since `matcher` was built), merged set-based (new, changed,
 * identical, or refused for an invoiced call: one statement for a small batch, COPY into staging and
 * a few statements for a large one), the customers whose calls changed marked for rating, and the
 * calls it left untracked reported to webhooks (one `calls.untracked` event per batch). Counts are
 * added to `summary`.
 */
export async function mergeCallBatch(tx: Sql, batch: readonly { line: number; call: Call }[], matcher: CallMatcher, file: string, summary: IngestSummary): Promise<void> {
  if (batch.length <= singleStatementMergeRows) {
    countOutcomes(await mergeCallRecords(tx, batch.map((c) => ({ file, line: c.line, call: c.call })), matcher), summary);
    return;
  }
  const current = await currentCallMatcher(tx, matcher);
  const calls = lastRecordOfEachCall(batch);
  await createCallStaging(tx);
  await tx.copyCsv('staged_calls', stagedCallColumns, calls.map((c) => stagedCallCsvLine(c.line, c.call, ingestMatch(current, c.call))).join(''));
  const merged = await mergeStagedCalls(tx, file, calls.length);
  await markRatingDirty(tx, merged.touchedCustomers);
  await recordUntrackedCalls(tx, 'ingest', merged.callIds);
  summary.new += merged.inserted;
  summary.updated += merged.updated;
  summary.conflicts += merged.conflicts;
  summary.unchanged += batch.length - merged.inserted - merged.updated - merged.conflicts;
}

/**
 * A small batch of calls (at most `singleStatementMergeRows`), each with the input it came from,
 * stored in the caller's transaction like `mergeCallBatch` does, in one merge statement; returns what
 * became of each record, in order. A record followed in the batch by a later one of the same call is
 * `unchanged`: the later one stands, as if they had been stored one after the other.
 */
export async function mergeCallRecords(tx: Sql, records: readonly { file: string; line: number; call: Call }[], matcher: CallMatcher): Promise<CallRowOutcome[]> {
  if (records.length === 0) return [];
  const current = await currentCallMatcher(tx, matcher);
  const calls = lastRecordOfEachCall(records);
  const merged = await mergeCallRows(tx, calls.map((c) => ({ file: c.file, line: c.line, call: c.call, match: ingestMatch(current, c.call) })));
  await markRatingDirty(tx, merged.touchedCustomers);
  await recordUntrackedCalls(tx, 'ingest', merged.callIds);
  if (calls === records) return merged.outcomes;
  const outcomeOf = new Map(calls.map((c, i) => [c, merged.outcomes[i]!]));
  return records.map((r) => outcomeOf.get(r) ?? 'unchanged');
}

/** Adds what became of each record to the summary's counts. */
function countOutcomes(outcomes: readonly CallRowOutcome[], summary: IngestSummary): void {
  for (const outcome of outcomes) countOutcome(outcome, summary);
}

/** Adds what became of one record to the summary's counts. */
export function countOutcome(outcome: CallRowOutcome, summary: IngestSummary): void {
  if (outcome === 'inserted') summary.new++;
  else if (outcome === 'updated') summary.updated++;
  else if (outcome === 'conflict') summary.conflicts++;
  else summary.unchanged++;
}

/** A batch with each call (source and external id) once: its last record, the one that stands. */
function lastRecordOfEachCall<T extends { call: Call }>(batch: readonly T[]): readonly T[] {
  // NUL cannot be in stored text (unstorableField), so it separates the two parts of the key.
  const last = new Map<string, number>();
  batch.forEach((c, i) => last.set(`${c.call.source}\0${c.call.externalId}`, i));
  return last.size === batch.length ? batch : batch.filter((c, i) => last.get(`${c.call.source}\0${c.call.externalId}`) === i);
}

export function emptyIngestSummary(): IngestSummary {
  // No prototype: an exclusion reason is the configuration's text, and "constructor" or "__proto__" must count like any other.
  return { read: 0, new: 0, updated: 0, unchanged: 0, conflicts: 0, rejected: 0, excluded: 0, excludedReasons: Object.create(null) as Record<string, number>, firstRejects: [] };
}

/** Adds one summary's counts into a running total (several files, several requests). */
export function addIngestSummary(total: IngestSummary, part: IngestSummary): void {
  for (const key of ['read', 'new', 'updated', 'unchanged', 'conflicts', 'rejected', 'excluded'] as const) total[key] += part[key];
  for (const [reason, n] of Object.entries(part.excludedReasons)) total.excludedReasons[reason] = (total.excludedReasons[reason] ?? 0) + n;
  total.firstRejects.push(...part.firstRejects.slice(0, Math.max(0, 10 - total.firstRejects.length)));
}

/**
 * Streams records from a reader into the database in batches: each batch is COPYed into a staging
 * table and merged with set-based SQL in one transaction, so a file of millions of rows never sits in
 * memory and costs one round trip per batch, not per row. Rejects are stored with the batch.
 */
export async function ingestCalls(db: Database, reader: CallRecordReader, input: Readable, options: IngestOptions): Promise<IngestSummary> {
  if (options.source !== undefined) checkedSourceId(options.source, 'The source');
  const summary: IngestSummary = emptyIngestSummary();
  const batchSize = options.batchSize ?? 20_000;
  // Calls are matched as they are read and stored matched: one write per call instead of two.
  const matcher = options.matcher ?? (await sharedCallMatcher(db));
  let calls: { line: number; call: Call }[] = [];
  let rejects: Reject[] = [];

  // One batch in the database while the next is read: the reader's work (parsing, matching) overlaps
  // the server's. Batches still commit one after another, in file order.
  let storing: Promise<void> | undefined;
  const flush = async (): Promise<void> => {
    if (calls.length === 0 && rejects.length === 0) return;
    const batch = calls;
    const batchRejects = rejects;
    calls = [];
    rejects = [];
    await storing;
    storing = (options.together && batch.length <= singleStatementMergeRows
      ? storeCallsTogether(db, batch.map((c) => ({ file: options.file, line: c.line, call: c.call })), batchRejects, matcher).then((outcomes) => countOutcomes(outcomes, summary))
      : db.transaction(async (tx) => {
        if (batch.length) await mergeCallBatch(tx, batch, matcher, options.file, summary);
        await insertRejects(tx, batchRejects);
      })).then(() => options.onBatch?.(summary));
    // Its failure is thrown where it is awaited (the next flush, or the end); until then it is not unhandled.
    storing.catch(() => undefined);
  };

  // Per source, what its records were, whichever format names it (the file's column, the reader's default, or --source).
  const bySource = new Map<string, { read: number; excludedReasons: Record<string, number> }>();
  const countFor = (source: string | undefined): { read: number; excludedReasons: Record<string, number> } | undefined => {
    if (!source) return undefined;
    let counts = bySource.get(source);
    if (!counts) bySource.set(source, (counts = { read: 0, excludedReasons: Object.create(null) as Record<string, number> }));
    return counts;
  };

  const addReject = (line: number | null, field: string | null, reason: string, raw: string, source: string | null): void => {
    const reject: Reject = { format: options.format, file: options.file, line, field, reason, raw, source };
    rejects.push(reject);
    summary.rejected++;
    if (summary.firstRejects.length < 10) summary.firstRejects.push(reject);
  };

  try {
    for await (const record of reader(input, { ...options.reader, file: options.file, source: options.source })) {
      summary.read++;
      if (record.kind === 'call') {
        // Readers refuse such text field by field; this keeps any reader's slip from failing the batch.
        const unstorable = unstorableField(record.call) ?? oversizedCallField(record.call as unknown as Record<string, unknown>);
        // An unstorable source is no name to count under (nor to store a reject with).
        const sourceField = { source: record.call.source };
        const source = unstorable && (unstorableField(sourceField) ?? oversizedCallField(sourceField)) ? options.source : record.call.source;
        const counts = countFor(source);
        if (counts) counts.read++;
        if (unstorable) addReject(record.line, unstorable.field, `${unstorable.field} ${unstorable.reason}`, JSON.stringify(record.call), source ?? null);
        else calls.push({ line: record.line, call: record.call });
      } else if (record.kind === 'excluded') {
        summary.excluded++;
        summary.excludedReasons[record.reason] = (summary.excludedReasons[record.reason] ?? 0) + 1;
        const counts = countFor(record.source ?? options.source);
        if (counts) {
          counts.read++;
          counts.excludedReasons[record.reason] = (counts.excludedReasons[record.reason] ?? 0) + 1;
        }
      } else {
        const source = record.source ?? options.source;
        const counts = countFor(source);
        if (counts) counts.read++;
        addReject(record.line, record.field, record.reason, record.raw, source ?? null);
      }
      if (calls.length >= batchSize) await flush();
    }
    await flush();
  } catch (error) {
    // Not left running behind the caller's back (it may close the database next).
    await storing?.catch(() => undefined);
    throw error;
  }
  await storing;
  await Promise.all([...bySource].map(([source, counts]) => countSourceIngest(db, source, counts.read, counts.excludedReasons)));
  return summary;
}

/**
 * A file of which no record could be read: it had records, and every one was rejected (a file of
 * another format is one reject, its header). An empty file is not one: it had nothing to read.
 */
export function noRecordReadable(summary: Pick<IngestSummary, 'read' | 'rejected'>): boolean {
  return summary.read > 0 && summary.rejected === summary.read;
}
