import type { CmsLegRecords } from './assembleCmsLeg.ts';
import type { CmsRecord } from './cmsRecord.ts';
import { cmsRecordOrder } from './cmsRecordOrder.ts';

/**
 * Sorts records into legs, each with the first callStart and the last callEnd of the calls it was
 * in (all that assembleCmsLeg reads of a call), for assembleCmsLeg. Linear in the records: a leg
 * with thousands of records, or a call with thousands of legs and repeated starts, costs no more.
 */
export function groupCmsLegs(records: readonly CmsRecord[]): CmsLegRecords[] {
  const byLeg = new Map<string, CmsRecord[]>();
  const byCall = new Map<string, { start?: CmsRecord; end?: CmsRecord }>();
  for (const r of records) {
    if (r.legId) {
      const list = byLeg.get(r.legId);
      if (list) list.push(r);
      else byLeg.set(r.legId, [r]);
    }
    if ((r.type === 'callStart' || r.type === 'callEnd') && r.callId) {
      const call = byCall.get(r.callId) ?? {};
      if (r.type === 'callStart' && (!call.start || cmsRecordOrder(r, call.start) < 0)) call.start = r;
      if (r.type === 'callEnd' && (!call.end || cmsRecordOrder(r, call.end) > 0)) call.end = r;
      byCall.set(r.callId, call);
    }
  }
  return [...byLeg.keys()].sort().map((legId) => {
    const legRecords = byLeg.get(legId)!;
    const callIds = new Set(legRecords.filter((r) => r.type.startsWith('callLeg') && r.callId).map((r) => r.callId!));
    const callRecords = [...callIds].flatMap((id) => {
      const call = byCall.get(id);
      return [call?.start, call?.end].filter((r): r is CmsRecord => r !== undefined);
    });
    return { legId, legRecords, callRecords };
  });
}
