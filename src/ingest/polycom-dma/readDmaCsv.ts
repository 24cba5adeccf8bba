import type { Readable } from 'node:stream';
import type { Call, CallDirection } from '../../domain/call.ts';
import type { IngestRecord, ReaderOptions } from '../ingestRecord.ts';
import { exclusionOf } from '../vendorMapping.ts';
import { defaultMapping } from './defaultMapping.ts';
import { parseDmaTime } from './dmaTime.ts';
import { readHeaderedCsv } from '../csvRows.ts';
import { earliestLegStart as earliest, latestLegStart as latest, maxLegSeconds as maxDurationSeconds } from '../legPlausibility.ts';
import { ownValue } from '../../domain/ownValue.ts';

/** The call CDR columns without which no row can be read; the others are optional. */
export const dmaRequiredColumns = ['callType', 'callUuid', 'startTime', 'endTime'] as const;


class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field} ${message}`);
  }
}

type Row = Record<string, string>;

/** A SIP From/To header (`"Name" <sip:a@b>;tag=x`) reduced to its address, which matching compares. */
function addressOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const bracketed = /<([^>]*)>/.exec(value);
  const address = (bracketed ? bracketed[1]! : value).trim();
  return address === '' ? undefined : address;
}

function domainOf(alias: string | undefined): string | undefined {
  const at = alias?.lastIndexOf('@') ?? -1;
  if (!alias || at < 0) return undefined;
  return alias.slice(at + 1).split(/[;:>]/)[0]!.toLowerCase() || undefined;
}

/**
 * ITP rooms: one CDR for several codecs, each field after `callType` a quoted comma-separated list
 * with one value per codec. Each codec holds its own port, so each becomes a row (a leg) of its own.
 */
function codecRows(row: Row): Row[] {
  const uuids = row.callUuid!.split(',');
  if (uuids.length < 2) return [row];
  return uuids.map((_, i) => {
    const codec: Row = {};
    for (const [key, value] of Object.entries(row)) {
      const parts = value.split(',');
      codec[key] = parts.length === uuids.length ? parts[i]!.trim() : value;
    }
    return codec;
  });
}

/** `raw`: the row's text, which holds every field's (a U+FFFD in a field is one in it). */
function toCall(row: Row, options: ReaderOptions, raw: string): Call | { excluded: string } {
  const mapping = options.mapping ?? defaultMapping;
  if (raw.includes('\uFFFD')) for (const [name, value] of Object.entries(row)) if (value.includes('\uFFFD')) throw new FieldError(name, 'is not valid UTF-8');
  if (row.type !== undefined && row.type !== '' && row.type !== 'CALL') {
    if (row.type === 'CONF') return { excluded: 'conference record (not a participant leg)' };
    throw new FieldError('type', `"${row.type}" is neither CALL nor CONF`);
  }
  const rule = exclusionOf(mapping.exclude, row);
  if (rule) return { excluded: rule.reason };
  const callType = row.callType!;
  if (!row.callUuid) throw new FieldError('callUuid', 'is empty');
  const category = ownValue(mapping.categories, callType);
  if (!category) throw new FieldError('callType', `"${callType}" has no category in the mapping (mappings.dma-csv.categories)`);
  const timeZone = options.timeZone ?? 'UTC';
  const start = parseDmaTime(row.startTime!, timeZone);
  if (typeof start === 'string') throw new FieldError('startTime', start);
  if (start < earliest || start >= latest) throw new FieldError('startTime', `"${row.startTime}" is outside the years 2000-2099`);
  const end = parseDmaTime(row.endTime!, timeZone);
  if (typeof end === 'string') throw new FieldError('endTime', end);
  if (end < start) throw new FieldError('endTime', `"${row.endTime}" is before startTime "${row.startTime}"`);
  const durationSeconds = Math.round((end - start) / 1000);
  if (durationSeconds > maxDurationSeconds) throw new FieldError('endTime', `gives ${durationSeconds} s, longer than a week`);

  const isVmr = callType.startsWith('VMR');
  const dialin = (row.dialin ?? '').toUpperCase();
  let direction: CallDirection | undefined = ownValue(mapping.directions, callType) ?? ownValue(mapping.directions, dialin);
  if (!direction) throw new FieldError('dialin', `"${row.dialin ?? ''}" gives no direction (expected TRUE or FALSE, or a direction for callType "${callType}" in the mapping)`);
  let localAlias: string | undefined;
  let remoteAlias: string | undefined;
  if (isVmr && dialin === 'FALSE') {
    // A VMR dial-out: origSignalingId is the To header the DMA sent to the MCU, i.e. the VMR.
    localAlias = addressOf(row.origSignalingId) ?? addressOf(row.origEndpoint);
    remoteAlias = addressOf(row.destEndpoint) ?? addressOf(row.dialString);
  } else if (isVmr) {
    localAlias = addressOf(row.dialString) ?? addressOf(row.destEndpoint);
    remoteAlias = addressOf(row.origEndpoint) ?? addressOf(row.origSignalingId);
  } else {
    localAlias = addressOf(row.origEndpoint) ?? addressOf(row.origSignalingId);
    remoteAlias = addressOf(row.destEndpoint) ?? addressOf(row.dialString);
    const callerDomain = domainOf(localAlias);
    const calleeDomain = domainOf(remoteAlias);
    const caller = callerDomain && options.customerOfDomain?.(callerDomain, start);
    const callee = calleeDomain && options.customerOfDomain?.(calleeDomain, start);
    // docs/billing-rules.md §2: the local end of a point-to-point call is the caller when it is the provider's, else the callee.
    if (!caller && callee) [localAlias, remoteAlias] = [remoteAlias, localAlias];
    if (caller && caller === callee) direction = 'internal';
  }
  const optional = (v: string | undefined): string | undefined => (v ? v : undefined);
  return {
    source: options.source || (row.cluster ? `dma:${row.cluster}` : 'dma'),
    // A call may be cut into several records (segments), each with its own start.
    externalId: `${row.callUuid}#${new Date(start).toISOString()}`,
    conferenceId: optional(row.confUUID),
    startedAt: start,
    durationSeconds,
    category,
    direction,
    protocol: row.origSignalingId ? 'sip' : undefined,
    localAlias,
    remoteAlias,
    tenant: optional(isVmr ? row.userDataB || row.userDataA : row.userDataA),
    disconnectReason: optional(row.failureSignalingCode),
  };
}

/**
 * Reads the call CSV of a Poly RealPresence DMA "Export CDR Data" ZIP (docs/vendors/polycom-dma.md):
 * header row, RFC 4180 quoting, one row per call (segment). Each bad row is a reject with its line and
 * field; reading goes on.
 */
export async function* readDmaCsv(input: Readable, options: ReaderOptions): AsyncGenerator<IngestRecord> {
  for await (const batch of readHeaderedCsv(input, dmaRequiredColumns, 'is this the call CDR file of the DMA export?')) for (const entry of batch) {
    if (entry.kind === 'reject') {
      yield entry;
      continue;
    }
    const { line, raw } = entry;
    const row: Row = entry.fields;
    for (const codec of codecRows(row)) {
      try {
        const result = toCall(codec, options, raw);
        if ('excluded' in result) yield { kind: 'excluded', line, reason: result.excluded };
        else yield { kind: 'call', line, call: result };
      } catch (error) {
        if (!(error instanceof FieldError)) throw error;
        yield { kind: 'reject', line, field: error.field, reason: error.message, raw };
      }
    }
  }
}
