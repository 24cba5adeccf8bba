import type { EpochMs } from '../../domain/calendar.ts';

/** The record types of the CMS CDR Guide that confbill reads; others are counted and skipped. */
export const cmsRecordTypes = ['callStart', 'callEnd', 'callLegStart', 'callLegUpdate', 'callLegEnd', 'recordingStart', 'recordingEnd', 'streamingStart', 'streamingEnd'] as const;
export type CmsRecordType = (typeof cmsRecordTypes)[number];

export function isCmsRecordType(value: string): value is CmsRecordType {
  return (cmsRecordTypes as readonly string[]).includes(value);
}

/**
 * One CMS CDR record, as stored: `(session, correlatorIndex)` identifies it across resends and
 * receivers (CDR Guide, "Record Types"), so it is the key of idempotence.
 */
export interface CmsRecord {
  /** `records@session`: the Call Bridge's run; empty for a bare `<record>` fragment. */
  session: string;
  /** `records@callBridge`: present on clustered deployments only. */
  callBridge?: string;
  correlatorIndex: number;
  recordIndex?: number;
  type: CmsRecordType;
  time: EpochMs;
  /** The `id` of the `<call>`, `<callLeg>`, `<recording>` or `<streaming>` element. */
  id: string;
  /** The leg the record is about: the callLeg id, or a recording's/streaming's `<callLeg>`. */
  legId?: string;
  /** The call the record is about: the call id, a leg's `<call>`, or a recording's/streaming's `<call>`. */
  callId?: string;
  /** Text of the child elements, nested ones flattened as `rxVideo.codec`; values trimmed. */
  fields: Record<string, string>;
  /** Records the Call Bridge discarded before this one while no receiver answered. */
  numPreceedingRecordsMissing?: number;
}
