import type { Readable } from 'node:stream';
import type { Call, CallDirection } from '../../domain/call.ts';
import type { IngestRecord, ReaderOptions } from '../ingestRecord.ts';
import { exclusionOf, type VendorMapping } from '../vendorMapping.ts';
import { cucmCause } from './cucmCause.ts';
import { cucmIpAddress } from './cucmIpAddress.ts';
import { defaultMapping } from './defaultMapping.ts';
import { readCsvRowBatches, unstorableColumn } from '../csvRows.ts';
import { textMayHoldUnstorable } from '../unstorableText.ts';
import { earliestLegStart, latestLegStart, maxLegSeconds as maxDurationSeconds } from '../legPlausibility.ts';
import { ownValue } from '../../domain/ownValue.ts';

/** The columns a CDR row cannot be read without; every other column is optional (versions add columns). */
export const cucmRequiredColumns = [
  'cdrRecordType', 'globalCallID_callManagerId', 'globalCallID_callId', 'origLegCallIdentifier', 'destLegIdentifier',
  'dateTimeOrigination', 'dateTimeConnect', 'dateTimeDisconnect', 'duration',
  'callingPartyNumber', 'originalCalledPartyNumber', 'finalCalledPartyNumber', 'origDeviceName', 'destDeviceName',
] as const;

const ipColumns = new Set(['origIpAddr', 'destIpAddr', 'origMediaTransportAddress_IP', 'destMediaTransportAddress_IP', 'origVideoTransportAddress_IP', 'destVideoTransportAddress_IP']);

/** Legs longer than this are refused as absurd (a week; no call stays up that long). */
const earliestSeconds = earliestLegStart / 1000;
const latestSeconds = latestLegStart / 1000;

type Row = Record<string, string>;

