import type { VendorMapping } from '../vendorMapping.ts';

/**
 * Skype for Business LcsCDR sessions (`sfb-csv`) → confbill, documented in
 * docs/vendors/skype-for-business.md. Categories are keyed by the session's `modality`, derived from
 * the `MediaTypes` bitmask (the richest medium wins: video, audio, app sharing, …); docs/billing-rules.md §1 makes every
 * Skype for Business call `skype`. Directions come from the users' domains (docs/billing-rules.md §1), not from a
 * vendor value, so there is nothing to map.
 */
export const defaultMapping: VendorMapping = {
  categories: {
    video: 'skype',
    audio: 'skype',
    'app sharing': 'skype',
  },
  directions: {},
  exclude: [
    { field: 'modality', equals: 'instant messaging', reason: 'instant messaging' },
    { field: 'modality', matches: '^(file transfer|remote assistance|app invite|none)$', reason: 'no audio, video or sharing' },
  ],
};
