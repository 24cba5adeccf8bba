import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler, type PGLiteSocketHandlerOptions } from '@electric-sql/pglite-socket';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BillingError } from '../domain/billingError.ts';
import type { ExclusiveAccess } from './exclusiveAccess.ts';

/** The name libpq and `pg` look for in a socket folder (port 5432). */
export const socketFileName = '.s.PGSQL.5432';

/** sun_path holds 108 bytes on Linux and 104 on macOS, its last one the terminating NUL. */
const longestSocketPath = 103;

/** How long a stopping server waits for a connected command to end its transaction before cutting it off. */
const stopGraceMs = 10_000;

export interface LocalDatabaseSocket {
  /** The folder that holds the socket: the `host` of a `pg` connection. */
  readonly socketDir: string;
  /** Stops accepting, lets a running transaction of a client end (or rolls it back), disconnects all. */
  stop(): Promise<void>;
}

/**
 * Removes the socket a killed server left in the data folder. Only the holder of the folder's lock
 * may call this: no live server can own that socket.
 */
export function removeStaleSocket(dataDir: string): void {
  rmSync(join(dataDir, socketFileName), { force: true });
}

/**
 * Shares an open PGlite with the confbill commands of this machine's user: a Unix socket speaking the
 * PostgreSQL protocol, in the data folder (private, 0700: only its owner can connect, no password or
 * TCP port is involved), or, when that path is too long for a socket, in a private temporary folder.
 *
 * PGlite is one backend with one session, so a client gets `access` (the turn that every call of the
 * owning process takes too) from its first message until the backend is idle outside a transaction
 * after a Sync or a simple query: its transaction, and the Parse/Bind/Execute of one statement, run
 * with nothing else in between — neither the server's own statements nor another client's.
 * pglite-socket reads the protocol's messages; this module replaces its query queue, which keeps
 * transactions together only among socket clients.
 */
export async function shareOverLocalSocket(db: PGlite, access: ExclusiveAccess, dataDir: string): Promise<LocalDatabaseSocket> {
  const inDataDir = Buffer.byteLength(join(dataDir, socketFileName)) <= longestSocketPath;
  const socketDir = inDataDir ? dataDir : mkdtempSync(join(tmpdir(), 'confbill-')); // mkdtemp: mode 0700
  const path = join(socketDir, socketFileName);
  if (Buffer.byteLength(path) > longestSocketPath) {
    rmSync(socketDir, { recursive: true, force: true });
    throw new BillingError('storage', `Cannot share the embedded database with other confbill commands: the socket path ${path} is longer than ${longestSocketPath} bytes. Set TMPDIR to a shorter folder, or use a data folder with a shorter path.`);
  }
  rmSync(path, { force: true });
  const turns = new ClientTurns(db, access);
  const handlers = new Set<PGLiteSocketHandler>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const handler = new PGLiteSocketHandler({ queryQueue: turns as unknown as PGLiteSocketHandlerOptions['queryQueue'], closeOnDetach: true });
    handlers.add(handler);
    handler.addEventListener('close', () => handlers.delete(handler));
    handler.addEventListener('error', () => handlers.delete(handler));
    void handler.attach(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    socketDir,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const turn = access.acquire();
      // A client in a transaction may finish it; one that takes longer is cut off and rolled back.
      const inTime = await Promise.race([turn.then(() => true), sleep(stopGraceMs, false, { ref: false })]);
      turns.stopping = true;
      if (!inTime) await Promise.all([...handlers].map((h) => h.detach(true)));
      const release = await turn;
      await Promise.all([...handlers].map((h) => h.detach(true)));
      for (const socket of sockets) socket.destroy();
      release();
      await closed;
      rmSync(path, { force: true });
      if (!inDataDir) rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

const sync = Uint8Array.of(0x53, 0, 0, 0, 4);

/**
 * The query queue that PGLiteSocketHandler calls (its `enqueue`, `clearQueueForHandler` and
 * `clearTransactionIfNeeded`): each handler sends its messages one at a time, in order.
 */
class ClientTurns {
  stopping = false;
  #holder: number | null = null;
  #endTurn: (() => void) | null = null;
  #running: Promise<unknown> = Promise.resolve();
  /** Handlers waiting for their turn, and those of them that disconnected meanwhile. */
  readonly #waiting = new Set<number>();
  readonly #gone = new Set<number>();
  readonly #db: PGlite;
  readonly #access: ExclusiveAccess;

  constructor(db: PGlite, access: ExclusiveAccess) {
    this.#db = db;
    this.#access = access;
  }

  async enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    if (this.#holder !== handlerId) {
      this.#waiting.add(handlerId);
      const endTurn = await this.#access.acquire();
      this.#waiting.delete(handlerId);
      if (this.stopping || this.#gone.delete(handlerId)) {
        endTurn();
        throw new Error('Handler disconnected');
      }
      this.#holder = handlerId;
      this.#endTurn = endTurn;
    }
    let bytes = 0;
    const running = this.#db.runExclusive(() =>
      this.#db.execProtocolRawStream(message, {
        onRawData: (data) => {
          bytes += data.length;
          onData(data);
        },
      }),
    );
    this.#running = running.catch(() => undefined);
    try {
      await running;
    } catch (error) {
      this.#endTurnOf(handlerId);
      throw error;
    }
    if (endsExchange(message) && !this.#db.isInTransaction()) this.#endTurnOf(handlerId);
    return bytes;
  }

  clearQueueForHandler(handlerId: number): void {
    if (this.#waiting.has(handlerId)) this.#gone.add(handlerId);
  }

  /** A client that disconnects mid-transaction (or mid-statement) leaves the backend as it found it. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.#holder !== handlerId) return;
    await this.#running;
    try {
      // After an error in the extended protocol the backend skips everything up to a Sync.
      await this.#db.runExclusive(() => this.#db.execProtocolRawStream(sync, { onRawData: () => undefined }));
      if (this.#db.isInTransaction()) await this.#db.runExclusive(() => this.#db.execProtocolRawStream(simpleQuery('ROLLBACK'), { onRawData: () => undefined }));
    } finally {
      this.#endTurnOf(handlerId);
    }
  }

  #endTurnOf(handlerId: number): void {
    if (this.#holder !== handlerId) return;
    this.#holder = null;
    const endTurn = this.#endTurn;
    this.#endTurn = null;
    endTurn?.();
  }
}

/** A Sync (extended protocol), a simple Query or the startup message (each answered by ReadyForQuery), or a Terminate. */
function endsExchange(message: Uint8Array): boolean {
  const type = message[0];
  if (type === 0x53 || type === 0x51 || type === 0x58) return true;
  return message.length >= 8 && new DataView(message.buffer, message.byteOffset, message.byteLength).getInt32(4) === 196608;
}

function simpleQuery(text: string): Uint8Array {
  const body = Buffer.from(`${text}\0`);
  const message = Buffer.alloc(5 + body.length);
  message[0] = 0x51;
  message.writeInt32BE(4 + body.length, 1);
  body.copy(message, 5);
  return message;
}
