// A database holding the benchmark's generated month, ingested, matched and rated: the starting
// point of the benchmarks that measure what follows rating (re-rating after a plan change, invoicing).
// The product path of bench/runOne.ts (apply, ingest, runBilling), without its phase meters.

import { createReadStream, readFileSync } from 'node:fs';
import pg from 'pg';
import { readConfbillCsv } from '../src/ingest/confbill-csv/readConfbillCsv.ts';
import { applyConfig } from '../src/services/applyConfig.ts';
import { runBilling } from '../src/services/billingRun.ts';
import { ingestCalls } from '../src/services/ingestCalls.ts';
import { validateProviderConfig } from '../src/services/providerConfig.ts';
import type { Database } from '../src/storage/database.ts';
import type { GeneratedFiles } from './generateCalls.ts';

/** The clock of the runs (as bench/runOne.ts): the month of the calls, rated and invoiced a month later. */
export const BENCH_NOW = new Date('2026-12-01T00:00:00Z');
export const INVOICE_FROM = '2026-10-01';
export const INVOICE_TO = '2026-11-01';

/** Applies the generated configuration, ingests the generated CSV and rates every customer. */
export async function loadRatedMonth(db: Database, files: Pick<GeneratedFiles, 'configPath' | 'csvPath' | 'legs'>): Promise<void> {
  const config = validateProviderConfig(JSON.parse(readFileSync(files.configPath, 'utf8')), files.configPath);
  await applyConfig(db, config);
  const ingested = await ingestCalls(db, readConfbillCsv, createReadStream(files.csvPath), { format: 'confbill-csv', file: files.csvPath });
  if (ingested.new !== files.legs) throw new Error(`Ingest stored ${ingested.new} new calls where the file has ${files.legs} legs.`);
  await runBilling(db, { now: BENCH_NOW, all: true });
}

/** A fresh PostgreSQL database on the server of `databaseUrl` (made through its `postgres` database) and its removal. */
export async function freshPostgresDatabase(databaseUrl: string, name: string, template?: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Unusable database name ${name}.`);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const run = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: admin.href });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  return { url: url.href, drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
