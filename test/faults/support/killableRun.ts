import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../bin/confbill.js', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

export interface KillableRunResult {
  /** True when SIGKILL ended the command; false when it ended by itself before the kill instant. */
  killed: boolean;
  /** The exit status when it ended by itself. */
  status: number | null;
  stdout: string;
  stderr: string;
  /** From the spawn to the end of the process. */
  ms: number;
}

/**
 * Runs `confbill ARGS` as a user does (`node bin/confbill.js`, a process of its own) and, when
 * `killAfterMs` is given, sends it SIGKILL that many milliseconds after the spawn, wherever it is:
 * starting, opening the database, in a transaction or between two.
 */
export function runKillable(args: readonly string[], options: { env: Record<string, string>; killAfterMs?: number }): Promise<KillableRunResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killSent = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = options.killAfterMs === undefined ? undefined : setTimeout(() => {
      killSent = child.kill('SIGKILL');
    }, options.killAfterMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: killSent && signal === 'SIGKILL', status: code, stdout, stderr, ms: performance.now() - started });
    });
  });
}
