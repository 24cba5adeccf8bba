import { BillingError } from '../domain/billingError.ts';
import type { CliContext } from './cliContext.ts';

type Terminal = CliContext['stdin'] & { setRawMode?: (raw: boolean) => unknown; isRaw?: boolean };

/**
 * The password of a new user, from one of three places: standard input with `--password-stdin`
 * (scripts, secrets managers), CONFBILL_PASSWORD, or typed twice on a terminal without echo. It is
 * never an option's value, which every user of the machine could read in the process list. Without
 * any of them there is nobody to ask, and the command says how to give one.
 */
export async function newPassword(ctx: Pick<CliContext, 'stdin' | 'stderr' | 'password'>, options: { passwordStdin?: boolean; userName: string }): Promise<string> {
  if (options.passwordStdin) return withoutLineEnd(await allOf(ctx.stdin));
  if (ctx.password !== undefined) return ctx.password;
  const stdin = ctx.stdin as Terminal;
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') {
    throw new BillingError('invalid-argument', 'user add needs a password and there is no terminal to ask for it on: give it on standard input with --password-stdin, or in CONFBILL_PASSWORD.');
  }
  const first = await readHidden(stdin, ctx.stderr, `Password for ${options.userName} (at least 12 characters): `);
  const second = await readHidden(stdin, ctx.stderr, 'The same password again: ');
  if (first !== second) throw new BillingError('invalid-argument', 'The two passwords typed differ; no user was added. Run the command again.');
  return first;
}

async function allOf(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** `echo "$PW" | confbill user add …` ends the password with a line break that is not part of it. */
function withoutLineEnd(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/** One line typed on the terminal with echo off (raw mode): Enter ends it, Backspace and Ctrl-U edit, Ctrl-C or Ctrl-D cancel. */
function readHidden(stdin: Terminal, out: NodeJS.WritableStream, prompt: string): Promise<string> {
  out.write(prompt);
  const wasRaw = stdin.isRaw ?? false;
  stdin.setRawMode!(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed: string[] = [];
    const finish = (): void => {
      stdin.removeListener('data', onData);
      stdin.setRawMode!(wasRaw);
      stdin.pause();
      out.write('\n');
    };
    const onData = (chunk: string | Buffer): void => {
      for (const c of String(chunk)) {
        if (c === '\r' || c === '\n') {
          finish();
          resolve(typed.join(''));
          return;
        }
        if (c === '\u0003' || c === '\u0004') {
          finish();
          reject(new BillingError('invalid-argument', 'Cancelled; no user was added.'));
          return;
        }
        if (c === '\u007f' || c === '\b') typed = typed.slice(0, -1);
        else if (c === '\u0015') typed = [];
        // Other control characters (the start of an arrow key's sequence, say) are no part of a password.
        else if (c >= ' ') typed.push(c);
      }
    };
    stdin.on('data', onData);
  });
}
