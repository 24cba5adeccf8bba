import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { Database } from '../services/openDatabase.ts';
import { cliEnvironment } from './cliEnvironment.ts';
import { terminalSafeJson, terminalSafeText } from './terminalSafeText.ts';

/** What every command gets from the edge: where the data is, the clock, and the output streams. */
export interface CliContext {
  databaseUrl?: string;
  dataDir: string;
  now: () => Date;
  /** Who is acting, for histories: CONFBILL_USER, else the login name. */
  user: string;
  /** CONFBILL_PASSWORD: the new user's password for `user add` in scripts. */
  password?: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** Where a command runs: its environment and its three streams (the process's, or a test's). */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: CliContext['stdout'];
  stderr: CliContext['stderr'];
  stdin: CliContext['stdin'];
}

export function processIo(): CliIo {
  return { env: process.env, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}

/**
 * Reads the environment once, checked (cliEnvironment.ts): DATABASE_URL, CONFBILL_DATA (default
 * ./confbill-data), CONFBILL_NOW (tests, demos of the past), CONFBILL_USER and CONFBILL_PASSWORD. A bad value throws.
 */
export function contextFromEnvironment(io: CliIo, dataOption?: string): CliContext {
  const checked = cliEnvironment(io.env);
  const fixedNow = checked.now;
  return {
    databaseUrl: checked.databaseUrl,
    dataDir: resolve(dataOption ?? checked.dataDir ?? './confbill-data'),
    now: () => (fixedNow ? new Date(fixedNow) : new Date()),
    user: checked.user ?? userInfo().username,
    password: checked.password,
    stdout: io.stdout,
    stderr: io.stderr,
    stdin: io.stdin,
  };
}

export async function withDatabase<T>(ctx: CliContext, work: (db: Database) => Promise<T>): Promise<T> {
  // Imported here, not above: `--help` and a mistyped command start without the database drivers.
  const { openDatabase } = await import('../services/openDatabase.ts');
  const db = await openDatabase({ databaseUrl: ctx.databaseUrl, dataDir: ctx.dataDir });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(`${terminalSafeJson(value)}\n`);
}

/**
 * Prints a line of text mode. Whatever it holds, no character reaches the terminal that the terminal
 * would act on (ESC, C1, bidi overrides); values that must stay on one line are passed through
 * `terminalSafeText` by the caller as well.
 */
export function println(ctx: CliContext, text = ''): void {
  ctx.stdout.write(`${terminalSafeText(text, { lineBreaks: true })}\n`);
}
