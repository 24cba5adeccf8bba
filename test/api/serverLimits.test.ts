import type { FastifyInstance } from 'fastify';
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultServerLimits, type ServerLimits } from '../../src/api/buildServer.ts';
import { buildTestServer } from '../support/apiTestServer.ts';
import type { Database } from '../../src/storage/database.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabases.ts';

/**
 * The server's edges (issue 8 §7): a request body not complete within the request timeout is cut at
 * that time, not up to a minute later, and connections beyond the cap are refused.
 */
let authorization = '';
const head = (): string => `POST /cdr/pexip/pexip-1 HTTP/1.1\r\nHost: x\r\n${authorization}Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n`;

interface Ending {
  /** Seconds from the first byte sent until the server closed the connection. */
  seconds: number;
  answer: string;
}

/** Sends a request head, then one byte of body every `everyMs` (never, if 0); resolves when the server closes the connection or after `giveUpMs`. */
function trickle(address: string, everyMs: number, giveUpMs: number): Promise<Ending> {
  const { port } = new URL(address);
  return new Promise((resolve) => {
    const started = performance.now();
    let answer = '';
    const socket = connect(Number(port), '127.0.0.1');
    const timer = everyMs > 0 ? setInterval(() => socket.write('x'), everyMs) : undefined;
    const end = (): void => {
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ seconds: (performance.now() - started) / 1000, answer });
    };
    const giveUp = setTimeout(end, giveUpMs);
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('close', end);
    socket.on('error', () => undefined);
    socket.write(head());
  });
}

interface OpenConnection {
  socket: Socket;
  answer: () => string;
  closed: Promise<{ answer: string }>;
}

/** An open connection that has sent part of a request (its head without the final empty line). */
function openConnection(address: string): Promise<OpenConnection> {
  const { port } = new URL(address);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    socket.on('error', () => undefined);
    const closed = new Promise<{ answer: string }>((done) => socket.on('close', () => done({ answer })));
    socket.on('connect', () => {
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
      resolve({ socket, answer: () => answer, closed });
    });
  });
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | 'still open'> {
  return Promise.race([promise, new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), ms))]);
}

describe('the server against slow and numerous clients', () => {
  let testDb: TestDatabase;
  let db: Database;
  let app: FastifyInstance | undefined;

  beforeAll(async () => {
    testDb = await createTestDatabase('pglite');
    db = await testDb.open();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  async function serve(limits: Partial<ServerLimits>): Promise<string> {
    let ingestKey: string;
    ({ app, ingestKey } = buildTestServer(db, limits));
    authorization = `Authorization: Bearer ${ingestKey}\r\n`;
    return app.listen({ port: 0, host: '127.0.0.1' });
  }
  const connections = (): Promise<number> => new Promise((resolve, reject) => app!.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));

  it('by default cuts a request after 30 s, as the README says, and serves at most 256 connections', async () => {
    expect(defaultServerLimits).toMatchObject({ requestTimeoutMs: 30_000, maxConnections: 256 });
    await serve({});
    expect(app!.server.requestTimeout).toBe(30_000);
    // Node measures the body against the larger of the two: a longer headers timeout would stretch it.
    expect(app!.server.headersTimeout).toBeLessThanOrEqual(30_000);
    expect(app!.server.maxConnections).toBe(256);
  });

  it('cuts a body that trickles in one byte a tenth of a second at the request timeout, answering 408', async () => {
    const address = await serve({ requestTimeoutMs: 1500 });
    const ending = await trickle(address, 100, 20_000);
    expect(ending.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(ending.seconds).toBeGreaterThanOrEqual(1.4);
    expect(ending.seconds).toBeLessThan(3.5);
  });

  it('cuts a body that stalls at the request timeout too, long before the idle timeout', async () => {
    const address = await serve({ requestTimeoutMs: 1500, idleTimeoutMs: 60_000 });
    const ending = await trickle(address, 0, 20_000);
    expect(ending.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(ending.seconds).toBeGreaterThanOrEqual(1.4);
    expect(ending.seconds).toBeLessThan(3.5);
  });

  it('refuses connection 3 when 2 are allowed, and takes a new one once one has gone', async () => {
    const address = await serve({ maxConnections: 2 });
    const first = await openConnection(address);
    const second = await openConnection(address);
    const third = await openConnection(address);
    // The third is closed at once, without an answer, while the first two are still served.
    expect(await within(third.closed, 5000)).toEqual({ answer: '' });
    second.socket.write('\r\n'); // completes its GET /healthz
    await expect.poll(() => second.answer(), { timeout: 5000 }).toMatch(/^HTTP\/1\.1 200 /);
    first.socket.destroy();
    second.socket.destroy();
    await expect.poll(() => connections(), { timeout: 5000 }).toBe(0);
    const health = await fetch(`${address}/healthz`, { headers: { connection: 'close' } });
    expect(health.status).toBe(200);
  });
});
