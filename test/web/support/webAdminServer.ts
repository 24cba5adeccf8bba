import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { inject } from 'vitest';
import type { DatabaseKind } from '../../support/testDatabases.ts';
import { runCli } from '../../support/runCli.ts';
import { webTestNow } from './demoTemplate.globalSetup.ts';

const bin = fileURLToPath(new URL('../../../bin/confbill.js', import.meta.url));

export { webTestNow };

export interface WebAdminServer {
  kind: DatabaseKind;
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  /** The demo's bootstrap administrator (user admin) and its password, as the demo printed them. */
  admin: { name: string; password: string };
  /** The demo's API key of the administrator. */
  adminKey: string;
  /** Environment for CLI commands on the same database (beside the server). */
  env: Record<string, string>;
  /** Runs a CLI command on the server's database (beside it, as an operator would). */
  cli(args: string[], input?: string): Promise<{ status: number; stdout: string; stderr: string }>;
  /** Makes a user with a role and returns its password. */
  addUser(name: string, role: string): Promise<string>;
  stop(): Promise<void>;
}

/** A copy of the run's demo database (demoTemplate.globalSetup.ts) for one suite. */
async function copyOfDemo(kind: DatabaseKind): Promise<{ env: Record<string, string>; stdout: string; drop: () => Promise<void> }> {
  const template = inject('webDemo');
  if (kind === 'pglite') {
    const scratch = mkdtempSync(join(tmpdir(), 'confbill-web-'));
    const dataDir = join(scratch, 'data');
    cpSync(template.dataDir, dataDir, { recursive: true });
    return { env: { CONFBILL_DATA: dataDir, DATABASE_URL: '' }, stdout: template.stdout, drop: async () => rmSync(scratch, { recursive: true, force: true }) };
  }
  if (!template.postgres) throw new Error('The run has no PostgreSQL demo: set DATABASE_URL.');
  const { serverUrl, database: source, stdout } = template.postgres;
  const name = `confbill_web_${process.pid}_${Date.now()}_${copies++}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    // Two suites copying the template at once: PostgreSQL refuses the second while the first reads it.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${source}`);
        break;
      } catch (error) {
        if (attempt >= 40 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    stdout,
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

let copies = 0;

/**
 * `confbill serve` in a process of its own on a free port, on a copy of the run's demo database of
 * the kind: the web admin as a user gets it after the README's first command.
 */
export async function startWebAdminServer(kind: DatabaseKind): Promise<WebAdminServer> {
  const demo = await copyOfDemo(kind);
  const env = demo.env;
  const fullEnv = { ...env, CONFBILL_NOW: webTestNow, CONFBILL_USER: 'web-test' };
  const password = /sign in as admin with the password (\S+)/.exec(demo.stdout)?.[1];
  const adminKey = demo.stdout.trim().split('\n').at(-1)!;
  if (!password || !adminKey.startsWith('cbk_')) throw new Error(`The demo did not print the administrator:\n${demo.stdout}`);

  const child: ChildProcess = spawn(process.execPath, [bin, 'serve', '--port', '0', '--log-level', 'info'], { env: { ...process.env, ...fullEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`confbill serve did not start:\n${log}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      const match = /confbill serving on (http:\/\/[^\s)]+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`confbill serve exited with ${code}:\n${log}`)));
  });
  const cli = (args: string[], input?: string) => runCli(args, { env: fullEnv, ...(input === undefined ? {} : { input }) });
  return {
    kind,
    url,
    admin: { name: 'admin', password },
    adminKey,
    env: fullEnv,
    cli,
    async addUser(name, role) {
      const userPassword = `pw-${name}-0123456789`;
      const added = await runCli(['user', 'add', '--name', name, '--role', role], { env: { ...fullEnv, CONFBILL_PASSWORD: userPassword } });
      if (added.status !== 0) throw new Error(`user add failed: ${added.stderr}`);
      return userPassword;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await demo.drop();
    },
  };
}
