import type { CallMatchStatus } from './callMatchStatus.ts';
/** Why a billable call is billed to no customer (docs/billing-rules.md §2, docs/billing-rules.md §2). */
export type UntrackedReason = 'no-customer' | 'ambiguous' | 'no-plan';

export type MatchStatus = CallMatchStatus;

/** What decides whether a stored call is billed: its length, its match, and whether rating made an item of it. */
export interface CallBillingState {
  durationSeconds: number;
  matchStatus: MatchStatus;
  /** Rating made a billing item of the call (open or invoiced). */
  hasItem: boolean;
}

/**
 * The one rule for "untracked call items" (docs/billing-rules.md §2, §9): a call that lasted (a 0-s leg never
 * connected and bills nothing) and matched no customer, matched several, or matched one that had no
 * plan in force at its start (so rating made no item of it). A call still waiting for matching is
 * not untracked yet; undefined means the call is billed or not billable.
 */
export function untrackedReason(call: CallBillingState): UntrackedReason | undefined {
  if (call.durationSeconds <= 0) return undefined;
  if (call.matchStatus === 'no-customer' || call.matchStatus === 'ambiguous') return call.matchStatus;
  if (call.matchStatus === 'matched' && !call.hasItem) return 'no-plan';
  return undefined;
}
