import type { Readable } from 'node:stream';
import type { IngestRecord, ReaderOptions } from '../ingestRecord.ts';
import { defaultMapping } from './defaultMapping.ts';
import { flagText, optionalNumber, optionalText, PexipFieldError, requiredText, type JsonObject } from './pexipFields.ts';
import { pexipClip } from './pexipClip.ts';
import { pexipLeg, type PexipLegFields } from './pexipLeg.ts';
import { isPexipAudioOnly } from './pexipMediaKind.ts';
import { pexipObjects } from './pexipObjects.ts';
import { legSeconds, parseHistoryTime } from './pexipTime.ts';
import { jsonMayHoldUnstorable, unstorableRecordReject } from '../unstorableText.ts';

/** The source of Pexip legs when none is configured: the history and the event sink agree on it. */
export const defaultPexipSource = 'pexip';

/** The text fields that exclusion rules may name, as the history API and the event sink both spell them. */
export const pexipRuleFields = ['service_type', 'protocol', 'role', 'call_direction', 'local_alias', 'remote_alias', 'remote_address', 'license_type', 'call_tag', 'service_tag', 'system_location'] as const;

function isConferenceRecord(object: JsonObject): boolean {
  const uri = object.resource_uri;
  if (typeof uri === 'string' && uri.includes('/conference/')) return true;
  return object.call_direction === undefined && (Array.isArray(object.participants) || object.participant_count !== undefined);
}

function historyLegFields(p: JsonObject): PexipLegFields {
  const uri = p.resource_uri;
  if (typeof uri === 'string' && uri.includes('/status/')) {
    throw new PexipFieldError('end_time', 'is missing: this is a live status record (status API), the leg has not ended; ingest the history API instead');
  }
  const id = requiredText(p, 'id');
  const startedAt = parseHistoryTime('start_time', p.start_time);
  // Pexip's own `duration` is the billed truth; end − start only when it is absent.
  const duration = optionalNumber(p, 'duration');
  const durationSeconds = duration !== undefined
    ? legSeconds('duration', duration)
    : legSeconds('end_time', (parseHistoryTime('end_time', p.end_time) - startedAt) / 1000);
  const ruleFields: Record<string, string | undefined> = {};
  for (const field of pexipRuleFields) ruleFields[field] = optionalText(p, field);
  ruleFields.is_streaming = flagText(p, 'is_streaming');
  const conferenceUri = optionalText(p, 'conference');
  return {
    id,
    conference: optionalText(p, 'conference_name') ?? conferenceUri?.split('/').filter(Boolean).pop(),
    startedAt,
    durationSeconds,
    callDirection: ruleFields.call_direction,
    protocol: ruleFields.protocol,
    serviceType: ruleFields.service_type,
    localAlias: ruleFields.local_alias,
    remoteAlias: ruleFields.remote_alias,
    serviceTag: ruleFields.service_tag,
    disconnectReason: optionalText(p, 'disconnect_reason'),
    isStreaming: ruleFields.is_streaming,
    audioOnly: isPexipAudioOnly(p),
    ruleFields,
  };
}

/**
 * Reads participant records of the Pexip Infinity management history API
 * (`/api/admin/history/v1/participant/`): one page `{meta, objects}`, an array of pages, an array of
 * participants or one participant, streamed object by object. Each participant is one leg; `line` is
 * the participant's index in the file (1-based). Conference records are excluded, not rejected.
 */
export async function* readPexipHistory(input: Readable, options: ReaderOptions): AsyncGenerator<IngestRecord> {
  const mapping = options.mapping ?? defaultMapping;
  const source = options.source || defaultPexipSource;
  for await (const batch of pexipObjects(input)) for (const item of batch) {
    if (item.kind !== 'object') {
      yield item;
      continue;
    }
    const unstorable = jsonMayHoldUnstorable(item.raw) ? unstorableRecordReject(item.object, item.index, () => pexipClip(item.raw)) : undefined;
    if (unstorable) {
      yield unstorable;
      continue;
    }
    if (isConferenceRecord(item.object)) {
      yield { kind: 'excluded', line: item.index, reason: 'conference record, not a participant' };
      continue;
    }
    try {
      const outcome = pexipLeg(historyLegFields(item.object), mapping, source);
      yield outcome.kind === 'call' ? { kind: 'call', line: item.index, call: outcome.call } : { kind: 'excluded', line: item.index, reason: outcome.reason };
    } catch (error) {
      if (!(error instanceof PexipFieldError)) throw error;
      yield { kind: 'reject', line: item.index, field: error.field, reason: error.message, raw: pexipClip(item.raw) };
    }
  }
}
