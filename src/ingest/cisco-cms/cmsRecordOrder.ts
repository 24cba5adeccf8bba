import type { CmsRecord } from './cmsRecord.ts';

/**
 * The order in which a Call Bridge wrote its records: by time, then by its run and counter. Stored
 * records are unique by (session, correlatorIndex), so this is a total order: the first callStart
 * or the last callLegEnd of a leg is the same however the records arrived.
 */
export function cmsRecordOrder(a: CmsRecord, b: CmsRecord): number {
  return a.time - b.time || a.session.localeCompare(b.session) || a.correlatorIndex - b.correlatorIndex || a.type.localeCompare(b.type);
}
