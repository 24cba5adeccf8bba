import { BillingError } from '../domain/billingError.ts';
import { canonicalJson, contentHash } from './contentHash.ts';
import type { Customer } from '../domain/customer.ts';
import type { Sql } from './database.ts';
import type { RatedInvoiceCall } from '../domain/ratedInvoiceCall.ts';
import type { Invoice } from '../domain/invoice.ts';
import { providerIdentityOf } from './settingsStore.ts';
import type { ProviderIdentity } from '../domain/providerIdentity.ts';

/**
 * Everything an invoice's documents (PDF, invoice CSV, calls CSV) show, as it was when it was
 * approved. Exports of an approved invoice render from this alone, so later changes to settings,
 * customers, plans or call rows change none of its bytes (ADR 0006).
 */
export interface InvoiceDocument {
  /**
   * The layout of this object; a changed layout gets a new number and old snapshots keep theirs.
   * 2: the customer's billing details, the provider's tax id (was `vatId`), payment details and logo.
   */
  format: 2;
  /** Header, lines, total and notes, with number and approval time. */
  invoice: Invoice;
  /** Name and billing details as they were (the "Bill to" block). */
  customer: Customer;
  /** The sender block of the settings; null when none was configured (the document says "confbill"). */
  provider: ProviderIdentity | null;
  /** The time zone of the invoice's dates: the customer's, else the provider's. */
  timeZone: string;
  /** The date printed on the PDF: approval date (creation date for a draft) in `timeZone`. */
  issueDate: string;
  /** The rows of the calls CSV. */
  calls: RatedInvoiceCall[];
}

export interface StoredSnapshot {
  invoiceId: string;
  /** Canonical JSON (RFC 8785) of an InvoiceDocument, exactly as hashed. */
  document: string;
  sha256: string;
}

/** Freezes an invoice's document; only the transaction that approved the invoice may (migration 0008). */
export async function insertInvoiceSnapshot(tx: Sql, document: InvoiceDocument): Promise<StoredSnapshot> {
  const text = canonicalJson(document);
  const snapshot = { invoiceId: document.invoice.id, document: text, sha256: contentHash(text) };
  await tx.query('INSERT INTO invoice_snapshots (invoice_id, document, sha256) VALUES ($1, $2, $3)', [snapshot.invoiceId, snapshot.document, snapshot.sha256]);
  return snapshot;
}

export async function readInvoiceSnapshot(db: Sql, invoiceId: string): Promise<StoredSnapshot | undefined> {
  const rows = await db.query<StoredSnapshot>('SELECT invoice_id AS "invoiceId", document, sha256 FROM invoice_snapshots WHERE invoice_id = $1', [invoiceId]);
  return rows[0];
}

/**
 * The frozen document of an approved invoice, undefined when it has none (approved before snapshots
 * existed). A snapshot whose text no longer hashes to its stored hash is refused rather than shown.
 */
export async function readFrozenDocument(db: Sql, invoiceId: string): Promise<InvoiceDocument | undefined> {
  const stored = await readInvoiceSnapshot(db, invoiceId);
  if (!stored) return undefined;
  if (contentHash(stored.document) !== stored.sha256) {
    throw new BillingError('storage', `The frozen document of invoice ${invoiceId} does not match its SHA-256: it was changed in the database after approval, so it is not exported. Check the database's integrity.`);
  }
  return documentInCurrentLayout(JSON.parse(stored.document) as InvoiceDocument | FormatOneDocument);
}

/** A document frozen before format 2: a customer without billing details, the provider's `vatId`. */
export interface FormatOneDocument extends Omit<InvoiceDocument, 'format' | 'customer' | 'provider'> {
  format: 1;
  customer: Pick<Customer, 'id' | 'name' | 'timezone'>;
  provider: { name: string; address: string; email?: string; vatId?: string } | null;
}

/** A frozen document in the current layout, showing exactly what it showed when it was frozen. */
export function documentInCurrentLayout(document: InvoiceDocument | FormatOneDocument): InvoiceDocument {
  if (document.format === 2) return document;
  const customer: Customer = { billingAddress: null, email: null, taxId: null, customerReference: null, ...document.customer };
  return { ...document, format: 2, customer, provider: document.provider && providerIdentityOf(document.provider) };
}
