import type { JsonObject } from './pexipFields.ts';

/**
 * Whether a leg was audio only: Pexip licenses it as `audio`, or its media streams were all audio. A leg
 * whose streams are unknown (v2 `participant_disconnected` carries none) is not called audio only.
 */
export function isPexipAudioOnly(participant: JsonObject): boolean {
  if (participant.license_type === 'audio') return true;
  const streams = participant.media_streams;
  if (!Array.isArray(streams) || streams.length === 0) return false;
  return streams.every((s: unknown) => typeof s === 'object' && s !== null && (s as Record<string, unknown>).stream_type === 'audio');
}
