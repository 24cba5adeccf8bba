import type { EpochMs } from './calendar.ts';

/** docs/billing-rules.md §1: the categories a participant leg can have. */
export const callCategories = ['video', 'audio', 'webrtc', 'skype', 'teams', 'gateway', 'streaming', 'recording', 'non-routed'] as const;
export type CallCategory = (typeof callCategories)[number];

export const callDirections = ['inbound', 'outbound', 'internal', 'external'] as const;
export type CallDirection = (typeof callDirections)[number];

/** A normalized participant leg: the billable unit (docs/billing-rules.md §1). */
export interface Call {
  source: string;
  externalId: string;
  conferenceId?: string;
  startedAt: EpochMs;
  durationSeconds: number;
  category: CallCategory;
  direction: CallDirection;
  protocol?: string;
  localAlias?: string;
  remoteAlias?: string;
  tenant?: string;
  disconnectReason?: string;
}

export function isCallCategory(value: string): value is CallCategory {
  return (callCategories as readonly string[]).includes(value);
}

export function isCallDirection(value: string): value is CallDirection {
  return (callDirections as readonly string[]).includes(value);
}

/** docs/billing-rules.md §1: billed minutes = ceil(durationSeconds / 60). */
export function billedMinutes(durationSeconds: number): number {
  return Math.ceil(durationSeconds / 60);
}

/** A call that never connected (0 s) is never billable. */
export function isBillable(durationSeconds: number): boolean {
  return durationSeconds > 0;
}
