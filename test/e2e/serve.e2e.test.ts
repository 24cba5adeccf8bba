import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listenNotice } from '../../src/cli/listenNotice.ts';
import { runCli } from '../support/runCli.ts';
import { createTestDatabase, databaseKinds } from '../support/testDatabases.ts';

const bin = fileURLToPath(new URL('../../bin/confbill.js', import.meta.url));
const now = '2026-11-27T12:34:00Z';

interface Served {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `confbill serve` on a free port and resolves once it says where it listens. */
function serve(env: Record<string, string>, args: string[] = []): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--schedule-check', '1', ...args], { env: { ...process.env, ...env, CONFBILL_NOW: now }, stdio: ['ignore', 'pipe', 'pipe'] });
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

describe.each(databaseKinds)('stopping confbill serve on %s', (kind) => {
  it('SIGTERM while an upload is arriving: the upload is stored and answered, new connections are refused, then it exits 0', async () => {
    const db = await createTestDatabase(kind);
    let served: Served | undefined;
    try {
      const created = await runCli(['apikey', 'create', '--name', 'uploader', '--role', 'ingest'], { env: db.env, now });
      expect(created.status).toBe(0);
      const key = created.stdout.trim().split('\n').at(-1)!;
      served = await serve(db.env);
      const rows = Array.from({ length: 200 }, (_, i) => `s1,leg-${i},,2026-10-0${1 + (i % 9)}T10:00:00Z,60,video,inbound,sip,meet.x,,`);
      const head = 'source,externalId,conferenceId,startedAt,durationSeconds,category,direction,protocol,localAlias,remoteAlias,tenant\n';
      let releaseRest!: () => void;
      const restMayCome = new Promise<void>((resolve) => (releaseRest = resolve));
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode(head + rows.slice(0, 100).join('\n') + '\n'));
          await restMayCome;
          controller.enqueue(new TextEncoder().encode(rows.slice(100).join('\n') + '\n'));
          controller.close();
        },
      });
      const upload = fetch(`${served.url}/api/v1/calls/uploads?format=confbill-csv&name=late.csv`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }, body, duplex: 'half' } as RequestInit);
      // The request is in flight (its first half sent) when the stop comes.
      await new Promise((r) => setTimeout(r, 1500));
      const exited = new Promise<number | null>((resolve) => served!.child.once('exit', (code) => resolve(code)));
      served.child.kill('SIGTERM');
      await expect.poll(() => served!.output(), { timeout: 10_000 }).toContain('stopping: finishing the requests in flight');
      const refused = await fetch(`${served.url}/healthz`).then((r) => r.status, () => 'refused');
      expect([503, 'refused']).toContain(refused);
      releaseRest();
      const answer = await upload;
      expect(answer.status).toBe(200);
      // An answer given while stopping closes its connection: a keep-alive one would hold the stop until its idle timeout.
      expect(answer.headers.get('connection')).toBe('close');
      expect(await answer.json()).toMatchObject({ outcome: 'read', summary: { read: 200, new: 200, rejected: 0 } });
      expect(await exited).toBe(0);
      served = undefined;
      const calls = await runCli(['report', 'untracked', '--json'], { env: db.env, now });
      expect((JSON.parse(calls.stdout) as unknown[]).length).toBe(200);
    } finally {
      if (served) await stop(served);
      await db.drop();
    }
  });
});

describe('where confbill serve listens', () => {
  it('listens on the loopback interface unless --host is given, and says so and how to change it', async () => {
    const db = await createTestDatabase('pglite');
    let served: Served | undefined;
    try {
      served = await serve(db.env, ['--max-connections', '8']);
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await expect.poll(() => served!.output(), { timeout: 10_000 }).toContain('loopback interface only');
      expect(served.output()).toContain('--host 0.0.0.0');
      expect(served.output()).not.toMatch(/warning/i);
    } finally {
      if (served) expect(await stop(served)).toBe(0);
      await db.drop();
    }
  });

  it('refuses a connection cap that is not a whole number above 0', async () => {
    const refused = await runCli(['serve', '--port', '0', '--max-connections', '0'], { env: { DATABASE_URL: '', CONFBILL_DATA: join(tmpdir(), `confbill-never-created-${process.pid}`) } });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe('confbill: --max-connections "0" must be a whole number of connections from 1 to 100000.\n');
  });

  it('warns for any host other than loopback that credentials cross it over plain HTTP', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', 'localhost']) expect(listenNotice(host), host).toMatchObject({ loopback: true });
    for (const host of ['0.0.0.0', '::', '192.0.2.10', '2001:db8::1', 'billing.example']) {
      const notice = listenNotice(host);
      expect(notice, host).toMatchObject({ loopback: false });
      expect(notice.text).toContain(`listening on ${host}`);
      expect(notice.text).toContain('over plain HTTP');
    }
    expect(listenNotice('127.0.0.1').text).toBe('Listening on the loopback interface only: other machines cannot connect. To receive records from them, give --host 0.0.0.0 (every interface) or the address of one.');
  });
});
