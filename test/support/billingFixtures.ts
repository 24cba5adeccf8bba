import { Readable } from 'node:stream';
import { readConfbillCsv } from '../../src/ingest/confbill-csv/readConfbillCsv.ts';
import { applyConfig } from '../../src/services/applyConfig.ts';
import { runBilling } from '../../src/services/billingRun.ts';
import { ingestCalls, type IngestSummary } from '../../src/services/ingestCalls.ts';
import { generateInvoices } from '../../src/services/invoicing.ts';
import { parseProviderConfig } from '../../src/services/providerConfig.ts';
import type { Database } from '../../src/storage/database.ts';
import type { Invoice } from '../../src/domain/invoice.ts';

export const csvHeader = 'source,externalId,conferenceId,startedAt,durationSeconds,category,direction,protocol,localAlias,remoteAlias,tenant';

/** A confbill-csv file from rows of [externalId, startedAt, durationSeconds, category, direction, localAlias, remoteAlias?]. */
export function callsCsv(source: string, rows: [string, string, number, string, string, string, string?][]): string {
  return [csvHeader, ...rows.map(([id, at, seconds, category, direction, local, remote]) => `${source},${id},,${at},${seconds},${category},${direction},sip,${local},${remote ?? ''},`)].join('\n') + '\n';
}

export async function applyYaml(db: Database, yaml: string, now = new Date('2026-12-01T00:00:00Z')): Promise<void> {
  await applyConfig(db, parseProviderConfig(yaml, 'test.yaml'));
  await runBilling(db, { now });
}

export async function ingestCsv(db: Database, csv: string, now = new Date('2026-12-01T00:00:00Z')): Promise<IngestSummary> {
  const summary = await ingestCalls(db, readConfbillCsv, Readable.from([csv]), { format: 'confbill-csv', file: 'test.csv' });
  await runBilling(db, { now });
  return summary;
}

export async function generate(db: Database, customer: string, from: string, to: string, now = new Date('2026-12-01T00:00:00Z')): Promise<Invoice[]> {
  return generateInvoices(db, { customerIds: [customer], from, to, now, actor: 'test' });
}

/** Lines as compact tuples for readable assertions. */
export function lineTuples(invoice: Invoice): [string, string, string, string][] {
  return invoice.lines.map((l) => [l.kind, l.description, l.quantity, l.amount]);
}
