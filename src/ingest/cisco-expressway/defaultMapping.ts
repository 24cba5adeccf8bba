import type { VendorMapping } from '../vendorMapping.ts';

/**
 * Expressway/VCS vocabulary → confbill (docs/vendors/cisco-expressway.md).
 * - categories: the record's `protocol` value first ("SIP <-> H323", …; none by default), then its
 *   media: `audio` when the record says `audio: "true"`, else `video`.
 * - directions: whether the calling leg is registered to this box (`registered`: one of the provider's
 *   endpoints calls out) or arrives through a zone (`unregistered`: a call in to the provider).
 * - exclude: the secondary components of a B2BUA call (`initial_call` false: the initial component is
 *   the one billed) and records this box did not license (`licensed` false: a call traversing an
 *   Expressway-C/E pair is licensed once, on one box, so the other box's record is the duplicate).
 */
export const defaultMapping: VendorMapping = {
  categories: { audio: 'audio', video: 'video' },
  directions: { registered: 'outbound', unregistered: 'inbound' },
  exclude: [
    { field: 'initial_call', equals: 'false', reason: 'B2BUA secondary component' },
    { field: 'licensed', equals: 'false', reason: 'not licensed on this box (counted on its peer)' },
  ],
};
