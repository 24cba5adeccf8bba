import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { freePort } from '../../support/freePort.ts';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where Debian and Ubuntu put PostgreSQL 15's programs (CI's image); CONFBILL_PG_BIN overrides. */
const binDir = process.env.CONFBILL_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Whether a private PostgreSQL server can be started here (its programs are installed). */
export const canRunPrivatePostgres = existsSync(join(binDir, 'initdb')) && existsSync(join(binDir, 'pg_ctl'));

/**
 * A PostgreSQL server of the test's own, in a temporary folder on a free port: the fault suites stop
 * and restart it under load, which they must never do to a shared server. initdb refuses to run as
 * root (CI runs as root): there the server's programs run as the `postgres` user, which owns the folder.
 */
export interface PrivatePostgres {
  /** postgres://… of `database` (created by `createDatabase`), or of the `postgres` database. */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast: sessions are ended, as at a real restart) and waits until it is down. */
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stops the server for good and removes its folder. */
  remove(): Promise<void>;
}

const run = promisify(execFile);

/** Runs a PostgreSQL program as the user that owns the data folder (without blocking the test's requests). */
async function asServerUser(program: string, args: string[], asPostgres: boolean): Promise<void> {
  const command = asPostgres ? 'runuser' : join(binDir, program);
  const fullArgs = asPostgres ? ['-u', 'postgres', '--', join(binDir, program), ...args] : args;
  try {
    await run(command, fullArgs, { encoding: 'utf8', timeout: 120_000 });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${program} ${args.join(' ')} failed: ${stderr || stdout || String(error)}`);
  }
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const asPostgres = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'confbill-fault-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  if (asPostgres) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const port = await freePort();
  const user = 'confbill_fault';
  // Durability is not under test (the server process stops, not the machine): no fsync keeps it quick.
  await asServerUser('initdb', ['-D', dataDir, '-U', user, '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8'], asPostgres);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60`;
  const pgCtl = (...args: string[]): Promise<void> => asServerUser('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', ...args], asPostgres);
  try {
    await pgCtl('-o', options, 'start');
  } catch (error) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '(no server log)';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${log}`);
  }
  const url = (database = 'postgres'): string => `postgres://${user}@127.0.0.1:${port}/${database}`;
  return {
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop: () => pgCtl('-m', 'fast', 'stop'),
    start: () => pgCtl('-o', options, 'start'),
    restart: () => pgCtl('-m', 'fast', '-o', options, 'restart'),
    async remove() {
      try {
        if (existsSync(join(dataDir, 'postmaster.pid'))) await pgCtl('-m', 'immediate', 'stop');
      } catch (error) {
        process.stderr.write(`private PostgreSQL did not stop: ${error instanceof Error ? error.message : String(error)}\n${existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : ''}\n`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
