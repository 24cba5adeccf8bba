import { PGlite, type Transaction } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import type pg from 'pg';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { lockDataDir, type DataDirLock } from './dataDirLock.ts';
import { makeDataDirPrivate } from './makeDataDirPrivate.ts';
import { migrate } from './migrations.ts';
import { postgresConnectionFailure, postgresTarget } from './postgresConnectionFailure.ts';

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

async function openPglite(dataDir: string | undefined): Promise<Database> {
  let lock: DataDirLock | undefined;
  if (dataDir) {
    makeDataDirPrivate(dataDir);
    lock = await lockDataDir(dataDir);
  }
  let db: PGlite;
  try {
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
  return {
    kind: 'pglite',
    ...pgliteSql(db),
    transaction: (work) => db.transaction((tx) => work(pgliteSql(tx))),
    close: async () => {
      try {
        await db.close();
        // What PGlite wrote while open (a rebuilt relation cache, say) is made private as well.
        if (dataDir) makeDataDirPrivate(dataDir);
      } finally {
        lock?.release();
      }
    },
  };
}

function clientSql(client: pg.PoolClient | pg.Pool, copyFrom: typeof import('pg-copy-streams').from): Sql {
  return {
    async query<T>(text: string, params: readonly unknown[] = []) {
      return (await client.query(text, [...params])).rows as T[];
    },
    async exec(text: string) {
      await client.query(text);
    },
    async copyCsv(table, columns, csv) {
      if (!('release' in client)) throw new Error('copyCsv needs a transaction on PostgreSQL');
      const stream = client.query(copyFrom(copyStatement(table, columns, 'STDIN')));
      await pipeline(Readable.from([csv]), stream);
    },
  };
}

async function openPostgres(databaseUrl: string): Promise<Database> {
  const target = postgresTarget(databaseUrl);
  // Loaded only for a server database: the embedded default starts without them.
  const { default: pgModule } = await import('pg');
  const { from: copyFrom } = await import('pg-copy-streams');
  const types = {
    getTypeParser(oid: number, format?: 'text' | 'binary') {
      if (oid === int8) return (v: string) => Number(v);
      if (oid === date || oid === numeric) return (v: string) => v;
      return pgModule.types.getTypeParser(oid, format);
    },
  } as pg.CustomTypesConfig;
  const pool = new pgModule.Pool({ connectionString: databaseUrl, types, max: 4 });
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
  const withClient = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  };
  return {
    kind: 'postgres',
    query: (text, params) => clientSql(pool, copyFrom).query(text, params),
    exec: (text) => clientSql(pool, copyFrom).exec(text),
    copyCsv: (table, columns, csv) => withClient((client) => clientSql(client, copyFrom).copyCsv(table, columns, csv)),
    transaction: (work) =>
      withClient(async (client) => {
        await client.query('BEGIN');
        try {
          const result = await work(clientSql(client, copyFrom));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }),
    close: () => pool.end(),
  };
}

/** Opens the database and brings its schema up to date; `applied` are the migrations this call ran. */
export async function openMigratedDatabase(location: DatabaseLocation): Promise<{ db: Database; applied: number[] }> {
  const db = location.databaseUrl ? await openPostgres(location.databaseUrl) : await openPglite(location.dataDir);
  try {
    return { db, applied: await migrate(db) };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

/** Opens the database and brings its schema up to date (migrations run on first use). */
export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  return (await openMigratedDatabase(location)).db;
}
