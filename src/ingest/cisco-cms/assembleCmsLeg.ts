import type { Call } from '../../domain/call.ts';
import { exclusionOf, type VendorMapping } from '../vendorMapping.ts';
import type { CmsRecord } from './cmsRecord.ts';
import { cmsRecordOrder as inOrder } from './cmsRecordOrder.ts';
import { defaultMapping } from './defaultMapping.ts';
import { earliestLegStart as earliest, latestLegStart as latest } from '../legPlausibility.ts';
import { ownValue } from '../../domain/ownValue.ts';

export type CmsLegOutcome =
  | { kind: 'call'; call: Call }
  | { kind: 'excluded'; reason: string }
  /** Not billable yet: neither its callLegEnd nor its call's callEnd has arrived. */
  | { kind: 'incomplete'; reason: string }
  | { kind: 'reject'; field: string | null; reason: string };

export interface CmsLegRecords {
  legId: string;
  /** Every record about the leg: its callLeg records and the recording/streaming records naming it. */
  legRecords: readonly CmsRecord[];
  /** The callStart/callEnd records of the calls the leg was in (others are ignored): the first start and last end count. */
  callRecords: readonly CmsRecord[];
}


function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Makes one participant leg from all the records known about it, whatever order they came in, so
 * that re-assembling after every new record converges on the same Call (CMS sends a leg's records
 * in separate POSTs). A leg is billable once its callLegEnd is there; a leg whose callLegEnd never
 * came is closed at its call's callEnd (CMS lost or never sent it, as in the 2017 capture).
 */
export function assembleCmsLeg(input: CmsLegRecords, options: { source: string; mapping?: VendorMapping }): CmsLegOutcome {
  const mapping = options.mapping ?? defaultMapping;
  const ordered = [...input.legRecords].sort(inOrder);
  const legOnly = ordered.filter((r) => r.type === 'callLegStart' || r.type === 'callLegUpdate' || r.type === 'callLegEnd');
  const start = legOnly.find((r) => r.type === 'callLegStart');
  const end = legOnly.findLast((r) => r.type === 'callLegEnd');
  const merged: Record<string, string> = {};
  for (const r of legOnly) Object.assign(merged, r.fields);
  const callId = legOnly.findLast((r) => r.callId !== undefined)?.callId;
  const connectedAt = legOnly.find((r) => r.type === 'callLegUpdate' && r.fields.state === 'connected')?.time;
  const ofCall = input.callRecords.filter((r) => r.callId === callId && callId !== undefined).sort(inOrder);
  const callStart = ofCall.find((r) => r.type === 'callStart');
  const callEnd = ofCall.findLast((r) => r.type === 'callEnd');

  const type = nonEmpty(start?.fields.type) ?? (merged.sipCallId ? 'sip' : undefined);
  const subType = nonEmpty(start?.fields.subType);
  const duration = end ? Number(end.fields.durationSeconds) : undefined;
  const exclusionFields: Record<string, string | undefined> = {
    ...merged,
    type,
    subType,
    recording: start?.fields.recording === 'true' || ordered.some((r) => r.type === 'recordingStart' || r.type === 'recordingEnd') ? 'true' : undefined,
    streaming: start?.fields.streaming === 'true' || ordered.some((r) => r.type === 'streamingStart' || r.type === 'streamingEnd') ? 'true' : undefined,
    // Only when something but the end was seen: a lone callLegEnd may have lost its call with its other records.
    ivrOnly: end && callId === undefined && legOnly.length > 1 ? 'true' : undefined,
    unansweredReason: end && duration === 0 ? end.fields.reason : undefined,
  };
  const rule = exclusionOf(mapping.exclude, exclusionFields);
  if (rule) return { kind: 'excluded', reason: rule.reason };

  let startedAt: number;
  let durationSeconds: number;
  let disconnectReason: string | undefined;
  if (end && duration !== undefined && Number.isInteger(duration)) {
    startedAt = start ? start.time : end.time - duration * 1000;
    durationSeconds = duration;
    disconnectReason = nonEmpty(end.fields.reason);
  } else if (callEnd && callId !== undefined && (start || connectedAt !== undefined)) {
    startedAt = start?.time ?? connectedAt!;
    durationSeconds = Math.max(0, Math.round((callEnd.time - startedAt) / 1000));
    disconnectReason = 'callEnd';
  } else if (legOnly.length === 0) {
    return { kind: 'incomplete', reason: 'no callLeg record of this leg yet' };
  } else {
    return { kind: 'incomplete', reason: 'neither the callLegEnd nor the callEnd of its call has arrived' };
  }
  if (startedAt < earliest || startedAt >= latest) return { kind: 'reject', field: start ? 'time' : 'durationSeconds', reason: `the leg would start at ${new Date(startedAt).toISOString()}, outside the years 2000-2099` };

  const audioOnly = end && (end.fields['rxAudio.codec'] || end.fields['txAudio.codec']) && !end.fields['rxVideo.codec'] && !end.fields['txVideo.codec'];
  const categoryKeys = [subType && `subType:${subType}`, type && audioOnly && `${type}:audio-only`, type, '*'].filter((k): k is string => Boolean(k));
  const categoryKey = categoryKeys.find((k) => ownValue(mapping.categories, k) !== undefined);
  if (!categoryKey) return { kind: 'reject', field: 'type', reason: `no category is mapped for ${categoryKeys.join(', ')}` };
  const directionValue = nonEmpty(start?.fields.direction) ?? '*';
  const direction = ownValue(mapping.directions, directionValue);
  if (!direction) return { kind: 'reject', field: 'direction', reason: `no direction is mapped for "${directionValue}"` };

  const call: Call = {
    source: options.source,
    externalId: input.legId,
    startedAt,
    durationSeconds,
    category: ownValue(mapping.categories, categoryKey)!,
    direction,
  };
  // One meeting hosted on several Call Bridges has one callCorrelator: one conference.
  const conferenceId = nonEmpty(callStart?.fields.callCorrelator) ?? callId;
  if (conferenceId) call.conferenceId = conferenceId;
  if (type) call.protocol = type;
  const localAlias = nonEmpty(merged.localAddress);
  if (localAlias) call.localAlias = localAlias;
  const remoteAlias = nonEmpty(merged.remoteAddress) ?? nonEmpty(merged.remoteParty);
  if (remoteAlias) call.remoteAlias = remoteAlias;
  // A CMS tenant wins; else the cdrTag (often set to a customer id) so that `tenant` rules can match it.
  const tenant = nonEmpty(callStart?.fields.tenant) ?? nonEmpty(merged.cdrTag) ?? nonEmpty(callStart?.fields.cdrTag);
  if (tenant) call.tenant = tenant;
  if (disconnectReason) call.disconnectReason = disconnectReason;
  return { kind: 'call', call };
}
