/** The reports of `confbill report`, known before any report code is loaded (for `--help`). */
export const reportNames = ['untracked', 'non-invoiced', 'usage', 'peak-ports', 'rejected', 'refused-changes'] as const;
export type ReportName = (typeof reportNames)[number];
