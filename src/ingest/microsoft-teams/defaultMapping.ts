import type { VendorMapping } from '../vendorMapping.ts';

/**
 * Microsoft Teams callRecords (`teams-json`) → confbill, documented in docs/vendors/microsoft-teams.md.
 * Categories are keyed by the session's richest modality (video, videoBasedScreenSharing,
 * screenSharing, audio, data); all are `teams` by default, a mapping may set e.g. audio to `audio`.
 * Directions come from the identities' domains and tenants, not from a vendor value.
 */
export const defaultMapping: VendorMapping = {
  categories: {
    video: 'teams',
    videoBasedScreenSharing: 'teams',
    screenSharing: 'teams',
    audio: 'teams',
    data: 'teams',
  },
  directions: {},
  exclude: [{ field: 'isTest', equals: 'true', reason: 'test call' }],
};
