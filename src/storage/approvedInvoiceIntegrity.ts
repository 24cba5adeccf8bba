import { canonicalJson, contentHash } from './contentHash.ts';
import type { Sql } from './database.ts';
import type { InvoiceDocument } from './invoiceSnapshotStore.ts';
import { readInvoiceSnapshot } from './invoiceSnapshotStore.ts';
import { getInvoice } from './invoiceStore.ts';
import type { Invoice } from '../domain/invoice.ts';

/** The migration that introduced snapshots: invoices approved before it was applied have none. */
const snapshotMigration = 8;

export interface ApprovedInvoiceIntegrity {
  invoiceId: string;
  number: number;
  approvedAt: string;
  /** `approved-before-snapshots`: approved before migration 0008, so never frozen (a warning). */
  snapshot: 'frozen' | 'approved-before-snapshots' | 'missing';
  /** Whether the stored SHA-256 is the hash of the stored document; null without a snapshot. */
  hashMatches: boolean | null;
  /** Whether the document's invoice (header, lines, total, notes) equals the invoice rows; null without a snapshot. */
  matchesInvoice: boolean | null;
  verdict: 'ok' | 'warning' | 'failed';
  problems: string[];
}

function parsedDocument(text: string): InvoiceDocument | undefined {
  try {
    return JSON.parse(text) as InvoiceDocument;
  } catch {
    return undefined;
  }
}

/** The fields of the invoice that differ between the frozen document and the rows, in name order. */
function differingFields(frozen: Invoice | undefined, live: Invoice): string[] {
  const keys = [...new Set([...Object.keys(frozen ?? {}), ...Object.keys(live)])].sort();
  const field = (invoice: Invoice | undefined, key: string): string => canonicalJson((invoice as Record<string, unknown> | undefined)?.[key] ?? null);
  return keys.filter((key) => field(frozen, key) !== field(live, key));
}

/**
 * For every approved invoice, in number order: is its document frozen, does the stored hash match
 * the stored document, and does the document still say what the invoice rows say. Triggers make all
 * of these true for whoever writes through SQL; this finds what was changed behind them (an owner
 * disabling triggers, a restore of a partial backup). Reads one invoice at a time.
 */
export async function approvedInvoiceIntegrity(db: Sql): Promise<ApprovedInvoiceIntegrity[]> {
  const [migration] = await db.query<{ appliedAt: Date }>('SELECT applied_at AS "appliedAt" FROM schema_migrations WHERE version = $1', [snapshotMigration]);
  const approved = await db.query<{ id: string; number: number; approvedAt: Date }>(
    `SELECT id, number, approved_at AS "approvedAt" FROM invoices WHERE status = 'approved' ORDER BY number`,
  );
  const report: ApprovedInvoiceIntegrity[] = [];
  for (const row of approved) {
    const base = { invoiceId: row.id, number: row.number, approvedAt: row.approvedAt.toISOString() };
    const stored = await readInvoiceSnapshot(db, row.id);
    if (!stored) {
      const before = migration !== undefined && row.approvedAt.getTime() < migration.appliedAt.getTime();
      report.push({
        ...base,
        snapshot: before ? 'approved-before-snapshots' : 'missing',
        hashMatches: null,
        matchesInvoice: null,
        verdict: before ? 'warning' : 'failed',
        problems: [before ? 'approved before snapshots existed: its documents are rendered from live data' : 'no frozen document, though the invoice was approved after snapshots were introduced'],
      });
      continue;
    }
    const problems: string[] = [];
    const hashMatches = contentHash(stored.document) === stored.sha256;
    if (!hashMatches) problems.push('the stored SHA-256 is not the hash of the stored document');
    const document = parsedDocument(stored.document);
    const differing = differingFields(document?.invoice, (await getInvoice(db, row.id))!);
    if (!document) problems.push('the stored document is not JSON');
    else if (differing.length > 0) problems.push(`the document differs from the invoice in: ${differing.join(', ')}`);
    const matchesInvoice = document !== undefined && differing.length === 0;
    report.push({ ...base, snapshot: 'frozen', hashMatches, matchesInvoice, verdict: problems.length ? 'failed' : 'ok', problems });
  }
  return report;
}
