import type { Call, CallCategory } from '../../domain/call.ts';
import type { EpochMs } from '../../domain/calendar.ts';
import { exclusionOf, type VendorMapping } from '../vendorMapping.ts';
import { PexipFieldError } from './pexipFields.ts';

/** What the history API and the event sink both say about a finished participant leg. */
export interface PexipLegFields {
  /** The participant UUID: history `id`, event sink `uuid`. */
  id: string;
  conference?: string;
  startedAt: EpochMs;
  durationSeconds: number;
  callDirection: string | undefined;
  protocol?: string;
  serviceType?: string;
  localAlias?: string;
  remoteAlias?: string;
  serviceTag?: string;
  disconnectReason?: string;
  isStreaming?: string;
  audioOnly: boolean;
  /** Every vendor field that exclusion rules may name (docs/vendors/pexip-infinity.md). */
  ruleFields: Record<string, string | undefined>;
}

export type PexipLegOutcome = { kind: 'call'; call: Call } | { kind: 'excluded'; reason: string };

function categoryOf(fields: PexipLegFields, categories: Record<string, CallCategory>): CallCategory {
  const keys = [
    fields.isStreaming === 'true' ? 'is_streaming:true' : undefined,
    fields.protocol === undefined ? undefined : `protocol:${fields.protocol}`,
    fields.serviceType === undefined ? undefined : `service_type:${fields.serviceType}`,
    fields.audioOnly ? 'media:audio-only' : undefined,
    '*',
  ];
  for (const key of keys) {
    // Own keys only: vendor text such as "constructor" must not reach Object.prototype.
    const category = key !== undefined && Object.hasOwn(categories, key) ? categories[key] : undefined;
    if (category) return category;
  }
  return 'video';
}

/** One normalized leg, or the exclusion rule it meets; an unknown direction is a reject. */
export function pexipLeg(fields: PexipLegFields, mapping: VendorMapping, source: string): PexipLegOutcome {
  const rule = exclusionOf(mapping.exclude, fields.ruleFields);
  if (rule) return { kind: 'excluded', reason: rule.reason };
  const direction = fields.callDirection !== undefined && Object.hasOwn(mapping.directions, fields.callDirection) ? mapping.directions[fields.callDirection] : undefined;
  if (!direction) throw new PexipFieldError('call_direction', `${JSON.stringify(fields.callDirection ?? null)} is not one of ${Object.keys(mapping.directions).join(', ')}`);
  const call: Call = {
    source,
    externalId: fields.id,
    startedAt: fields.startedAt,
    durationSeconds: fields.durationSeconds,
    category: categoryOf(fields, mapping.categories),
    direction,
  };
  // Optional fields only when present: the same record must give the identical Call every time.
  if (fields.conference !== undefined) call.conferenceId = fields.conference;
  if (fields.protocol !== undefined) call.protocol = fields.protocol;
  if (fields.localAlias !== undefined) call.localAlias = fields.localAlias;
  if (fields.remoteAlias !== undefined) call.remoteAlias = fields.remoteAlias;
  if (fields.serviceTag !== undefined) call.tenant = fields.serviceTag;
  if (fields.disconnectReason !== undefined) call.disconnectReason = fields.disconnectReason;
  return { kind: 'call', call };
}
