import type { Readable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { BillingError } from '../domain/billingError.ts';
import { checkedSourceId } from '../domain/sourceId.ts';
import type { Call } from '../domain/call.ts';
import type { CallMatcher } from '../domain/callMatcher.ts';
import { assembleCmsLeg } from '../ingest/cisco-cms/assembleCmsLeg.ts';
import type { CmsRecord } from '../ingest/cisco-cms/cmsRecord.ts';
import { groupCmsLegs } from '../ingest/cisco-cms/groupCmsLegs.ts';
import { parseCmsBody } from '../ingest/cisco-cms/parseCmsBody.ts';
import { addCmsDocumentRecords, addCmsItem, type CmsRecordsOfInput } from '../ingest/cisco-cms/readCmsXml.ts';
import { streamCmsDocuments } from '../ingest/cisco-cms/splitCmsDocuments.ts';
import type { IngestRecord } from '../ingest/ingestRecord.ts';
import type { VendorMapping } from '../ingest/vendorMapping.ts';
import { cmsCallsOfLegs, cmsLegIdsOfCalls, cmsRecordsOfLegs, insertCmsRecords, lockCmsCalls } from '../storage/cmsRecordStore.ts';
import type { Database, Sql } from '../storage/database.ts';
import { insertRejects, type Reject } from '../storage/rejectStore.ts';
import { addIngestSummary, countOutcome, emptyIngestSummary, mergeCallRecords, type IngestSummary } from './ingestCalls.ts';
import { WriteGroups } from './writeGroups.ts';
import { countSourceIngest } from './countSourceIngest.ts';
import { sharedCallMatcher } from './matchingRules.ts';
import { yieldingSql } from './yieldingSql.ts';

export const cmsFormat = 'cms-xml';

export interface CmsIngestOptions {
  source: string;
  /** Names the input in rejects: the file, or "http:<request id>". */
  file: string;
  mapping?: VendorMapping;
  /** The matcher of the rules in force, when the caller has it already (sharedCallMatcher). */
  matcher?: CallMatcher;
}

/** Records per transaction when a capture file is ingested. */
const recordsPerBatch = 5_000;

/** A source becomes a key of stored records and a URL segment: a source id, `cms` when none is given. */
function checkedSource(source: string | undefined): string {
  return checkedSourceId(source?.trim() || 'cms', 'The source');
}

/**
 * Records, legs or rejects per SQL statement. PGlite runs SQL on the event loop's thread: a statement
 * over a hundred records takes a few milliseconds there, one over a 4 MiB body seconds. PostgreSQL
 * runs it in its own process, so larger statements save round trips; what stays on our thread per
 * slice (JSON, assembling the legs) is a few milliseconds for 500.
 */
const rowsPerStatement = { pglite: 100, postgres: 500 } as const;

/** Items handled per turn of the event loop in the loops over a whole body (up to ~170,000 items). */
const itemsPerTurn = 1_000;

function* slices<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let at = 0; at < items.length; at += size) yield items.slice(at, at + size);
}

/** `each` over all items, letting other requests in every `itemsPerTurn` items. */
async function forEachYielding<T>(items: readonly T[], each: (item: T) => void): Promise<void> {
  for (const slice of slices(items, itemsPerTurn)) {
    for (const item of slice) each(item);
    await yieldToEventLoop();
  }
}

/**
 * The calls whose records and legs these records touch: the calls they name, and every call that
 * the stored records of the legs they name name. Undefined when a leg's call is not known at all
 * (its callLegStart is not stored yet, or is being stored by another body right now), or when the
 * body names more than `rows` legs or calls.
 */
async function callsOfRecords(tx: Sql, source: string, records: readonly CmsRecord[], rows: number): Promise<string[] | undefined> {
  const calls = new Set<string>();
  const legs = new Set<string>();
  for (const r of records) {
    if (r.callId) calls.add(r.callId);
    if (r.legId) legs.add(r.legId);
  }
  // A body of more legs or calls than one statement takes (a backfill, a capture file's batch) locks
  // the whole source: looking them all up would hold PGlite's thread, and nothing runs beside it anyway.
  if (legs.size > rows || calls.size > rows) return undefined;
  const stored = await cmsCallsOfLegs(tx, source, [...legs]);
  for (const r of records) if (r.legId && r.callId && !stored.has(r.legId)) stored.set(r.legId, [r.callId]);
  for (const leg of legs) {
    const ofLeg = stored.get(leg);
    if (ofLeg === undefined) return undefined;
    for (const call of ofLeg) calls.add(call);
  }
  return [...calls];
}

/** The records of one POST body or one batch of a capture file. */
interface CmsPart {
  parsed: { line: number; record: CmsRecord }[];
  others: IngestRecord[];
  /** Names the input in rejects and refusals: the file, or "http:<request id>". */
  file: string;
}

