import type { VendorMapping } from '../vendorMapping.ts';

/**
 * Pexip Infinity vocabulary → confbill (docs/vendors/pexip-infinity.md). Category keys are looked up
 * in this order, the first present wins: `is_streaming:true`, `protocol:<protocol>`,
 * `service_type:<service_type>`, `media:audio-only` (the leg had audio streams and no video), `*`.
 */
export const defaultMapping: VendorMapping = {
  categories: {
    'is_streaming:true': 'streaming',
    'protocol:RTMP': 'streaming',
    'protocol:WebRTC': 'webrtc',
    'protocol:MSSIP': 'skype',
    'protocol:TEAMS': 'teams',
    'service_type:gateway': 'gateway',
    'media:audio-only': 'audio',
    '*': 'video',
  },
  directions: { in: 'inbound', out: 'outbound' },
  exclude: [
    { field: 'service_type', equals: 'test_call', reason: 'test call' },
    { field: 'service_type', equals: 'ivr', reason: 'IVR only (Virtual Reception)' },
    { field: 'service_type', equals: 'two_stage_dialing', reason: 'IVR only (two-stage dialing)' },
    { field: 'service_type', equals: 'waiting_room', reason: 'waiting room only' },
    { field: 'service_type', equals: 'connecting', reason: 'never reached a service' },
    { field: 'is_streaming', equals: 'true', reason: 'recorder or streamer leg' },
  ],
};
