import type { Readable } from 'node:stream';
import type { IngestRecord, ReaderOptions } from '../ingestRecord.ts';
import { defaultMapping } from './defaultMapping.ts';
import { flagText, isJsonObject, optionalNumber, optionalText, PexipFieldError, requiredText, type JsonObject } from './pexipFields.ts';
import { pexipClip } from './pexipClip.ts';
import { pexipLeg, type PexipLegFields, type PexipLegOutcome } from './pexipLeg.ts';
import { isPexipAudioOnly } from './pexipMediaKind.ts';
import { pexipObjects } from './pexipObjects.ts';
import { legSeconds, parseEpochSeconds } from './pexipTime.ts';
import { jsonMayHoldUnstorable, unstorableRecordReject } from '../unstorableText.ts';
import { defaultPexipSource, pexipRuleFields } from './readPexipHistory.ts';

export const eventWithoutLeg = 'event without a finished leg';

function disconnectedLeg(envelope: JsonObject, data: JsonObject, options: ReaderOptions): PexipLegOutcome {
  const id = requiredText(data, 'uuid');
  // A participant that never connected has no connect time: nothing was ever billable.
  if (data.connect_time === undefined || data.connect_time === null) return { kind: 'excluded', reason: 'never connected' };
  const startedAt = parseEpochSeconds('connect_time', data.connect_time);
  const duration = optionalNumber(data, 'duration');
  let durationSeconds: number;
  if (duration !== undefined) durationSeconds = legSeconds('duration', duration);
  // v2 sends end_time; v1 only the envelope's `time`, the moment of the disconnect.
  else if (data.end_time !== undefined && data.end_time !== null) durationSeconds = legSeconds('end_time', (parseEpochSeconds('end_time', data.end_time) - startedAt) / 1000);
  else durationSeconds = legSeconds('time', (parseEpochSeconds('time', envelope.time) - startedAt) / 1000);
  const callDirection = optionalText(data, 'call_direction');
  const destination = optionalText(data, 'destination_alias');
  const sourceAlias = optionalText(data, 'source_alias');
  // The event sink names the ends of the call, not Pexip's side: for an outbound leg they swap.
  const [localAlias, remoteAlias] = callDirection === 'out' ? [sourceAlias, destination] : [destination, sourceAlias];
  const ruleFields: Record<string, string | undefined> = {};
  for (const field of pexipRuleFields) if (field !== 'local_alias' && field !== 'remote_alias') ruleFields[field] = optionalText(data, field);
  ruleFields.local_alias = localAlias;
  ruleFields.remote_alias = remoteAlias;
  ruleFields.is_streaming = flagText(data, 'is_streaming');
  const fields: PexipLegFields = {
    id,
    conference: optionalText(data, 'conference'),
    startedAt,
    durationSeconds,
    callDirection,
    protocol: ruleFields.protocol,
    serviceType: ruleFields.service_type,
    localAlias,
    remoteAlias,
    serviceTag: ruleFields.service_tag,
    disconnectReason: optionalText(data, 'disconnect_reason'),
    isStreaming: ruleFields.is_streaming,
    audioOnly: isPexipAudioOnly(data),
    ruleFields,
  };
  return pexipLeg(fields, options.mapping ?? defaultMapping, options.source || defaultPexipSource);
}

function* eventRecords(envelope: JsonObject, line: number, raw: string, options: ReaderOptions, depth = 0): Generator<IngestRecord> {
  const reject = (field: string | null, reason: string): IngestRecord => ({ kind: 'reject', line, field, reason, raw: pexipClip(raw) });
  const event = envelope.event;
  // The events of a bulk envelope are records of their own: one with a NUL byte leaves the others alone.
  const unstorable = jsonMayHoldUnstorable(raw) ? unstorableRecordReject(event === 'eventsink_bulk' && depth === 0 ? { ...envelope, data: undefined } : envelope, line, () => pexipClip(raw)) : undefined;
  if (unstorable) {
    yield unstorable;
    return;
  }
  if (typeof event !== 'string' || event === '') {
    yield reject('event', `event is ${JSON.stringify(event ?? null).slice(0, 40)}, not an event name (is this an event sink event?)`);
    return;
  }
  if (event === 'eventsink_bulk' && depth === 0) {
    if (!Array.isArray(envelope.data)) {
      yield reject('data', 'data of an eventsink_bulk event is not an array of events');
      return;
    }
    for (const inner of envelope.data) {
      if (isJsonObject(inner)) yield* eventRecords(inner, line, JSON.stringify(inner), options, 1);
      else yield reject('data', 'an event of an eventsink_bulk event is not a JSON object');
    }
    return;
  }
  if (event !== 'participant_disconnected') {
    yield { kind: 'excluded', line, reason: eventWithoutLeg };
    return;
  }
  if (!isJsonObject(envelope.data)) {
    yield reject('data', 'data of a participant_disconnected event is not a JSON object');
    return;
  }
  try {
    const outcome = disconnectedLeg(envelope, envelope.data, options);
    yield outcome.kind === 'call' ? { kind: 'call', line, call: outcome.call } : { kind: 'excluded', line, reason: outcome.reason };
  } catch (error) {
    if (!(error instanceof PexipFieldError)) throw error;
    yield reject(error.field, error.message);
  }
}

/**
 * Reads Pexip Infinity event sink events (v1 and v2, and `eventsink_bulk` envelopes): one JSON event per
 * line, concatenated, or a JSON array. Each `participant_disconnected` carries the finished leg, so
 * this reader keeps no state between events; every other event is excluded. `line` is the event's
 * index in the input (1-based), which is its line in a JSONL file.
 */
export async function* readPexipEvents(input: Readable, options: ReaderOptions): AsyncGenerator<IngestRecord> {
  for await (const batch of pexipObjects(input)) for (const item of batch) {
    if (item.kind !== 'object') yield item;
    else yield* eventRecords(item.object, item.index, item.raw, options);
  }
}
