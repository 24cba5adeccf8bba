import type { Readable } from 'node:stream';
import type { Call, CallDirection } from '../../domain/call.ts';
import { isValidTimeZone } from '../../domain/calendar.ts';
import type { IngestRecord, ReaderOptions } from '../ingestRecord.ts';
import { exclusionOf, type VendorMapping } from '../vendorMapping.ts';
import { defaultMapping } from './defaultMapping.ts';
import { expresswayLocalTime } from './expresswayLocalTime.ts';
import { jsonObjectTexts } from './jsonObjectTexts.ts';
import { jsonMayHoldUnstorable, unstorableRecordReject } from '../unstorableText.ts';
import { earliestLegStart as earliest, latestLegStart as latest, maxLegSeconds as maxDurationSeconds } from '../legPlausibility.ts';
import { ownValue } from '../../domain/ownValue.ts';

/** Legs longer than this are refused as absurd (a week; no call stays up that long). */
const maxRawChars = 100_000;

type Fields = Record<string, string | undefined>;

class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field} ${message}`);
  }
}

/** The record's top-level values as text, the way exclusion rules and the format note name them (booleans are "true"/"false"). */
function fieldsOf(record: Record<string, unknown>): Fields {
  const fields: Fields = {};
  for (const [key, value] of Object.entries(record)) {
    if (typeof value === 'string') fields[key] = value.trim();
    else if (typeof value === 'number' || typeof value === 'boolean') fields[key] = String(value);
  }
  return fields;
}

function text(fields: Fields, name: string): string {
  const value = fields[name] ?? '';
  if (value.includes('\uFFFD')) throw new FieldError(name, 'is not valid UTF-8');
  return value;
}

function localTime(fields: Fields, name: string, timeZone: string): number {
  const value = text(fields, name);
  const instant = expresswayLocalTime(value, timeZone);
  if (instant === undefined) throw new FieldError(name, `"${value}" is not a local time YYYY-MM-DD HH:MM:SS`);
  if (instant < earliest || instant >= latest) throw new FieldError(name, `"${value}" is outside the years 2000-2099`);
  return instant;
}

interface Details {
  duration?: number;
  callerRegistered: boolean;
}

/**
 * What the `details` JSON string adds: the whole-second duration and whether the calling leg is
 * registered to this box. It repeats the key "Leg" inside `Participants`, which JSON.parse survives by
 * keeping the last; details that do not parse are ignored, the top-level fields suffice.
 */
function detailsOf(value: string | undefined): Details {
  if (!value) return { callerRegistered: false };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { callerRegistered: false };
  }
  const call = (parsed as { Call?: { Duration?: unknown; Legs?: unknown } } | null)?.Call;
  const duration = typeof call?.Duration === 'string' && /^\d{1,12}$/.test(call.Duration) ? Number(call.Duration) : undefined;
  const firstLeg = Array.isArray(call?.Legs) ? (call.Legs[0] as { Leg?: { Registration?: unknown } } | undefined)?.Leg : undefined;
  return { duration, callerRegistered: typeof firstLeg?.Registration === 'object' && firstLeg.Registration !== null };
}

function toCall(fields: Fields, mapping: VendorMapping, source: string, timeZone: string): Call {
  const uuid = text(fields, 'uuid');
  if (!uuid) throw new FieldError('uuid', 'is empty');
  const startedAt = localTime(fields, 'start_time', timeZone);
  const details = detailsOf(fields.details);
  let durationSeconds = details.duration;
  let durationField = 'details';
  if (durationSeconds === undefined) {
    const endedAt = localTime(fields, 'end_time', timeZone);
    if (endedAt < startedAt) throw new FieldError('end_time', `"${fields.end_time}" is before start_time "${fields.start_time}"`);
    durationSeconds = Math.floor((endedAt - startedAt) / 1000);
    durationField = 'end_time';
  }
  if (durationSeconds > maxDurationSeconds) throw new FieldError(durationField, `gives ${durationSeconds} s, longer than a week`);
  const disconnectReason = text(fields, 'disconnect_reason');
  // A 3xx-6xx final answer to the INVITE: the call was never answered, whatever time passed ringing.
  if (/^[3-6]\d\d\b/.test(disconnectReason)) durationSeconds = 0;

  const caller = details.callerRegistered ? 'registered' : 'unregistered';
  const direction: CallDirection = ownValue(mapping.directions, caller) ?? ownValue(defaultMapping.directions, caller) ?? 'inbound';
  const protocolValue = text(fields, 'protocol');
  const media = fields.audio === 'true' ? 'audio' : 'video';
  const category = ownValue(mapping.categories, protocolValue) ?? ownValue(mapping.categories, media) ?? ownValue(defaultMapping.categories, media) ?? 'video';
  const sourceAlias = text(fields, 'source_alias');
  const destinationAlias = text(fields, 'destination_alias');
  const [local, remote] = direction === 'outbound' || direction === 'internal' ? [sourceAlias, destinationAlias] : [destinationAlias, sourceAlias];

  const call: Call = { source, externalId: uuid, startedAt, durationSeconds, category, direction };
  const tag = text(fields, 'tag');
  if (tag) call.conferenceId = tag;
  const protocol = protocolValue.split('<->')[0]!.trim().toLowerCase();
  if (protocol) call.protocol = protocol;
  if (local) call.localAlias = local;
  if (remote) call.remoteAlias = remote;
  if (disconnectReason) call.disconnectReason = disconnectReason;
  return call;
}

/**
 * Reads the call-usage records of a Cisco VCS or Expressway (`/api/external/callusage/get_all_records`
 * and friends: a JSON array of records) as they arrive. Each record is one leg: the call through this
 * box. Its times are the box's local wall clock, read in `options.timeZone` (the source's configured
 * zone, UTC when none). Records still in progress are not read (they are sent again when finished).
 */
export async function* readExpresswayJson(input: Readable, options: ReaderOptions): AsyncGenerator<IngestRecord> {
  const mapping = options.mapping ?? defaultMapping;
  const timeZone = options.timeZone ?? 'UTC';
  const source = options.source || 'expressway';
  if (!isValidTimeZone(timeZone)) {
    yield { kind: 'reject', line: null, field: null, reason: `the source's time zone "${timeZone}" is not an IANA time zone (for example Europe/Oslo); no record can be read`, raw: '' };
    return;
  }
  for await (const batch of jsonObjectTexts(input)) for (const piece of batch) {
    if (piece.kind === 'broken') {
      yield { kind: 'reject', line: piece.line, field: null, reason: piece.reason, raw: piece.raw };
      continue;
    }
    const raw = piece.text.slice(0, maxRawChars);
    let record: unknown;
    try {
      record = JSON.parse(piece.text);
    } catch (error) {
      yield { kind: 'reject', line: piece.line, field: null, reason: `not valid JSON: ${(error as Error).message}`, raw };
      continue;
    }
    const unstorable = jsonMayHoldUnstorable(piece.text) ? unstorableRecordReject(record, piece.line, raw) : undefined;
    if (unstorable) {
      yield unstorable;
      continue;
    }
    const fields = fieldsOf(record as Record<string, unknown>);
    if (fields.active === 'true') {
      yield { kind: 'excluded', line: piece.line, reason: 'call still in progress' };
      continue;
    }
    const rule = exclusionOf(mapping.exclude, fields);
    if (rule) {
      yield { kind: 'excluded', line: piece.line, reason: rule.reason };
      continue;
    }
    try {
      yield { kind: 'call', line: piece.line, call: toCall(fields, mapping, source, timeZone) };
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      yield { kind: 'reject', line: piece.line, field: error.field, reason: error.message, raw };
    }
  }
}
