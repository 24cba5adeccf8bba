import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { openDatabase, type Database } from '../storage/database.ts';
import { terminalSafeJson, terminalSafeText } from './terminalSafeText.ts';

/** What every command gets from the edge: where the data is, the clock, and the output streams. */
export interface CliContext {
  databaseUrl?: string;
  dataDir: string;
  now: () => Date;
  /** Who is acting, for histories: CONFBILL_USER, else the login name. */
  user: string;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** Reads the environment once: DATABASE_URL, CONFBILL_DATA (default ./confbill-data) and CONFBILL_NOW (tests, demos of the past) and CONFBILL_USER. */
export function contextFromEnvironment(env: NodeJS.ProcessEnv, dataOption?: string): CliContext {
  const fixedNow = env.CONFBILL_NOW ? new Date(env.CONFBILL_NOW) : undefined;
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(dataOption ?? env.CONFBILL_DATA ?? './confbill-data'),
    now: () => fixedNow ?? new Date(),
    user: env.CONFBILL_USER || userInfo().username,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
  };
}

export async function withDatabase<T>(ctx: CliContext, work: (db: Database) => Promise<T>): Promise<T> {
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
