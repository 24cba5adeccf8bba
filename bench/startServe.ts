// `confbill serve` in a child process on a free loopback port, for the load benchmarks (the load
// itself comes from another process): started, waited for until /readyz answers, stopped.

import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/support/freePort.ts';

const repoDir = dirname(dirname(fileURLToPath(import.meta.url)));

export interface RunningServe {
  url: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

/** `nodeArgs` go to Node (e.g. --cpu-prof), `args` before `serve` (e.g. --data DIR). */
export async function startServe(options: { env: NodeJS.ProcessEnv; args?: readonly string[]; nodeArgs?: readonly string[] }): Promise<RunningServe> {
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), join(repoDir, 'bin/confbill.js'), ...(options.args ?? []), 'serve', '--port', String(port), '--host', '127.0.0.1', '--log-level', 'error'], {
    cwd: repoDir,
    env: options.env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`confbill serve ended with ${child.exitCode} before it answered`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error('confbill serve did not answer /readyz within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
