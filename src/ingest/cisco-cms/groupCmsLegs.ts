import type { CmsLegRecords } from './assembleCmsLeg.ts';
import type { CmsRecord } from './cmsRecord.ts';

/** Sorts records into legs, each with the records of the calls it was in, for assembleCmsLeg. */
export function groupCmsLegs(records: readonly CmsRecord[]): CmsLegRecords[] {
  const byLeg = new Map<string, CmsRecord[]>();
  const byCall = new Map<string, CmsRecord[]>();
  for (const r of records) {
    if (r.legId) byLeg.set(r.legId, [...(byLeg.get(r.legId) ?? []), r]);
    if ((r.type === 'callStart' || r.type === 'callEnd') && r.callId) byCall.set(r.callId, [...(byCall.get(r.callId) ?? []), r]);
  }
  return [...byLeg.keys()].sort().map((legId) => {
    const legRecords = byLeg.get(legId)!;
    const callIds = new Set(legRecords.filter((r) => r.type.startsWith('callLeg') && r.callId).map((r) => r.callId!));
    return { legId, legRecords, callRecords: [...callIds].flatMap((id) => byCall.get(id) ?? []) };
  });
}
