import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from '../../support/testDatabases.ts';
import { runCli } from '../../support/runCli.ts';

const bin = fileURLToPath(new URL('../../../bin/confbill.js', import.meta.url));

/** The fixed clock of the browser suites: the demo's month is October 2026, "today" is 20 November 2026. */
export const webTestNow = '2026-11-20T10:00:00Z';

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

/**
 * `confbill demo` then `confbill serve` in a process of its own on a free port, on a new database of
 * the kind: the web admin as a user gets it after the README's first command.
 */
export async function startWebAdminServer(kind: DatabaseKind): Promise<WebAdminServer> {
  let testDb: TestDatabase;
  let env: Record<string, string>;
  let scratch: string | undefined;
  if (kind === 'pglite') {
    scratch = mkdtempSync(join(tmpdir(), 'confbill-web-'));
    env = { CONFBILL_DATA: join(scratch, 'data'), DATABASE_URL: '' };
    testDb = { kind, location: { dataDir: env.CONFBILL_DATA! }, env, open: () => Promise.reject(new Error('not used')), drop: async () => rmSync(scratch!, { recursive: true, force: true }) };
  } else {
    testDb = await createTestDatabase('postgres');
    env = testDb.env;
  }
  const fullEnv = { ...env, CONFBILL_NOW: webTestNow, CONFBILL_USER: 'web-test' };
  const demo = await runCli(['demo'], { env: fullEnv });
  if (demo.status !== 0) throw new Error(`confbill demo failed: ${demo.stderr}`);
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
      await testDb.drop();
    },
  };
}
