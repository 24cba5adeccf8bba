/** Where matching left a stored call (docs/billing-rules.md §2): not yet matched, matched, or why not. */
export const callMatchStatuses = ['pending', 'matched', 'no-customer', 'ambiguous'] as const;
export type CallMatchStatus = (typeof callMatchStatuses)[number];
