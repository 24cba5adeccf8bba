import { spawn } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';

const bin = fileURLToPath(new URL('../../bin/confbill.js', import.meta.url));

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  env: Record<string, string>;
  input?: string;
  now?: string;
  /** Exactly as the README types it: `npx confbill …` in a process of its own. */
  viaNpx?: boolean;
  /** A process of its own (`bin/confbill.js`): for what only a real process shows (signals, locks held by another pid, Node's own warnings). */
  ownProcess?: boolean;
}

/**
 * Runs `confbill` as a user would. By default in this process (the same `main` that
 * `bin/confbill.js` calls, with the given environment and captured streams): a process of its own
 * costs a second of start-up per command, which made the suites too slow for the README's budget.
 * `serve` (stopped by a signal) always gets a process of its own.
 */
export function runCli(args: string[], options: CliRunOptions): Promise<CliResult> {
  const env = { ...process.env, ...options.env, ...(options.now ? { CONFBILL_NOW: options.now } : {}) };
  if (options.viaNpx || options.ownProcess || args.includes('serve')) return runInOwnProcess(args, env, options);
  return runInThisProcess(args, env, options.input ?? '');
}

async function runInThisProcess(args: string[], env: NodeJS.ProcessEnv, input: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const collector = (append: (text: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const status = await main(args, {
    env,
    stdout: collector((t) => (stdout += t)),
    stderr: collector((t) => (stderr += t)),
    stdin: Readable.from([Buffer.from(input)]),
  });
  return { status, stdout, stderr };
}

function runInOwnProcess(args: string[], env: NodeJS.ProcessEnv, options: CliRunOptions): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const [command, commandArgs] = options.viaNpx ? ['npx', ['--no-install', 'confbill', ...args]] : [process.execPath, [bin, ...args]];
    const child = spawn(command, commandArgs, {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
