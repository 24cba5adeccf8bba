import type { Readable } from 'node:stream';
import { isCallCategory, isCallDirection, type Call } from '../../domain/call.ts';
import { parseInstant } from '../../domain/calendar.ts';
import { sourceIdProblem } from '../../domain/sourceId.ts';
import type { IngestRecord, ReaderOptions } from '../ingestRecord.ts';
import { readHeaderedCsv } from '../csvRows.ts';
import { earliestLegStart as earliest, latestLegStart as latest, maxLegSeconds as maxDurationSeconds } from '../legPlausibility.ts';

/** The columns (docs/billing-rules.md, "Files and commands") of `confbill-csv`, in order. */
export const confbillCsvColumns = ['source', 'externalId', 'conferenceId', 'startedAt', 'durationSeconds', 'category', 'direction', 'protocol', 'localAlias', 'remoteAlias', 'tenant'] as const;

/** Legs longer than this are refused as absurd (a week; no conference port stays up that long). */

type Fields = Record<(typeof confbillCsvColumns)[number], string>;

class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

function toCall(f: Fields, sourceOverride: string | undefined, raw: string): Call {
  const source = f.source || sourceOverride || '';
  if (!source) throw new FieldError('source', 'is empty (give it in the file or with --source)');
  // The column names a source as configuration and receivers do: one rule for every source id.
  const sourceProblem = sourceIdProblem(source);
  if (sourceProblem) throw new FieldError('source', sourceProblem);
  if (!f.externalId) throw new FieldError('externalId', 'is empty');
  const startedAt = parseInstant(f.startedAt);
  if (startedAt === undefined) throw new FieldError('startedAt', `"${f.startedAt}" is not an ISO 8601 instant with an offset or Z`);
  if (startedAt < earliest || startedAt >= latest) throw new FieldError('startedAt', `"${f.startedAt}" is outside the years 2000-2099`);
  if (!/^\d+$/.test(f.durationSeconds)) throw new FieldError('durationSeconds', `"${f.durationSeconds}" is not a whole number of seconds ≥ 0`);
  const durationSeconds = Number(f.durationSeconds);
  if (durationSeconds > maxDurationSeconds) throw new FieldError('durationSeconds', `${durationSeconds} s is longer than a week`);
  if (!isCallCategory(f.category)) throw new FieldError('category', `"${f.category}" is not one of video, audio, webrtc, skype, teams, gateway, streaming, recording, non-routed`);
  if (!isCallDirection(f.direction)) throw new FieldError('direction', `"${f.direction}" is not one of inbound, outbound, internal, external`);
  // The row's text holds every field's: without U+FFFD in it, no field has one.
  if (raw.includes('\uFFFD')) {
    for (const [name, value] of Object.entries(f)) {
      if (value.includes('\uFFFD')) throw new FieldError(name, 'is not valid UTF-8');
    }
  }
  const optional = (v: string): string | undefined => (v === '' ? undefined : v);
  return {
    source,
    externalId: f.externalId,
    conferenceId: optional(f.conferenceId),
    startedAt,
    durationSeconds,
    category: f.category,
    direction: f.direction,
    protocol: optional(f.protocol),
    localAlias: optional(f.localAlias),
    remoteAlias: optional(f.remoteAlias),
    tenant: optional(f.tenant),
  };
}

/**
 * Reads confbill's own CSV (docs/billing-rules.md, "Files and commands") as a stream: one record at a time, never the whole file.
 * Each bad row becomes a reject with its line and field; rows CSV itself cannot read (a stray quote)
 * are rejects too, and reading goes on.
 */
export async function* readConfbillCsv(input: Readable, options: ReaderOptions): AsyncGenerator<IngestRecord> {
  for await (const batch of readHeaderedCsv(input, confbillCsvColumns)) for (const entry of batch) {
    if (entry.kind === 'reject') {
      yield entry;
      continue;
    }
    const { line, raw } = entry;
    const fields = entry.fields as Fields;
    try {
      yield { kind: 'call', line, call: toCall(fields, options.source, raw) };
    } catch (error) {
      if (!(error instanceof FieldError)) throw error;
      const source = fields.source || options.source;
      yield { kind: 'reject', line, field: error.field, reason: `${error.field} ${error.message}`, raw, ...(source && !sourceIdProblem(source) ? { source } : {}) };
    }
  }
}