/**
 * Stores the records of POST bodies (several that arrived together, or one) or one batch of a file
 * and re-assembles every leg they touch from all that is stored of it, in ONE transaction: the caller
 * may answer 200 as soon as this resolves, and a crash before the commit leaves nothing half-stored
 * (CMS resends). Advisory locks per call (lockCmsCalls) serialise the assemblies of one call, so two
 * bodies about one leg cannot write an older version last, while bodies about other calls go on at
 * the same time. Records, legs and rejects go to the database in slices, and the event loop gets a
 * turn before every statement (yieldingSql): a 4 MiB body never holds the server for more than one
 * statement or the assembly of one slice of legs. Returns each part's summary: its records, its
 * rejects, and the legs it touched last (a leg that records of two parts touch is counted once, in the
 * later part; a leg reached through a callStart or callEnd, in the last part that has one).
 */
async function storeAndAssemble(db: Database, parts: readonly CmsPart[], options: { source: string; mapping?: VendorMapping; matcher?: CallMatcher }): Promise<IngestSummary[]> {
  const rows = rowsPerStatement[db.kind];
  const summaries = parts.map(() => emptyIngestSummary());
  const rejects: Reject[] = [];
  const reject = (part: number, line: number | null, field: string | null, reason: string, raw: string): void => {
    const r: Reject = { format: cmsFormat, file: parts[part]!.file, line, field, reason, raw, source: options.source };
    const summary = summaries[part]!;
    rejects.push(r);
    summary.rejected++;
    if (summary.firstRejects.length < 10) summary.firstRejects.push(r);
  };
  const exclude = (part: number, reason: string): void => {
    const summary = summaries[part]!;
    summary.excluded++;
    summary.excludedReasons[reason] = (summary.excludedReasons[reason] ?? 0) + 1;
  };
  for (const [part, { parsed, others }] of parts.entries()) {
    summaries[part]!.read = parsed.length;
    await forEachYielding(others, (o) => {
      if (o.kind !== 'call') summaries[part]!.read++;
      if (o.kind === 'reject') reject(part, o.line, o.field, o.reason, o.raw);
      else if (o.kind === 'excluded') exclude(part, o.reason);
    });
    await forEachYielding(parsed, ({ line, record }) => {
      if (record.numPreceedingRecordsMissing) {
        reject(part, line, 'numPreceedingRecordsMissing', `the Call Bridge lost ${record.numPreceedingRecordsMissing} records before this one while no receiver answered (this record itself is stored); legs may be missing`, JSON.stringify(record));
      }
    });
  }
  const all = parts.flatMap((p, part) => p.parsed.map(({ line, record }) => ({ line, record, part })));
  // Checked against the rules in force in the transaction by mergeCallRecords (reloaded there if they moved).
  const matcher = options.matcher ?? (await sharedCallMatcher(db));
  await db.transaction(async (transaction) => {
    const tx = yieldingSql(transaction);
    await lockCmsCalls(tx, options.source, await callsOfRecords(tx, options.source, all.map((p) => p.record), rows));
    // Every leg the bodies name, resent or not (a resend after a failed assembly repairs it), with the last part that names it.
    const partOfLeg = new Map<string, number>();
    const endedCalls = new Set<string>();
    let endedIn = 0;
    for (const slice of slices(all, rows)) {
      const stored = await insertCmsRecords(tx, options.source, slice.map((p) => p.record), slice.map((p) => parts[p.part]!.file));
      const entryOf = new Map(slice.map((p) => [p.record, p]));
      for (const c of stored.conflicting) {
        const entry = entryOf.get(c.record)!;
        reject(entry.part, entry.line, 'correlatorIndex', `differs from the stored record with session ${c.record.session} and correlatorIndex ${c.record.correlatorIndex} (a ${c.stored.type}); the stored one is kept`, JSON.stringify(c.record));
      }
      for (const { record, part } of slice) {
        if (record.legId) partOfLeg.set(record.legId, part);
        if ((record.type === 'callStart' || record.type === 'callEnd') && record.callId) {
          endedCalls.add(record.callId);
          endedIn = part;
        }
      }
    }
    for (const slice of slices([...endedCalls], rows)) {
      for (const id of await cmsLegIdsOfCalls(tx, options.source, slice)) if (!partOfLeg.has(id)) partOfLeg.set(id, endedIn);
    }
    const lines = parts.map(() => 0);
    // A slice of legs is read whole (every stored record of each), assembled and merged at once.
    for (const slice of slices([...partOfLeg.keys()], rows)) {
      const inSlice = new Set(slice);
      const legs = groupCmsLegs(await cmsRecordsOfLegs(tx, options.source, slice)).filter((leg) => inSlice.has(leg.legId));
      const calls: { file: string; line: number; call: Call; part: number }[] = [];
      for (const leg of legs) {
        const part = partOfLeg.get(leg.legId)!;
        const outcome = assembleCmsLeg(leg, { source: options.source, mapping: options.mapping });
        if (outcome.kind === 'call') calls.push({ file: parts[part]!.file, line: ++lines[part]!, call: outcome.call, part });
        else if (outcome.kind === 'excluded') exclude(part, outcome.reason);
        else if (outcome.kind === 'reject') reject(part, null, outcome.field, `leg ${leg.legId}: ${outcome.reason}`, leg.legRecords.map((r) => JSON.stringify(r)).join('\n'));
      }
      const outcomes = await mergeCallRecords(tx, calls, matcher);
      calls.forEach((c, i) => countOutcome(outcomes[i]!, summaries[c.part]!));
    }
    for (const slice of slices(rejects, rows)) await insertRejects(tx, slice);
  });
  const total = emptyIngestSummary();
  for (const summary of summaries) addIngestSummary(total, summary);
  await countSourceIngest(db, options.source, total.read, total.excludedReasons);
  return summaries;
}

