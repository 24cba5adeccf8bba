import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/confbill.js', import.meta.url));

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `confbill` command in its own process, as a user would (`viaNpx`: exactly as the README types it). */
export function runCli(args: string[], options: { env: Record<string, string>; input?: string; now?: string; viaNpx?: boolean }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const [command, commandArgs] = options.viaNpx ? ['npx', ['--no-install', 'confbill', ...args]] : [process.execPath, [bin, ...args]];
    const child = spawn(command, commandArgs, {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, ...options.env, ...(options.now ? { CONFBILL_NOW: options.now } : {}) },
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
