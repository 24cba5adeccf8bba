import { describe, expect, it } from 'vitest';
import { BillingError } from '../../src/domain/billingError.ts';
import type { Database } from '../../src/storage/database.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

describe.runIf(databaseKinds.includes('postgres'))('a connection that breaks in the middle of a transaction, on PostgreSQL', () => {
  let db!: Database;
  useTestDatabase('postgres', (opened) => (db = opened));

  it('fails the transaction with the typed storage error (503, exit 7), not the process, and the next statement gets a new connection', async () => {
    const failure = await db
      .transaction(async (tx) => {
        const [backend] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        // Another connection of the pool ends this one's backend, as a server restart would.
        await db.query('SELECT pg_terminate_backend($1)', [backend!.pid]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await tx.query('SELECT 1');
      })
      .then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(BillingError);
    expect(failure).toMatchObject({ code: 'storage', message: expect.stringMatching(/is not available \(.*\); what was not committed is not kept\. Try again once the server is back\.$/) as unknown });
    expect((await db.query<{ one: number }>('SELECT 1 AS one'))[0]).toEqual({ one: 1 });
  });
});
