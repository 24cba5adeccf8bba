import { PGlite, type Transaction } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type pg from 'pg';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { BillingError } from '../domain/billingError.ts';
import { lockDataDir, lockOrJoinDataDir, type DataDirLock } from './dataDirLock.ts';
import { ExclusiveAccess } from './exclusiveAccess.ts';
import { insertCsvRows } from './insertCsvRows.ts';
import { removeStaleSocket, shareOverLocalSocket, type LocalDatabaseSocket } from './localDatabaseSocket.ts';
import { makeDataDirPrivate } from './makeDataDirPrivate.ts';
import { migrate } from './migrations.ts';
import { isPostgresUnavailable, postgresConnectionFailure, postgresTarget, postgresUnavailable } from './postgresConnectionFailure.ts';

/**
 * The one database interface of confbill: plain PostgreSQL SQL, run either on embedded PGlite (the
 * zero-set-up default) or on a PostgreSQL server. Both drivers decode values the same way: numeric
 * as decimal strings (never floats), int8 as numbers (counts and ids stay far below 2^53), dates as
 * 'YYYY-MM-DD' strings and timestamptz as Date.
 */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements, no parameters (migrations, temp tables). */
  exec(text: string): Promise<void>;
  /** Loads CSV text (no header) into `table (columns)` with COPY. */
  copyCsv(table: string, columns: readonly string[], csv: string): Promise<void>;
}

export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseLocation {
  /** postgres://… — a PostgreSQL server; when absent, PGlite in `dataDir`. */
  databaseUrl?: string;
  /** Folder of the embedded database; undefined = in memory (tests). */
  dataDir?: string;
  /**
   * `confbill serve`: share the embedded database with the confbill commands of this machine's user
   * through a local socket while it is open (localDatabaseSocket.ts). Without it, a process that
   * finds the folder held by a sharing server connects to that socket.
   */
  shareLocally?: boolean;
  /**
   * PostgreSQL: connections kept open at most (default 10). A request waits for a free one; a
   * server's receivers want about twice the database's cores (`confbill serve --db-connections`).
   */
  poolSize?: number;
}

/** The embedded database of a data folder this process holds, which it may share once migrated. */
interface EmbeddedDatabase extends Database {
  shareLocally(): Promise<void>;
}

const int8 = 20;
const date = 1082;
const numeric = 1700;

function copyStatement(table: string, columns: readonly string[], target: string): string {
  return `COPY ${table} (${columns.join(', ')}) FROM ${target} WITH (FORMAT csv)`;
}

function pgliteSql(db: PGlite | Transaction): Sql {
  return {
    async query<T>(text: string, params: readonly unknown[] = []) {
      return (await db.query<T>(text, [...params])).rows;
    },
    async exec(text: string) {
      await db.exec(text);
    },
    async copyCsv(table, columns, csv) {
      await db.query(copyStatement(table, columns, `'/dev/blob'`), [], { blob: new Blob([csv]) });
    },
  };
}

/**
 * The embedded database of `dataDir`: this process's own, or, when a live `confbill serve` holds the
 * folder and shares it, a connection to that server's local socket. A server that is stopping has
 * removed its socket before it releases the folder: the command waits for the folder then.
 */
async function openPglite(dataDir: string | undefined, share: boolean): Promise<EmbeddedDatabase | Database> {
  if (!dataDir) return openOwnPglite(undefined, undefined);
  // A stopping server may take its stop grace (10 s) and PGlite's close before it frees the folder.
  const deadline = Date.now() + 30_000;
  for (;;) {
    makeDataDirPrivate(dataDir);
    if (share) return openOwnPglite(dataDir, await lockDataDir(dataDir));
    const access = await lockOrJoinDataDir(dataDir);
    if ('lock' in access) return openOwnPglite(dataDir, access.lock);
    const joined = await joinSharingServer(dataDir, access.sharedBy);
    if (joined) return joined;
    if (Date.now() > deadline) {
      throw new BillingError('storage', `The confbill server (pid ${access.sharedBy.pid}) that holds the embedded database in ${dataDir} does not answer on its socket in ${access.sharedBy.socketDir}. Run the command again once the server has started or stopped.`);
    }
    await sleep(100);
  }
}

