import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildTestServer } from './apiTestServer.ts';
import type { Database } from '../../src/storage/database.ts';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './testDatabases.ts';

/**
 * The server with its CDR receivers on a private database of `kind`, for the enclosing describe
 * block (requests through `app.inject`); closed and dropped after. `use` gets both before the first test.
 */
export function useReceiverServer(kind: DatabaseKind, use: (server: { db: Database; app: FastifyInstance; ingestKey: string }) => void): void {
  let testDb: TestDatabase | undefined;
  let db: Database | undefined;
  let app: FastifyInstance | undefined;
  let ingestKey = '';
  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    db = await testDb.open();
    const built = buildTestServer(db);
    app = built.app;
    ingestKey = built.ingestKey;
    await app.ready();
    use({ db, app, ingestKey });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await testDb?.drop();
  });
}
