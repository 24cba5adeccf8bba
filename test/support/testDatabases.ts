import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { openDatabase, type Database, type DatabaseLocation } from '../../src/storage/database.ts';

/**
 * One storage suite, every database: tests run on PGlite always and on PostgreSQL when DATABASE_URL
 * is set. Each test database is new and private (a temp folder for PGlite, a database of its own on
 * the server), so test files can run in parallel.
 */
export type DatabaseKind = 'pglite' | 'postgres';

// CONFBILL_TEST_DATABASES=postgres narrows a run to the server (CI runs PGlite in a step of its own).
const wanted = (process.env.CONFBILL_TEST_DATABASES ?? 'pglite,postgres').split(',');
export const databaseKinds: DatabaseKind[] = (process.env.DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const)).filter((k) => wanted.includes(k));

export interface TestDatabase {
  kind: DatabaseKind;
  /** Where the CLI finds this database (pass as --data or DATABASE_URL). */
  location: DatabaseLocation;
  /** Environment for a CLI process on this database. */
  env: Record<string, string>;
  open(): Promise<Database>;
  drop(): Promise<void>;
}

let counter = 0;

/** `empty`: an embedded database folder with nothing in it yet (for tests of creating and migrating a schema). */
export async function createTestDatabase(kind: DatabaseKind, options: { empty?: boolean } = {}): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'confbill-test-'));
    // A copy of the run's migrated template (test/support/pgliteTemplate.globalSetup.ts): the schema is current.
    if (!options.empty) cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
    return {
      kind,
      location: { dataDir },
      env: { CONFBILL_DATA: dataDir, DATABASE_URL: '' },
      open: () => openDatabase({ dataDir }),
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const serverUrl = process.env.DATABASE_URL!;
  const name = `confbill_t_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    kind,
    location: { databaseUrl },
    env: { DATABASE_URL: databaseUrl },
    open: () => openDatabase({ databaseUrl }),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * Opens a private database of `kind` for the enclosing describe block and closes and drops it
 * after; `use` receives the open database before the first test runs.
 */
export function useTestDatabase(kind: DatabaseKind, use: (db: Database) => void): void {
  let testDb: TestDatabase | undefined;
  let db: Database | undefined;
  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await testDb.open();
    use(db);
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });
}
