import type { Database } from '../storage/database.ts';
import { checkBookInvariants, type InvariantCheck } from '../storage/bookInvariants.ts';

export interface BooksVerification {
  ok: boolean;
  checks: InvariantCheck[];
}

/**
 * `confbill verify`: the invariants of the books on a live database. Read-only; safe to run while
 * other processes ingest, rate and invoice (work they have not finished is reported, not failed).
 */
export async function verifyBooks(db: Database): Promise<BooksVerification> {
  const checks = await checkBookInvariants(db);
  return { ok: checks.every((c) => c.ok), checks };
}
