import type { Readable } from 'node:stream';
import type { IngestRecord, ReaderOptions } from '../ingestRecord.ts';
import { assembleCmsLeg } from './assembleCmsLeg.ts';
import type { CmsRecord } from './cmsRecord.ts';
import { groupCmsLegs } from './groupCmsLegs.ts';
import { parseCmsRecords, type CmsParseItem } from './parseCmsRecords.ts';
import { unstorableRecordReject, unstorableTextReason } from '../unstorableText.ts';
import { splitCmsDocuments, type CmsDocument } from './splitCmsDocuments.ts';

export interface CmsRecordsOfInput {
  records: { line: number; record: CmsRecord }[];
  /** Rejects and skipped record types, in input order. */
  others: IngestRecord[];
}

/** The key of a record across resends and receivers (CDR Guide: session + correlatorIndex). */
export function cmsRecordKey(r: CmsRecord): string {
  return `${r.session} ${r.correlatorIndex}`;
}

/**
 * The records of one document of a capture, appended to `into`; `counter` numbers the records
 * across the input (a record's `line`), and an unreadable document is one reject at its line.
 */
export function addCmsDocumentRecords(doc: CmsDocument, into: CmsRecordsOfInput, counter: { records: number }): void {
  if (doc.kind === 'unreadable') {
    into.others.push({ kind: 'reject', line: doc.line, field: null, reason: doc.reason, raw: doc.raw });
    return;
  }
  const parsed = parseCmsRecords(doc.xml);
  if (!parsed.readable) {
    into.others.push({ kind: 'reject', line: doc.line, field: null, reason: `document unreadable: ${parsed.reason}`, raw: doc.xml.slice(0, 10_000) });
    return;
  }
  for (const item of parsed.items) addCmsItem(item, ++counter.records, into);
}

/**
 * One parsed item, appended to `into` as a record to store, an exclusion or a reject. Records are
 * stored as jsonb, which cannot hold `\u0000`: a record with a NUL byte in a field (its type too)
 * is a reject naming the field, so that it neither fails its batch nor makes a receiver answer 500.
 */
export function addCmsItem(item: CmsParseItem, line: number, into: CmsRecordsOfInput): void {
  if (item.kind === 'ignored') {
    // A record skipped for its type names the type in the reason, which is counted per source (jsonb).
    const problem = unstorableTextReason(item.reason);
    if (problem) into.others.push({ kind: 'reject', line, field: 'type', reason: `type ${problem}`, raw: item.reason });
    else into.others.push({ kind: 'excluded', line, reason: item.reason });
  } else if (item.kind === 'reject') into.others.push({ kind: 'reject', line, field: item.field, reason: item.reason, raw: item.raw });
  else {
    const { session, callBridge, id, fields } = item.record;
    // The record as parsed is what is kept: the sender's own text is not carried for accepted records.
    const unstorable = unstorableRecordReject({ session, callBridge, id, ...fields }, line, () => JSON.stringify(item.record));
    if (unstorable) into.others.push(unstorable);
    else into.records.push({ line, record: item.record });
  }
}

/**
 * Parses a whole CMS capture (see splitCmsDocuments) into records; `line` is the running record
 * number, or the document's line for a document that is unreadable as a whole.
 */
export function cmsRecordsOfText(text: string): CmsRecordsOfInput {
  const result: CmsRecordsOfInput = { records: [], others: [] };
  const counter = { records: 0 };
  for (const doc of splitCmsDocuments(text)) addCmsDocumentRecords(doc, result, counter);
  return result;
}

/**
 * The `cms-xml` reader for one input on its own: it assembles the legs from the records of this
 * input only (a leg that does not end in it is reported as excluded, "not ended"). `confbill ingest`
 * and the receiver instead store every record and assemble across inputs (services/ingestCmsRecords.ts).
 */
export async function* readCmsXml(input: Readable, options: ReaderOptions): AsyncGenerator<IngestRecord> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  const { records, others } = cmsRecordsOfText(new TextDecoder('utf-8').decode(Buffer.concat(chunks)));
  yield* others;
  const seen = new Map<string, CmsRecord>();
  const lineOf = new Map<CmsRecord, number>();
  for (const { line, record } of records) {
    const key = cmsRecordKey(record);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, record);
      lineOf.set(record, line);
    } else if (JSON.stringify(first) !== JSON.stringify(record)) {
      yield { kind: 'reject', line, field: 'correlatorIndex', reason: `differs from the earlier record with session ${record.session} and correlatorIndex ${record.correlatorIndex}; the first one is kept`, raw: JSON.stringify(record) };
    }
  }
  const source = options.source || 'cms';
  for (const leg of groupCmsLegs([...seen.values()])) {
    const line = Math.max(...leg.legRecords.map((r) => lineOf.get(r) ?? 0));
    const outcome = assembleCmsLeg(leg, { source, mapping: options.mapping });
    if (outcome.kind === 'call') yield { kind: 'call', line, call: outcome.call };
    else if (outcome.kind === 'excluded') yield { kind: 'excluded', line, reason: outcome.reason };
    else if (outcome.kind === 'incomplete') yield { kind: 'excluded', line, reason: 'not ended in this input' };
    else yield { kind: 'reject', line, field: outcome.field, reason: `leg ${leg.legId}: ${outcome.reason}`, raw: leg.legRecords.map((r) => JSON.stringify(r)).join('\n') };
  }
}
