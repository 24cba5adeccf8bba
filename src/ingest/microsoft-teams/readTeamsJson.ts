import type { Readable } from 'node:stream';
import type { Call } from '../../domain/call.ts';
import { parseInstant } from '../../domain/calendar.ts';
import type { IngestRecord, ReaderOptions } from '../ingestRecord.ts';
import { exclusionOf } from '../vendorMapping.ts';
import { defaultMapping } from './defaultMapping.ts';
import { teamsDirection } from './teamsDirection.ts';
import { teamsIdentityOf, type TeamsIdentity } from './teamsIdentity.ts';
import { jsonMayHoldUnstorable, unstorableRecordReject } from '../unstorableText.ts';
import { earliestLegStart as earliest, latestLegStart as latest, maxLegSeconds as maxDurationSeconds } from '../legPlausibility.ts';
import { ownValue } from '../../domain/ownValue.ts';

/** A callRecord file is one JSON document: it is read whole, so its size is bounded. */
export const maxTeamsJsonBytes = 256 * 1024 * 1024;

const maxRawChars = 4000;
/** Richest first: a session with video and audio is a video session. */
const modalityOrder = ['video', 'videoBasedScreenSharing', 'screenSharing', 'audio', 'data'];

type Json = Record<string, unknown>;

class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field} ${message}`);
  }
}

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function rawOf(value: unknown): string {
  return (JSON.stringify(value) ?? String(value)).slice(0, maxRawChars);
}

/** What a session needs of its callRecord (absent on a page of sessions fetched by `sessions@odata.nextLink`). */
interface RecordContext {
  id: string;
  type?: string;
  modalities: string[];
  organizer?: TeamsIdentity;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function instantOf(value: unknown, field: string): number {
  if (typeof value !== 'string') throw new FieldError(field, 'is missing');
  const instant = parseInstant(value);
  if (instant === undefined) throw new FieldError(field, `"${value}" is not an ISO 8601 instant`);
  if (instant < earliest || instant >= latest) throw new FieldError(field, `"${value}" is outside the years 2000-2099`);
  return instant;
}

/** A session's own times, else the span of its segments (a session page may omit them). */
function spanOf(session: Json, field: string): { start: number; end: number } {
  if (session.startDateTime !== undefined || session.endDateTime !== undefined || !Array.isArray(session.segments)) {
    return { start: instantOf(session.startDateTime, `${field}.startDateTime`), end: instantOf(session.endDateTime, `${field}.endDateTime`) };
  }
  const segments = session.segments.map(asObject);
  if (segments.length === 0) throw new FieldError(`${field}.startDateTime`, 'is missing and the session has no segments');
  const starts = segments.map((s, i) => instantOf(s?.startDateTime, `${field}.segments[${i}].startDateTime`));
  const ends = segments.map((s, i) => instantOf(s?.endDateTime, `${field}.segments[${i}].endDateTime`));
  return { start: Math.min(...starts), end: Math.max(...ends) };
}

function endpointText(endpoint: unknown, key: 'platform' | 'productFamily' | 'headerValue'): string | undefined {
  const value = asObject(asObject(endpoint)?.userAgent)?.[key];
  return typeof value === 'string' ? value : undefined;
}

function toCall(context: RecordContext, session: Json, field: string, options: ReaderOptions): Call | { excluded: string } {
  const mapping = options.mapping ?? defaultMapping;
  if (typeof session.id !== 'string' || session.id === '') throw new FieldError(`${field}.id`, 'is missing');
  const modalities = stringsOf(session.modalities).length ? stringsOf(session.modalities) : context.modalities;
  const fields = {
    type: context.type,
    isTest: String(session.isTest === true),
    modalities: modalities.join(','),
    callerPlatform: endpointText(session.caller, 'platform'),
    calleePlatform: endpointText(session.callee, 'platform'),
    callerProductFamily: endpointText(session.caller, 'productFamily'),
    calleeProductFamily: endpointText(session.callee, 'productFamily'),
    callerUserAgent: endpointText(session.caller, 'headerValue'),
    calleeUserAgent: endpointText(session.callee, 'headerValue'),
  };
  const rule = exclusionOf(mapping.exclude, fields);
  if (rule) return { excluded: rule.reason };
  const { start, end } = spanOf(session, field);
  if (end < start) throw new FieldError(`${field}.endDateTime`, 'is before startDateTime');
  const durationSeconds = Math.round((end - start) / 1000);
  if (durationSeconds > maxDurationSeconds) throw new FieldError(`${field}.endDateTime`, `gives ${durationSeconds} s, longer than a week`);
  const modality = modalityOrder.find((m) => modalities.includes(m)) ?? modalities[0] ?? '';
  const category = ownValue(mapping.categories, modality) ?? 'teams';

  const caller = teamsIdentityOf(session.caller);
  let callee = teamsIdentityOf(session.callee);
  // In a meeting the callee is the conferencing server, with no identity: it stands for the organizer.
  if (!callee?.domain && !callee?.tenantId && context.type === 'groupCall') callee = context.organizer;
  // Domains belong to customers as the rules valid at the session's start say (docs/billing-rules.md §2).
  const ownerOf = options.customerOfDomain && ((domain: string): string | undefined => options.customerOfDomain!(domain, start));
  const direction = teamsDirection(caller, callee, ownerOf);
  let localAlias = caller?.alias;
  let remoteAlias = callee?.alias;
  const known = (identity: TeamsIdentity | undefined): boolean => Boolean(identity?.domain && ownerOf?.(identity.domain));
  // docs/billing-rules.md §2: the caller is the local end when it is the provider's customer's, else the callee.
  if (!known(caller) && known(callee)) [localAlias, remoteAlias] = [remoteAlias, localAlias];
  for (const [name, value] of [['id', context.id], [`${field}.id`, session.id], [`${field}.caller`, localAlias], [`${field}.callee`, remoteAlias]] as const) {
    if (value?.includes('\uFFFD')) throw new FieldError(name, 'is not valid UTF-8');
  }
  return {
    source: options.source || 'teams',
    externalId: `${context.id}/${session.id}`,
    conferenceId: context.id,
    startedAt: start,
    durationSeconds,
    category,
    direction,
    localAlias,
    remoteAlias,
    tenant: context.organizer?.tenantId,
  };
}

/** `mayHoldUnstorable`: whether the text the records come from may hold what `unstorableField` looks for (jsonMayHoldUnstorable). */
function* sessionsOf(context: RecordContext, sessions: unknown[], line: number, fieldPrefix: string, options: ReaderOptions, mayHoldUnstorable: boolean): Generator<IngestRecord> {
  for (const [i, entry] of sessions.entries()) {
    const field = `${fieldPrefix}[${i}]`;
    const session = asObject(entry);
    const unstorable = mayHoldUnstorable ? unstorableRecordReject(entry, line, () => rawOf(entry), field) : undefined;
    if (unstorable) {
      yield unstorable;
      continue;
    }
    try {
      if (!session) throw new FieldError(field, 'is not a session object');
      const result = toCall(context, session, field, options);
      if ('excluded' in result) yield { kind: 'excluded', line, reason: result.excluded };
      else yield { kind: 'call', line, call: result };
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      yield { kind: 'reject', line, field: error.field, reason: error.message, raw: rawOf(entry) };
    }
  }
}

function* callRecordLegs(value: unknown, line: number, options: ReaderOptions, mayHoldUnstorable: boolean): Generator<IngestRecord> {
  const record = asObject(value);
  if (!record) {
    yield { kind: 'reject', line, field: null, reason: 'is not a callRecord object', raw: rawOf(value) };
    return;
  }
  // The callRecord's own fields; each session is checked as a record of its own.
  const unstorable = mayHoldUnstorable ? unstorableRecordReject({ ...record, sessions: undefined }, line, () => rawOf(record)) : undefined;
  if (unstorable) {
    yield unstorable;
    return;
  }
  if (typeof record.id !== 'string' || record.id === '') {
    yield { kind: 'reject', line, field: 'id', reason: 'id is missing: not a callRecord', raw: rawOf(record) };
    return;
  }
  if (!Array.isArray(record.sessions)) {
    yield { kind: 'reject', line, field: 'sessions', reason: 'sessions is missing: fetch the record with ?$expand=sessions($expand=segments)', raw: rawOf(record) };
    return;
  }
  const organizer = teamsIdentityOf(record.organizer_v2) ?? teamsIdentityOf(record.organizer);
  const context: RecordContext = { id: record.id, type: typeof record.type === 'string' ? record.type : undefined, modalities: stringsOf(record.modalities), organizer };
  yield* sessionsOf(context, record.sessions, line, 'sessions', options, mayHoldUnstorable);
}

/** `callRecords('<id>')/sessions` in the context of a page of sessions names their callRecord. */
const sessionsPageContext = /callRecords\('([^']+)'\)\/sessions/;

/**
 * One JSON document: a callRecord, an array of them, a `{ value: [...] }` page of them, or a page of
 * one callRecord's sessions (`sessions@odata.nextLink`). `line` counts records (or sessions of a page)
 * from 1, or is the line number in a JSON Lines file.
 */
function* documentLegs(document: unknown, line: number | undefined, options: ReaderOptions, mayHoldUnstorable: boolean): Generator<IngestRecord> {
  if (Array.isArray(document)) {
    for (const [i, value] of document.entries()) yield* callRecordLegs(value, line ?? i + 1, options, mayHoldUnstorable);
    return;
  }
  const page = asObject(document);
  if (page && Array.isArray(page.value)) {
    const context = typeof page['@odata.context'] === 'string' ? sessionsPageContext.exec(page['@odata.context']) : null;
    if (context) {
      for (const [i, session] of page.value.entries()) yield* sessionsOf({ id: context[1]!, modalities: [] }, [session], line ?? i + 1, 'value', options, mayHoldUnstorable);
      return;
    }
    for (const [i, value] of page.value.entries()) yield* callRecordLegs(value, line ?? i + 1, options, mayHoldUnstorable);
    return;
  }
  yield* callRecordLegs(document, line ?? 1, options, mayHoldUnstorable);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/**
 * Reads Microsoft Graph callRecords saved as JSON (docs/vendors/microsoft-teams.md): one leg per
 * session. A file that is not JSON is one reject; a bad record or session is a reject of its own and
 * the others are read.
 */
export async function* readTeamsJson(input: Readable, options: ReaderOptions): AsyncGenerator<IngestRecord> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > maxTeamsJsonBytes) {
      yield { kind: 'reject', line: null, field: null, reason: `the file is larger than ${maxTeamsJsonBytes / 1024 / 1024} MiB: save the callRecords in smaller files`, raw: '' };
      return;
    }
    chunks.push(buffer);
  }
  const text = new TextDecoder('utf-8').decode(Buffer.concat(chunks)).replace(/^\uFEFF/, '');
  if (text.trim() === '') return;
  const whole = parseJson(text);
  // One scan of the whole text spares walking every record when nothing in it could be unstorable.
  const mayHoldUnstorable = jsonMayHoldUnstorable(text);
  if (whole.ok) {
    yield* documentLegs(whole.value, undefined, options, mayHoldUnstorable);
    return;
  }
  const lines = text.split(/\r?\n/);
  const firstLine = lines.find((l) => l.trim() !== '') ?? '';
  const first = parseJson(firstLine);
  if (!first.ok || !asObject(first.value)) {
    yield { kind: 'reject', line: null, field: null, reason: `not valid JSON (nor JSON Lines): ${whole.message}`, raw: text.slice(0, maxRawChars) };
    return;
  }
  // JSON Lines: one callRecord per line, each line read on its own.
  for (const [i, lineText] of lines.entries()) {
    if (lineText.trim() === '') continue;
    const parsed = parseJson(lineText);
    if (parsed.ok) yield* documentLegs(parsed.value, i + 1, options, mayHoldUnstorable);
    else yield { kind: 'reject', line: i + 1, field: null, reason: `not valid JSON: ${parsed.message}`, raw: lineText.slice(0, maxRawChars) };
  }
}
