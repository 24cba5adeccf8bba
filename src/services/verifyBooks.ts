import type { Database } from '../storage/database.ts';
import { approvedInvoiceIntegrity } from '../storage/approvedInvoiceIntegrity.ts';
import { checkBookInvariants, type InvariantCheck } from '../storage/bookInvariants.ts';

export interface BooksVerification {
  ok: boolean;
  checks: InvariantCheck[];
}

/** Approved invoices and their frozen documents are what they were at approval (ADR 0006). */
async function approvedInvoicesUnchanged(db: Database): Promise<InvariantCheck> {
  const report = await approvedInvoiceIntegrity(db);
  const failed = report.filter((r) => r.verdict === 'failed');
  const warnings = report.filter((r) => r.verdict === 'warning');
  return {
    name: 'approved-invoices-unchanged',
    rule: 'every approved invoice has its frozen document, whose SHA-256 and content still match the invoice',
    ok: failed.length === 0,
    violations: failed.length,
    examples: failed.slice(0, 10).map((r) => ({ invoiceId: r.invoiceId, number: r.number, problems: r.problems })),
    ...(warnings.length ? { notes: [`${warnings.length} invoices were approved before documents were frozen (numbers ${warnings.map((w) => w.number).join(', ')}): their documents render from live data`] } : {}),
  };
}

/**
 * `confbill verify`: the invariants of the books on a live database. Read-only; safe to run while
 * other processes ingest, rate and invoice (work they have not finished is reported, not failed).
 */
export async function verifyBooks(db: Database): Promise<BooksVerification> {
  const checks = [...(await checkBookInvariants(db)), await approvedInvoicesUnchanged(db)];
  return { ok: checks.every((c) => c.ok), checks };
}
