import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { webAdminBuildDir } from '../api/webAdmin.ts';

const webWorkspace = fileURLToPath(new URL('../../web/', import.meta.url));

/**
 * The web admin's build, made when this copy of confbill has none (`npm ci` builds it through the
 * `prepare` script; a copy installed without it, or whose build was removed, gets it here, in a few
 * seconds) so that no user runs a build step. A failed build leaves the API serving, with a page at
 * `/` that says how to build the web admin; it answers why in `reason`.
 */
export async function ensureWebAdminBuilt(): Promise<{ built: 'already' | 'now' | 'failed'; reason?: string }> {
  if (existsSync(`${webAdminBuildDir}/index.html`)) return { built: 'already' };
  let viteBin: string;
  try {
    viteBin = createRequire(`${webWorkspace}package.json`).resolve('vite/bin/vite.js');
  } catch {
    return { built: 'failed', reason: 'vite is not installed (run npm ci in the confbill folder)' };
  }
  const output: Buffer[] = [];
  const code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [viteBin, 'build', '--logLevel', 'warn'], { cwd: webWorkspace, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', () => resolve(-1));
    child.on('close', (status) => resolve(status ?? -1));
  });
  if (code === 0 && existsSync(`${webAdminBuildDir}/index.html`)) return { built: 'now' };
  return { built: 'failed', reason: Buffer.concat(output).toString('utf8').trim().split('\n').slice(-3).join(' ') || `vite build exited with ${code}` };
}
