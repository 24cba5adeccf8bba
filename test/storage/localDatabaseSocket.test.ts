import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { openDatabase, openMigratedDatabase, type Database } from '../../src/storage/database.ts';
import { lockFileName } from '../../src/storage/dataDirLock.ts';
import { socketFileName } from '../../src/storage/localDatabaseSocket.ts';
import { createTestDatabase } from '../support/testDatabases.ts';

// `confbill serve` (shareLocally) and a command on the same data folder, both in this process: the
// command connects to the server's socket as a command of another process does.
async function servedFolder(dataDir?: string): Promise<{ dataDir: string; server: Database; drop: () => Promise<void> }> {
  let drop = async (): Promise<void> => undefined;
  if (!dataDir) {
    const testDb = await createTestDatabase('pglite');
    dataDir = testDb.location.dataDir!;
    drop = testDb.drop;
  }
  const server = await openDatabase({ dataDir, shareLocally: true });
  return { dataDir, server, drop };
}

const probe = 'CREATE TABLE IF NOT EXISTS socket_probe (who text NOT NULL)';
const probes = async (db: Database): Promise<string[]> => (await db.query<{ who: string }>('SELECT who FROM socket_probe ORDER BY who')).map((r) => r.who);

describe('the embedded database shared by confbill serve through its local socket', () => {
  let shared: Awaited<ReturnType<typeof servedFolder>>;
  beforeAll(async () => {
    shared = await servedFolder();
    await shared.server.exec(probe);
  });
  afterAll(async () => {
    await shared.server.close();
    expect(existsSync(join(shared.dataDir, socketFileName))).toBe(false);
    await shared.drop();
  });
  beforeEach(async () => {
    await shared.server.query('DELETE FROM socket_probe');
  });

  it('lets a command open the folder the server holds, on the schema the server migrated, each seeing what the other wrote', async () => {
    const { dataDir, server } = shared;
    {
      const lock = JSON.parse(readFileSync(join(dataDir, lockFileName), 'utf8')) as { pid: number; socketDir: string };
      expect(lock).toMatchObject({ pid: process.pid, socketDir: dataDir });
      expect(statSync(join(dataDir, socketFileName)).isSocket()).toBe(true);
      const { db: command, applied } = await openMigratedDatabase({ dataDir });
      try {
        expect(command.kind).toBe('pglite');
        expect(applied).toEqual([]);
        await server.query(`INSERT INTO socket_probe VALUES ('server')`);
        await command.query(`INSERT INTO socket_probe VALUES ($1)`, ['command']);
        expect(await probes(command)).toEqual(['command', 'server']);
        expect(await probes(server)).toEqual(['command', 'server']);
      } finally {
        await command.close();
      }
    }
  });

  it('never runs a statement of the server inside a transaction of a command, nor the reverse', async () => {
    const { server, dataDir } = shared;
    const command = await openDatabase({ dataDir });
    try {
      // The server's transaction writes, waits, and rolls back; the command commits in the meantime.
      const serverRollsBack = server.transaction(async (tx) => {
        await tx.query(`INSERT INTO socket_probe VALUES ('server rolled back')`);
        await sleep(150);
        throw new Error('rolled back');
      }).catch((e: Error) => e.message);
      await sleep(30);
      await command.transaction(async (tx) => {
        await tx.query(`INSERT INTO socket_probe VALUES ('command committed')`);
      });
      expect(await serverRollsBack).toBe('rolled back');
      expect(await probes(server)).toEqual(['command committed']);

      // The reverse: the command's transaction rolls back while the server writes on its own.
      const commandRollsBack = command.transaction(async (tx) => {
        await tx.query(`INSERT INTO socket_probe VALUES ('command rolled back')`);
        await sleep(150);
        throw new Error('rolled back');
      }).catch((e: Error) => e.message);
      await sleep(30);
      await server.query(`INSERT INTO socket_probe VALUES ('server committed')`);
      expect(await commandRollsBack).toBe('rolled back');
      expect(await probes(command)).toEqual(['command committed', 'server committed']);
    } finally {
      await command.close();
    }
  });

  it('rolls back the transaction of a command that dies in it, and lets the server go on', async () => {
    const { server, dataDir } = shared;
    const killed = new pg.Client({ host: dataDir, user: 'postgres', database: 'postgres' });
    killed.on('error', () => undefined);
    await killed.connect();
    await killed.query('BEGIN');
    await killed.query(`INSERT INTO socket_probe VALUES ('never committed')`);
    (killed as unknown as { connection: { stream: Socket } }).connection.stream.destroy();
    await server.transaction(async (tx) => tx.query(`INSERT INTO socket_probe VALUES ('server')`));
    expect(await probes(server)).toEqual(['server']);
  });

  it('loads CSV through the socket exactly as COPY loads it into the embedded database', async () => {
    const { server, dataDir } = shared;
    const command = await openDatabase({ dataDir });
    const csv = ['1,,"",12.50,2026-03-01T10:00:00Z,{a;b}', '2,"a,b","line\nbreak ""quoted""",-0.005,,{}', '3,ünï ☎,x,0,2026-03-01 11:00:00+02,'].join('\n') + '\n';
    const table = `CREATE TEMP TABLE IF NOT EXISTS csv_probe (n integer, a text, b text, amount numeric(12,3), at timestamptz, tags text[]) ON COMMIT DELETE ROWS`;
    const load = (db: Database) =>
      db.transaction(async (tx) => {
        await tx.exec(table);
        await tx.copyCsv('csv_probe', ['n', 'a', 'b', 'amount', 'at', 'tags'], csv.replaceAll('{a;b}', '"{a,b}"'));
        return tx.query('SELECT * FROM csv_probe ORDER BY n');
      });
    try {
      const throughSocket = await load(command);
      expect(throughSocket).toEqual(await load(server));
      expect(throughSocket).toEqual([
        { n: 1, a: null, b: '', amount: '12.500', at: new Date('2026-03-01T10:00:00Z'), tags: ['a', 'b'] },
        { n: 2, a: 'a,b', b: 'line\nbreak "quoted"', amount: '-0.005', at: null, tags: [] },
        { n: 3, a: 'ünï ☎', b: 'x', amount: '0.000', at: new Date('2026-03-01T09:00:00Z'), tags: null },
      ]);
    } finally {
      await command.close();
    }
  });
});