class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field} ${message}`);
  }
}

function integerField(row: Row, name: string): string {
  const value = row[name] ?? '';
  if (!/^\d{1,15}$/.test(value)) throw new FieldError(name, `"${value}" is not a whole number ≥ 0`);
  return value;
}

/** Epoch seconds in the years 2000-2099; 0 (only where `zeroAllowed`) means "never happened". */
function epochField(row: Row, name: string, zeroAllowed: boolean): number {
  const value = row[name] ?? '';
  if (!/^\d{1,12}$/.test(value)) throw new FieldError(name, `"${value}" is not a time in whole seconds since 1970 (UTC)`);
  const seconds = Number(value);
  if (seconds === 0 && zeroAllowed) return 0;
  if (seconds < earliestSeconds || seconds >= latestSeconds) {
    const shown = seconds < 1e11 ? new Date(seconds * 1000).toISOString() : 'far future';
    throw new FieldError(name, `${value} (${shown}) is outside the years 2000-2099`);
  }
  return seconds;
}

/** Excel turns long numbers into 9.12678E+11: the digits are gone and the alias would match the wrong customer. */
const scientificNotation = /^[+-]?\d+(\.\d+)?E[+-]?\d+$/i;

function textField(row: Row, name: string): string {
  const value = row[name] ?? '';
  if (value.includes('\uFFFD')) throw new FieldError(name, 'is not valid UTF-8');
  if (scientificNotation.test(value)) throw new FieldError(name, `"${value}" was damaged by a spreadsheet (scientific notation): the original digits are lost`);
  return value;
}

/** The first non-empty of some alias columns, checked; the dotted IP address as the last resort. */
function aliasOf(row: Row, columns: readonly string[], ipColumn: string): string | undefined {
  for (const column of columns) {
    const value = textField(row, column);
    if (value !== '') return value;
  }
  const ip = cucmIpAddress(row[ipColumn] ?? '');
  return ip && ip !== '0.0.0.0' ? ip : undefined;
}

const protocolIds: Record<string, string> = { '1': 'sip', '2': 'h323', '3': 'cti', '4': 'q931' };

/**
 * Where the call came from, as a key of `mapping.directions`: the trunk protocol when CUCM recorded
 * one (IncomingProtocolID is 0 for phones), else guessed from the device name, since older files lack
 * the protocol columns: MGCP gateway ports are named `S0/SU2/DS1-0@gateway` (but analog lines
 * `AALN/…@gateway` are phones), H.323 gateways by their address.
 */
export function cucmOriginKind(row: Readonly<Row>): string {
  const byProtocol = ownValue(protocolIds, row.IncomingProtocolID ?? '');
  if (byProtocol) return byProtocol;
  const device = row.origDeviceName ?? '';
  if (/^AALN\//i.test(device)) return 'device';
  if (device.includes('@')) return 'q931';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(device)) return 'h323';
  return 'device';
}

const protocolNames: Record<string, string> = { sip: 'sip', h323: 'h323', cti: 'cti', q931: 'isdn' };

function protocolOf(row: Row, kind: string): string | undefined {
  const id = row.IncomingProtocolID && row.IncomingProtocolID !== '0' ? row.IncomingProtocolID : row.OutgoingProtocolID;
  const named = ownValue(protocolIds, id ?? '');
  return ownValue(protocolNames, named ?? kind);
}

function hasVideo(row: Row): boolean {
  return ['origVideoCap_Codec', 'destVideoCap_Codec'].some((c) => {
    const v = row[c];
    return v !== undefined && v !== '' && v !== '0';
  });
}

function toCall(row: Row, mapping: VendorMapping, source: string): Call {
  const callManagerId = integerField(row, 'globalCallID_callManagerId');
  const callId = integerField(row, 'globalCallID_callId');
  const origLeg = integerField(row, 'origLegCallIdentifier');
  const destLeg = integerField(row, 'destLegIdentifier');
  const originatedAt = epochField(row, 'dateTimeOrigination', false);
  const connectedAt = epochField(row, 'dateTimeConnect', true);
  epochField(row, 'dateTimeDisconnect', true);
  const durationText = row.duration ?? '';
  if (!/^\d{1,12}$/.test(durationText)) throw new FieldError('duration', `"${durationText}" is not a whole number of seconds ≥ 0`);
  const durationSeconds = Number(durationText);
  if (durationSeconds > maxDurationSeconds) throw new FieldError('duration', `${durationSeconds} s is longer than a week`);
  if (connectedAt === 0 && durationSeconds > 0) throw new FieldError('duration', `is ${durationSeconds} s but dateTimeConnect is 0 (never connected)`);

  const kind = cucmOriginKind(row);
  const direction: CallDirection = ownValue(mapping.directions, kind) ?? ownValue(defaultMapping.directions, kind) ?? 'outbound';
  const calling = aliasOf(row, ['callingPartyNumber', 'callingPartyNumber_uri'], 'origIpAddr');
  const called = aliasOf(row, ['originalCalledPartyNumber', 'originalCalledPartyNumber_uri', 'finalCalledPartyNumber', 'finalCalledPartyNumber_uri'], 'destIpAddr');
  textField(row, 'origDeviceName');
  textField(row, 'destDeviceName');
  const providerIsCaller = direction === 'outbound' || direction === 'internal';
  const partition = providerIsCaller ? textField(row, 'callingPartyNumberPartition') : textField(row, 'originalCalledPartyNumberPartition') || textField(row, 'finalCalledPartyNumberPartition');
  const media = hasVideo(row) ? 'video' : 'audio';

  const call: Call = {
    source,
    // Both leg identifiers: transfers and forwards write several records under one global call id.
    externalId: `${callManagerId}-${callId}-${origLeg}-${destLeg}`,
    conferenceId: `${callManagerId}-${callId}`,
    // A call that never connected is kept as a 0 s leg at its origination (never billable, docs/billing-rules.md §1).
    startedAt: (connectedAt || originatedAt) * 1000,
    durationSeconds,
    category: ownValue(mapping.categories, media) ?? ownValue(defaultMapping.categories, media) ?? 'audio',
    direction,
  };
  const protocol = protocolOf(row, kind);
  if (protocol) call.protocol = protocol;
  const [local, remote] = providerIsCaller ? [calling, called] : [called, calling];
  if (local) call.localAlias = local;
  if (remote) call.remoteAlias = remote;
  if (partition) call.tenant = partition;
  const reason = cucmCause(row.origCause_value, row.destCause_value);
  if (reason) call.disconnectReason = reason;
  return call;
}

/** The vendor fields exclusion rules see: the row as CUCM wrote it, but IP addresses dotted. */
function exclusionFields(row: Row): Row {
  const fields: Row = { ...row };
  for (const column of ipColumns) {
    const ip = fields[column] === undefined ? undefined : cucmIpAddress(fields[column]);
    if (ip) fields[column] = ip;
  }
  return fields;
}

/**
 * Reads CUCM CDR flat files (`cdr_<cluster>_<node>_<time>_<seq>`): a header row of field names, an
 * optional type row (`INTEGER,VARCHAR(50),…`) and one record per row. Columns are found by name, so
 * every CUCM version's layout reads; a row whose field count differs from its header is a reject.
 * Files concatenated with their headers (`cat cdr_* > all`) read too: a repeated header starts a new
 * layout.
 */
export async function* readCucmCsv(input: Readable, options: ReaderOptions): AsyncGenerator<IngestRecord> {
  const mapping = options.mapping ?? defaultMapping;
  let header: string[] | undefined;
  let headerUsable = false;
  for await (const batch of readCsvRowBatches(input)) for (const entry of batch) {
    if (entry.kind === 'reject') {
      yield entry;
      continue;
    }
    const { line } = entry;
    const record = entry.record.map((v) => v.trim());
    const raw = entry.raw.trimEnd();
    if (!header || record[0] === 'cdrRecordType') {
      header = record;
      const missing = cucmRequiredColumns.filter((c) => !record.includes(c));
      headerUsable = missing.length === 0;
      // A CMR file (cdrRecordType 2 rows) lacks the CDR columns, and its rows are excluded one by one below.
      if (!record.includes('cdrRecordType')) {
        yield { kind: 'reject', line, field: 'cdrRecordType', reason: `the header row lacks the columns ${missing.join(', ')}; this is not a CUCM CDR file and no row of it can be read`, raw };
        return;
      }
      continue;
    }
    if (record.length !== header.length) {
      yield { kind: 'reject', line, field: null, reason: `has ${record.length} fields where the header has ${header.length}`, raw };
      continue;
    }
    const unstorable = textMayHoldUnstorable(entry.raw) ? unstorableColumn(header, record) : undefined;
    if (unstorable) {
      yield { kind: 'reject', line, ...unstorable, raw };
      continue;
    }
    const row: Row = {};
    header.forEach((name, i) => (row[name] = record[i]!));
    const recordType = row.cdrRecordType;
    if (recordType === 'INTEGER') continue; // the type row under the header
    if (recordType === '2') {
      yield { kind: 'excluded', line, reason: 'CMR (call quality record), not a call' };
      continue;
    }
    if (recordType === '0') {
      yield { kind: 'excluded', line, reason: 'start record (cdrRecordType 0), not a finished call' };
      continue;
    }
    if (recordType !== '1') {
      yield { kind: 'reject', line, field: 'cdrRecordType', reason: `cdrRecordType "${recordType ?? ''}" is not 1 (CDR) or 2 (CMR)`, raw };
      continue;
    }
    if (!headerUsable) {
      const missing = cucmRequiredColumns.filter((c) => !header!.includes(c));
      yield { kind: 'reject', line, field: missing[0]!, reason: `the header row lacks the columns ${missing.join(', ')}`, raw };
      continue;
    }
    const rule = mapping.exclude.length ? exclusionOf(mapping.exclude, exclusionFields(row)) : undefined;
    if (rule) {
      yield { kind: 'excluded', line, reason: rule.reason };
      continue;
    }
    try {
      const source = options.source || textField(row, 'globalCallId_ClusterID') || 'cucm';
      yield { kind: 'call', line, call: toCall(row, mapping, source) };
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      yield { kind: 'reject', line, field: error.field, reason: error.message, raw };
    }
  }
}
