import type { VendorMapping } from '../vendorMapping.ts';

/**
 * CUCM's vocabulary → confbill (docs/vendors/cisco-ucm.md).
 * - categories: the leg's media, `video` when either side negotiated a video codec
 *   (`origVideoCap_Codec`/`destVideoCap_Codec` ≠ 0), else `audio`.
 * - directions: the kind of device the call came from (`IncomingProtocolID` when the file has it and
 *   it is not 0, else the shape of `origDeviceName`): `device` (a registered phone or endpoint, or
 *   anything not recognisably a trunk), `cti`, `sip` (SIP trunk), `h323` (H.323 gateway/trunk),
 *   `q931` (ISDN through an MGCP gateway). Calls placed by the provider's own devices are outbound,
 *   calls arriving over a trunk or gateway inbound.
 * - exclude: none; the file's own vendor fields (IP addresses in dotted form) can be used.
 */
export const defaultMapping: VendorMapping = {
  categories: { video: 'video', audio: 'audio' },
  directions: { device: 'outbound', cti: 'outbound', sip: 'inbound', h323: 'inbound', q931: 'inbound' },
  exclude: [],
};
