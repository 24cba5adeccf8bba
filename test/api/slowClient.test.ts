import type { FastifyInstance } from 'fastify';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestServer } from '../support/apiTestServer.ts';
import type { Database } from '../../src/storage/database.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabases.ts';

/** Sends part of a request and stalls; resolves with what the server answered when it closed the connection. */
function stall(address: string, head: string): Promise<{ answer: string }> {
  const { port } = new URL(address);
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('close', () => resolve({ answer }));
    socket.on('error', () => undefined);
    socket.write(head);
  });
}

describe('a CDR receiver against clients that stall', () => {
  let testDb: TestDatabase;
  let db: Database;
  let app: FastifyInstance;
  let address: string;
  let authorization = '';

  beforeAll(async () => {
    testDb = await createTestDatabase('pglite');
    db = await testDb.open();
    let ingestKey: string;
    ({ app, ingestKey } = buildTestServer(db, { requestTimeoutMs: 60_000, idleTimeoutMs: 500 }));
    authorization = `Authorization: Bearer ${ingestKey}\r\n`;
    address = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await testDb?.drop();
  });

  it('closes a connection whose body stops coming, stores nothing, and keeps serving others', async () => {
    const stalled = stall(address, `POST /cdr/pexip/pexip-1 HTTP/1.1\r\nHost: x\r\n${authorization}Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"event": "participant_disc`);
    const health = await fetch(`${address}/healthz`);
    expect(health.status).toBe(200);
    // The server, not the client, ends the exchange: no answer with a status, the socket closed.
    const { answer } = await stalled;
    expect(answer).not.toMatch(/^HTTP\/1\.1 200/);
    const [stored] = await db.query<{ calls: number; rejects: number }>('SELECT (SELECT count(*)::int FROM calls) AS calls, (SELECT count(*)::int FROM ingest_rejects) AS rejects');
    expect(stored).toEqual({ calls: 0, rejects: 0 });
  });
});
