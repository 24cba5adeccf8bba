import type { Readable } from 'node:stream';
import type { Call } from '../../domain/call.ts';
import type { IngestRecord, ReaderOptions } from '../ingestRecord.ts';
import { exclusionOf } from '../vendorMapping.ts';
import { defaultMapping } from './defaultMapping.ts';
import { parseLcsCdrTime } from './lcsCdrTime.ts';
import { sfbDirection, sfbDomainOf } from './sfbDirection.ts';
import { sfbModality } from './sfbModality.ts';
import { readHeaderedCsv } from '../csvRows.ts';
import { earliestLegStart as earliest, latestLegStart as latest, maxLegSeconds as maxDurationSeconds } from '../legPlausibility.ts';
import { ownValue } from '../../domain/ownValue.ts';

/** The columns of the export query (docs/vendors/skype-for-business.md) that every row needs. */
export const sfbRequiredColumns = ['SessionIdTime', 'SessionIdSeq', 'InviteTime', 'ResponseTime', 'ResponseCode', 'SessionEndTime', 'User1Uri', 'User2Uri', 'MediaTypes'] as const;


class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field} ${message}`);
  }
}

type Row = Record<string, string>;

function timeOf(row: Row, field: string): number {
  const value = row[field]!;
  const instant = parseLcsCdrTime(value);
  if (instant === undefined) throw new FieldError(field, `"${value}" is not a date and time (YYYY-MM-DD HH:MM:SS.fff, UTC)`);
  if (instant < earliest || instant >= latest) throw new FieldError(field, `"${value}" is outside the years 2000-2099`);
  return instant;
}

/** `raw`: the row's text, which holds every field's (a U+FFFD in a field is one in it). */
function toCall(row: Row, options: ReaderOptions, raw: string): Call | { excluded: string } {
  const mapping = options.mapping ?? defaultMapping;
  if (raw.includes('\uFFFD')) for (const [name, value] of Object.entries(row)) if (value.includes('\uFFFD')) throw new FieldError(name, 'is not valid UTF-8');
  if (!/^\d{1,3}$/.test(row.MediaTypes!) || Number(row.MediaTypes) > 127) throw new FieldError('MediaTypes', `"${row.MediaTypes}" is not a media bitmask (0-127)`);
  const modality = sfbModality(Number(row.MediaTypes));
  const rule = exclusionOf(mapping.exclude, { ...row, modality });
  if (rule) return { excluded: rule.reason };
  const sessionIdTime = timeOf(row, 'SessionIdTime');
  if (!/^\d{1,10}$/.test(row.SessionIdSeq!)) throw new FieldError('SessionIdSeq', `"${row.SessionIdSeq}" is not a whole number`);
  if (!row.User1Uri) throw new FieldError('User1Uri', 'is empty');
  if (row.ResponseCode !== '' && !/^\d{3}$/.test(row.ResponseCode!)) throw new FieldError('ResponseCode', `"${row.ResponseCode}" is not a SIP response code`);
  let startedAt: number;
  let durationSeconds = 0;
  let disconnectReason: string | undefined;
  if (row.ResponseCode === '200') {
    // Answered: connected from the 200 OK to the BYE. InviteTime would bill the ringing too.
    startedAt = timeOf(row, 'ResponseTime');
    if (row.SessionEndTime === '') throw new FieldError('SessionEndTime', 'is empty for an answered session (no BYE recorded): its duration is unknown');
    const end = timeOf(row, 'SessionEndTime');
    if (end < startedAt) throw new FieldError('SessionEndTime', `"${row.SessionEndTime}" is before ResponseTime "${row.ResponseTime}"`);
    durationSeconds = Math.round((end - startedAt) / 1000);
    if (durationSeconds > maxDurationSeconds) throw new FieldError('SessionEndTime', `gives ${durationSeconds} s, longer than a week`);
  } else {
    // Never answered: kept as a 0 s leg (never billable, docs/billing-rules.md §1) so that it can still be reported.
    startedAt = timeOf(row, 'InviteTime');
    disconnectReason = row.ResponseCode ? `SIP ${row.ResponseCode}` : 'no response';
  }
  const category = ownValue(mapping.categories, modality) ?? 'skype';
  let localAlias: string | undefined = row.User1Uri;
  let remoteAlias: string | undefined = row.User2Uri || undefined;
  const domain1 = sfbDomainOf(localAlias);
  const domain2 = sfbDomainOf(remoteAlias);
  // docs/billing-rules.md §2: User1 started the session; it is the local end unless only User2 is a customer's.
  // Domains belong to customers as the rules valid at the call's start say (docs/billing-rules.md §2).
  const ownerOf = options.customerOfDomain && ((domain: string): string | undefined => options.customerOfDomain!(domain, startedAt));
  if (ownerOf && !(domain1 && ownerOf(domain1)) && domain2 && ownerOf(domain2)) {
    [localAlias, remoteAlias] = [remoteAlias, localAlias];
  }
  return {
    source: options.source || 'sfb',
    externalId: `${new Date(sessionIdTime).toISOString()}#${Number(row.SessionIdSeq)}`,
    startedAt,
    durationSeconds,
    category,
    direction: sfbDirection(domain1, domain2, ownerOf),
    protocol: 'sip',
    localAlias,
    remoteAlias,
    disconnectReason,
  };
}

/**
 * Reads a CSV export of the LcsCDR SessionDetails join (docs/vendors/skype-for-business.md): header
 * row, RFC 4180 quoting, one row per peer-to-peer session. SQL NULL may come as an empty field or as
 * `NULL`. Each bad row is a reject with its line and field; reading goes on.
 */
export async function* readSfbCsv(input: Readable, options: ReaderOptions): AsyncGenerator<IngestRecord> {
  for await (const batch of readHeaderedCsv(input, sfbRequiredColumns, 'export with the query of docs/vendors/skype-for-business.md')) for (const entry of batch) {
    if (entry.kind === 'reject') {
      yield entry;
      continue;
    }
    const { line, raw } = entry;
    // SQL NULL exported as text is an empty field (the fields are this row's own: changed in place).
    const row: Row = entry.fields;
    for (const h of Object.keys(row)) if (row[h] === 'NULL') row[h] = '';
    try {
      const result = toCall(row, options, raw);
      if ('excluded' in result) yield { kind: 'excluded', line, reason: result.excluded };
      else yield { kind: 'call', line, call: result };
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      yield { kind: 'reject', line, field: error.field, reason: error.message, raw };
    }
  }
}
