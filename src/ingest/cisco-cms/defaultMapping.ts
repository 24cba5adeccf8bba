import type { VendorMapping } from '../vendorMapping.ts';

/**
 * Cisco Meeting Server defaults (docs/vendors/cisco-cms.md). Category keys are looked up in this
 * order, the first present wins: `subType:<subType>`, `<type>:audio-only` (the leg's end record
 * names audio codecs and no video codec), `<type>`, `*`. A leg whose callLegStart is missing has no
 * type: `sip` when it has a sipCallId, else none.
 */
export const defaultMapping: VendorMapping = {
  categories: {
    'subType:lync': 'skype',
    'subType:lyncDistribution': 'skype',
    'subType:webApp': 'webrtc',
    'sip:audio-only': 'audio',
    sip: 'video',
    // Cisco Meeting App and WebRTC clients: CMS's own protocol.
    acano: 'webrtc',
    '*': 'video',
  },
  // `*` is the direction of legs whose callLegStart never arrived.
  directions: { incoming: 'inbound', outgoing: 'outbound', '*': 'inbound' },
  exclude: [
    { field: 'subType', equals: 'distributionLink', reason: 'link between Call Bridges' },
    { field: 'recording', equals: 'true', reason: 'recorder leg' },
    { field: 'streaming', equals: 'true', reason: 'streamer leg' },
    { field: 'ivrOnly', equals: 'true', reason: 'IVR only' },
    { field: 'unansweredReason', equals: 'unknownDestination', reason: 'call to an unknown destination' },
  ],
};