describe('a server that stops, was killed, or has a long data folder path', () => {

  it('when the server stops, a command ends its transaction, then gets one clear sentence; the folder opens again', async () => {
    const { server, dataDir, drop } = await servedFolder();
    const command = await openDatabase({ dataDir });
    try {
      await server.exec(probe);
      const inTransaction = command.transaction(async (tx) => {
        await tx.query(`INSERT INTO socket_probe VALUES ('first')`);
        await sleep(200);
        await tx.query(`INSERT INTO socket_probe VALUES ('second')`);
      });
      await sleep(50);
      await server.close();
      await inTransaction;
      const error = await command.query('SELECT 1').catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'storage',
        message: `The confbill server (pid ${process.pid}) that shares the embedded database in ${dataDir} closed the connection while this command ran; what the command had not committed is not kept. Run the command again.`,
      });
      await command.close();
      const reopened = await openDatabase({ dataDir });
      expect(await probes(reopened)).toEqual(['first', 'second']);
      await reopened.close();
    } finally {
      await drop();
    }
  });

  it('starts sharing over the lock and socket of a killed server, and refuses a second server on the folder', async () => {
    const testDb = await createTestDatabase('pglite');
    const dataDir = testDb.location.dataDir!;
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(dataDir, lockFileName), `${JSON.stringify({ pid: dead, startTime: '1', host: hostname(), token: 'killed', socketDir: dataDir })}\n`);
    writeFileSync(join(dataDir, socketFileName), 'left by a killed server');
    const { server } = await servedFolder(dataDir);
    try {
      await expect(openDatabase({ dataDir, shareLocally: true })).rejects.toThrow(`The embedded database in ${dataDir} is already open in this process.`);
      const command = await openDatabase({ dataDir });
      expect(await command.query('SELECT 41 + 1 AS n')).toEqual([{ n: 42 }]);
      await command.close();
    } finally {
      await server.close();
      await testDb.drop();
    }
  });

  it('puts the socket in a private temporary folder when the data folder path is too long for one', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'confbill-long-'));
    const dataDir = join(parent, 'a-data-folder-whose-path-is-too-long-for-a-unix-socket'.repeat(2));
    mkdirSync(dataDir);
    cpSync(inject('pgliteTemplate'), dataDir, { recursive: true });
    const { server } = await servedFolder(dataDir);
    let socketDir = '';
    try {
      socketDir = (JSON.parse(readFileSync(join(dataDir, lockFileName), 'utf8')) as { socketDir: string }).socketDir;
      expect(socketDir.startsWith(join(tmpdir(), 'confbill-'))).toBe(true);
      expect(statSync(socketDir).mode & 0o777).toBe(0o700);
      const command = await openDatabase({ dataDir });
      expect(await command.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await command.close();
    } finally {
      await server.close();
      rmSync(parent, { recursive: true, force: true });
    }
    expect(existsSync(socketDir)).toBe(false);
  });
});