/** The CMS bodies waiting to be stored, per database and source, stored together (WriteGroups). */
const bodyGroups = new WeakMap<Database, Map<string, WriteGroups<CmsPart & { mapping?: VendorMapping; matcher?: CallMatcher }, IngestSummary>>>();

/** Stores one body's records with the bodies of its source that wait at the same time, in one transaction. */
function storeBodyTogether(db: Database, part: CmsPart, options: { source: string; mapping?: VendorMapping; matcher?: CallMatcher }): Promise<IngestSummary> {
  const rows = rowsPerStatement[db.kind];
  // A body of more records than one statement takes (a backfill) goes alone, as it always did.
  if (part.parsed.length > rows) return storeAndAssemble(db, [part], options).then((s) => s[0]!);
  let ofDatabase = bodyGroups.get(db);
  if (!ofDatabase) bodyGroups.set(db, (ofDatabase = new Map()));
  let groups = ofDatabase.get(options.source);
  if (!groups) {
    const source = options.source;
    // The newest body's configuration and rules: those in force when the group is stored.
    groups = new WriteGroups((group) => storeAndAssemble(db, group, { source, mapping: group[group.length - 1]!.mapping, matcher: group[group.length - 1]!.matcher }), (p) => Math.max(1, p.parsed.length), rows);
    ofDatabase.set(source, groups);
  }
  return groups.add({ ...part, mapping: options.mapping, matcher: options.matcher });
}

/**
 * One CMS POST body (the receiver): stored and assembled before it resolves. A body that is not
 * readable XML at all throws `unreadable-input` and stores nothing, so the sender gets a 400. A large
 * body is parsed on a worker thread (parseCmsBody), so the server keeps answering meanwhile.
 */
export async function ingestCmsBody(db: Database, body: Buffer, options: CmsIngestOptions): Promise<IngestSummary> {
  const source = checkedSource(options.source);
  const parsed = await parseCmsBody(body);
  if (!parsed.readable) throw new BillingError('unreadable-input', `The body is not a CMS CDR document: ${parsed.reason}. Nothing of it was stored.`);
  const items: CmsRecordsOfInput = { records: [], others: [] };
  await forEachYielding(parsed.items, (item) => addCmsItem(item, item.index, items));
  return storeBodyTogether(db, { parsed: items.records, others: items.others, file: options.file }, { source, mapping: options.mapping, matcher: options.matcher });
}

/**
 * A saved capture (`confbill ingest --format cms-xml`): XML documents one after the other, bare
 * record fragments, or JSON lines with `rawpost`. Stored in batches, each assembled like a POST,
 * so the result is the same as if CMS had posted the records to the receiver.
 */
export async function ingestCmsFile(db: Database, input: Readable, options: CmsIngestOptions): Promise<IngestSummary> {
  const source = checkedSource(options.source);
  const total = emptyIngestSummary();
  const counter = { records: 0 };
  let batch: CmsRecordsOfInput = { records: [], others: [] };
  const flush = async (): Promise<void> => {
    if (batch.records.length === 0 && batch.others.length === 0) return;
    addIngestSummary(total, (await storeAndAssemble(db, [{ parsed: batch.records, others: batch.others, file: options.file }], { source, mapping: options.mapping, matcher: options.matcher }))[0]!);
    batch = { records: [], others: [] };
  };
  for await (const doc of streamCmsDocuments(decodedText(input))) {
    addCmsDocumentRecords(doc, batch, counter);
    if (batch.records.length >= recordsPerBatch) await flush();
  }
  await flush();
  return total;
}

/** The stream's text, decoded chunk by chunk (a character split across chunks is kept whole). */
async function* decodedText(input: Readable): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of input) yield typeof chunk === 'string' ? chunk : decoder.decode(chunk as Buffer, { stream: true });
  const rest = decoder.decode();
  if (rest) yield rest;
}
