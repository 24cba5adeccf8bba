import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Invoice } from '../../src/domain/invoice.ts';

/** The golden case folders (test/golden/README.md), read by the runners through the services and through the API. */

export const goldenDir = fileURLToPath(new URL('./', import.meta.url));
export const casesDir = join(goldenDir, 'cases');

export interface GenerateStep {
  generate: { from: string; to: string; now: string };
  /** Approve the invoices of this generation once they were compared. */
  approve?: boolean;
}
export interface IngestStep {
  /** Another confbill-csv file of the case folder, ingested at `now`. */
  ingest: string;
  now: string;
  /** Records of that file that change an invoiced call: refused and recorded as conflicts (docs/billing-rules.md §1). */
  conflicts?: number;
}
export type Step = GenerateStep | IngestStep;

export interface CaseSpec {
  customer: string;
  /** The invoice range; with `steps`, the whole range the case covers. */
  from: string;
  to: string;
  /** When provider.yaml is applied and calls.csv ingested (and, without `steps`, the invoice generated). */
  now: string;
  description: string;
  /** Steps in order, when one generation of [from, to) at `now` is not enough. */
  steps?: Step[];
  /** The untracked call items of the case's sources after the last step, as [externalId, reason]. */
  untracked: [string, string][];
}

export type ComparedInvoice = Omit<Invoice, 'id' | 'createdAt' | 'approvedAt' | 'approvedBy' | 'notes'>;

export const caseNames = readdirSync(casesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

export const readText = (name: string, file: string): string => readFileSync(join(casesDir, name, file), 'utf8');
export const readJson = <T>(name: string, file: string): T => JSON.parse(readText(name, file)) as T;
export const caseSpec = (name: string): CaseSpec => readJson<CaseSpec>(name, 'case.json');
export const isDeviation = (name: string): boolean => existsSync(join(casesDir, name, 'deviation.json'));

export function stepsOf(spec: CaseSpec): Step[] {
  return spec.steps ?? [{ generate: { from: spec.from, to: spec.to, now: spec.now } }];
}

/** The invoice JSON (docs/billing-rules.md, "Files and commands") without what differs from run to run; undefined fields dropped. */
export function compared(invoice: Invoice): ComparedInvoice {
  const { id: _id, createdAt: _createdAt, approvedAt: _approvedAt, approvedBy: _approvedBy, notes: _notes, ...rest } = invoice;
  return JSON.parse(JSON.stringify(rest)) as ComparedInvoice;
}

/** What src/ must give for a case: the hand-computed invoices, or for a known deviation what it gives today. */
export const expectedInvoices = (name: string): ComparedInvoice[] => readJson<ComparedInvoice[]>(name, isDeviation(name) ? 'deviation.json' : 'expected.json');
