import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { TestDatabase } from '../../support/testDatabases.ts';
import { openDatabase } from '../../../src/storage/database.ts';

/**
 * A copy of a prepared database, for one run of the fault suites: the folder copied for PGlite (its
 * lock file, if any, goes with it: none, as the prepared one is closed), `CREATE DATABASE … TEMPLATE`
 * on PostgreSQL. Both are much cheaper than applying the configuration and ingesting again.
 */
export async function copyOfDatabase(prepared: TestDatabase): Promise<TestDatabase> {
  if (prepared.kind === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'confbill-crash-'));
    cpSync(prepared.location.dataDir!, dataDir, { recursive: true });
    return {
      kind: 'pglite',
      location: { dataDir },
      env: { CONFBILL_DATA: dataDir, DATABASE_URL: '' },
      open: () => openDatabase({ dataDir }),
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const source = new URL(prepared.location.databaseUrl!);
  const name = `${source.pathname.slice(1)}_c${copies++}`;
  await onServer(prepared, (admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${source.pathname.slice(1)}`));
  const url = new URL(source);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  return {
    kind: 'postgres',
    location: { databaseUrl },
    env: { DATABASE_URL: databaseUrl },
    open: () => openDatabase({ databaseUrl }),
    drop: () => onServer(prepared, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
let copies = 0;

async function onServer<T>(db: TestDatabase, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(db.location.databaseUrl!);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/**
 * After a client is killed, PostgreSQL's backend for it runs on until it next talks to the socket:
 * a statement under way finishes, then the backend finds the client gone and rolls back what was not
 * committed. The check after a kill waits for those backends, so that it sees what the crash left,
 * not a moment of it. (The re-run does not need to wait: locks make it wait where it must.)
 */
export async function settleAfterKill(db: TestDatabase): Promise<void> {
  if (db.kind !== 'postgres') return;
  const name = new URL(db.location.databaseUrl!).pathname.slice(1);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [row] = (await onServer(db, (admin) => admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]))).rows;
    if (row!.n === 0) return;
    if (Date.now() > deadline) throw new Error(`${row!.n} backends of the killed command still run on ${name} a minute after the kill.`);
    await sleep(50);
  }
}
