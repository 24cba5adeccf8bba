import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, databaseKinds } from '../support/testDatabases.ts';

const bin = fileURLToPath(new URL('../../bin/confbill.js', import.meta.url));
const now = '2026-11-27T12:34:00Z';

interface Served {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `confbill serve` on a free port and resolves once it says where it listens. */
function serve(env: Record<string, string>): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--schedule-check', '1'], { env: { ...process.env, ...env, CONFBILL_NOW: now }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /serving on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ child, url, output: () => out });
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`confbill serve exited with ${code}: ${out}`)));
  });
}

async function stop(served: Served): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => served.child.once('exit', (code) => resolve(code)));
  served.child.kill('SIGTERM');
  return exited;
}

describe.each(databaseKinds)('confbill serve on %s', (kind) => {
  it('answers /healthz and runs the hourly rating; several processes on one database rate once per hour', async () => {
    const db = await createTestDatabase(kind);
    // The embedded database belongs to one process; a server database is shared by three.
    const processes = kind === 'postgres' ? 3 : 1;
    const servers: Served[] = [];
    try {
      for (let i = 0; i < processes; i++) servers.push(await serve(db.env));
      for (const s of servers) {
        const health = await fetch(`${s.url}/healthz`);
        expect(health.status).toBe(200);
        expect(await health.json()).toEqual({ status: 'ok' });
      }
      // Every process checks each second for 3 s; the clock is fixed, so the 12:00 hour is due once.
      await new Promise((r) => setTimeout(r, 3000));
      const runs = servers.map((s) => s.output().match(/scheduled rating by/g)?.length ?? 0);
      expect(runs.reduce((a, b) => a + b, 0)).toBe(1);
      expect(servers.map((s) => s.output()).join('')).toContain('next at 2026-11-27T13:00:00.000Z');
    } finally {
      const codes = await Promise.all(servers.map(stop));
      await db.drop();
      expect(codes.every((c) => c === 0)).toBe(true);
    }
  });
});
