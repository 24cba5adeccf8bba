import type { InvoiceLine } from './invoiceLine.ts';

/** An invoice as its JSON shows it (docs/billing-rules.md, "Files and commands") (CLI `--json` and the API). */
export interface Invoice {
  id: string;
  number: number | null;
  status: 'draft' | 'approved';
  customerId: string;
  currency: string;
  from: string;
  to: string;
  lines: InvoiceLine[];
  total: string;
  notes?: string | null;
  createdAt?: string;
  approvedAt?: string | null;
  /** Who approved it (the CLI user, else the database role); null for drafts and for invoices approved before this was recorded. */
  approvedBy?: string | null;
}