async function openOwnPglite(dataDir: string | undefined, lock: DataDirLock | undefined): Promise<EmbeddedDatabase> {
  let db: PGlite;
  try {
    // Holding the lock, this process owns whatever socket a killed server left behind.
    if (dataDir) removeStaleSocket(dataDir);
    db = await PGlite.create({
      dataDir,
      extensions: { btree_gist },
      parsers: { [int8]: (v: string) => Number(v), [date]: (v: string) => v, [numeric]: (v: string) => v },
    });
    if (dataDir) makeDataDirPrivate(dataDir);
  } catch (error) {
    lock?.release();
    throw error;
  }
  // Every call of this process takes the backend for itself, as every client of the socket does.
  const access = new ExclusiveAccess();
  const sql = pgliteSql(db);
  let socket: LocalDatabaseSocket | undefined;
  return {
    kind: 'pglite',
    query: (text, params) => access.run(() => sql.query(text, params)),
    exec: (text) => access.run(() => sql.exec(text)),
    copyCsv: (table, columns, csv) => access.run(() => sql.copyCsv(table, columns, csv)),
    transaction: (work) => access.run(() => db.transaction((tx) => work(pgliteSql(tx)))),
    shareLocally: async () => {
      if (!dataDir || !lock || socket) return;
      socket = await shareOverLocalSocket(db, access, dataDir);
      lock.share(socket.socketDir);
    },
    close: async () => {
      try {
        await socket?.stop();
        await access.run(() => db.close());
        // What PGlite wrote while open (a rebuilt relation cache, say) is made private as well.
        if (dataDir) makeDataDirPrivate(dataDir);
      } finally {
        lock?.release();
      }
    },
  };
}

/**
 * A connection to the socket of the server that shares `dataDir`; null when nobody answers there (the
 * server is starting or stopping). One connection: the server gives it the backend for each
 * transaction, and COPY FROM STDIN, which PGlite cannot take over its protocol, becomes an INSERT.
 */
async function joinSharingServer(dataDir: string, server: { pid: number; socketDir: string }): Promise<Database | null> {
  const { default: pgModule } = await import('pg');
  const pool = new pgModule.Pool({ host: server.socketDir, user: 'postgres', database: 'postgres', types: await pgTypes(), max: 1 });
  pool.on('error', () => undefined);
  try {
    (await pool.connect()).release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ECONNRESET') return null;
    throw new BillingError('storage', `Cannot connect to the confbill server (pid ${server.pid}) that shares the embedded database in ${dataDir} through its socket in ${server.socketDir}: ${error instanceof Error ? error.message : String(error)}.`);
  }
  const lost = (error: unknown): unknown => {
    if (error instanceof pgModule.DatabaseError || !isConnectionLoss(error)) return error;
    return new BillingError('storage', `The confbill server (pid ${server.pid}) that shares the embedded database in ${dataDir} closed the connection while this command ran; what the command had not committed is not kept. Run the command again.`);
  };
  return poolDatabase(pool, 'pglite', insertCsvRows, lost);
}

function isConnectionLoss(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ENOENT' || code === 'ECONNREFUSED') return true;
  return error instanceof Error && /Connection terminated|not queryable|Client was closed|Cannot use a pool after calling end/i.test(error.message);
}

type CopyCsv = (client: pg.PoolClient, table: string, columns: readonly string[], csv: string) => Promise<void>;

function clientSql(client: pg.PoolClient | pg.Pool, copyCsv: CopyCsv, lost: (error: unknown) => unknown): Sql {
  const mapped = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw lost(error);
    }
  };
  return {
    query<T>(text: string, params: readonly unknown[] = []) {
      return mapped(async () => (await client.query(text, [...params])).rows as T[]);
    },
    exec(text: string) {
      return mapped(async () => {
        await client.query(text);
      });
    },
    copyCsv(table, columns, csv) {
      if (!('release' in client)) throw new Error('copyCsv needs a transaction on PostgreSQL');
      return mapped(() => copyCsv(client, table, columns, csv));
    },
  };
}

