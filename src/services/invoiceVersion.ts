import { createHash } from 'node:crypto';
import type { Invoice } from '../domain/invoice.ts';

/**
 * The version of an invoice as a reader saw it: a hash of everything an edit, an approval or a
 * deletion and new generation changes. The API sends it as the ETag of a draft; an edit that names
 * the version it was made on is refused once the draft has changed since (If-Match), so two
 * operators cannot overwrite each other's edits unseen. Equal contents give equal versions, so the
 * version needs no column of its own.
 */
export function invoiceVersion(invoice: Invoice): string {
  // A fixed field order: the hash must not depend on the order in which an object was built.
  const lines = invoice.lines.map((l) => [l.kind, l.description, l.quantity, l.unit, l.unitPrice ?? null, l.amount, l.period, l.planId ?? null, l.basis ?? null, l.calls ?? null, l.late ?? false]);
  const content = [invoice.id, invoice.status, invoice.number, invoice.customerId, invoice.currency, invoice.from, invoice.to, invoice.total, invoice.notes ?? null, lines];
  return createHash('sha256').update(JSON.stringify(content)).digest('base64url').slice(0, 32);
}