/** Both drivers decode values alike (see Sql). */
async function pgTypes(): Promise<pg.CustomTypesConfig> {
  const { default: pgModule } = await import('pg');
  return {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === int8) return (v: string) => Number(v);
      if (oid === date || oid === numeric) return (v: string) => v;
      return pgModule.types.getTypeParser(oid, format);
    },
  } as pg.CustomTypesConfig;
}

async function openPostgres(databaseUrl: string, poolSize = 10): Promise<Database> {
  const target = postgresTarget(databaseUrl);
  // Loaded only for a server database: the embedded default starts without them.
  const { default: pgModule } = await import('pg');
  const { from: copyFrom } = await import('pg-copy-streams');
  const pool = new pgModule.Pool({ connectionString: databaseUrl, types: await pgTypes(), max: poolSize });
  // An idle connection that the server ends (a restart, a DROP DATABASE … FORCE, an administrator)
  // is an 'error' event of the pool: without a listener it would crash the process (`confbill serve`).
  // The pool drops that client and opens a new one for the next query, which reports any real outage.
  pool.on('error', () => undefined);
  // Whatever keeps the first connection from being made (an unreachable host, a wrong password, SSL
  // the server does not offer, a missing database) is said in one sentence, not a stack trace.
  try {
    (await pool.connect()).release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw postgresConnectionFailure(target, error);
  }
  const copyCsv: CopyCsv = async (client, table, columns, csv) => {
    const stream = client.query(copyFrom(copyStatement(table, columns, 'STDIN')));
    await pipeline(Readable.from([csv]), stream);
  };
  // A server that stops, restarts or cannot be reached is one typed error (storage: 503, exit 7),
  // never a driver's stack trace or a 500: the caller retries, the sender resends.
  return poolDatabase(pool, 'postgres', copyCsv, (error) => (isPostgresUnavailable(error) ? postgresUnavailable(target, error) : error));
}

function poolDatabase(pool: pg.Pool, kind: Database['kind'], copyCsv: CopyCsv, lost: (error: unknown) => unknown): Database {
  const withClient = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw lost(error);
    }
    // A checked-out client whose connection breaks (the server stopped, a restart) emits 'error': with
    // no listener that is an uncaught exception that ends the process. The statement in flight fails
    // with it anyway; the broken client is destroyed on release instead of going back to the pool.
    let broken = false;
    const onError = (): void => {
      broken = true;
    };
    client.on('error', onError);
    try {
      return await work(client);
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  };
  const poolSql = clientSql(pool, copyCsv, lost);
  return {
    kind,
    query: (text, params) => poolSql.query(text, params),
    exec: (text) => poolSql.exec(text),
    copyCsv: (table, columns, csv) => withClient((client) => clientSql(client, copyCsv, lost).copyCsv(table, columns, csv)),
    transaction: (work) =>
      withClient(async (client) => {
        const sql = clientSql(client, copyCsv, lost);
        await sql.exec('BEGIN');
        try {
          const result = await work(sql);
          await sql.exec('COMMIT');
          return result;
        } catch (error) {
          await sql.exec('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    close: () => pool.end(),
  };
}

/** Opens the database and brings its schema up to date; `applied` are the migrations this call ran. */
export async function openMigratedDatabase(location: DatabaseLocation): Promise<{ db: Database; applied: number[] }> {
  const db: Database & Partial<EmbeddedDatabase> = location.databaseUrl ? await openPostgres(location.databaseUrl, location.poolSize) : await openPglite(location.dataDir, location.shareLocally === true);
  try {
    const applied = await migrate(db);
    // Clients come only once the schema is current: they find nothing to migrate.
    if (location.shareLocally) await db.shareLocally?.();
    return { db, applied };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

/** Opens the database and brings its schema up to date (migrations run on first use). */
export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  return (await openMigratedDatabase(location)).db;
}
