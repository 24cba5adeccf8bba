import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { freePort } from '../support/freePort.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/services/apiKeys.ts';
import { applyConfig } from '../../src/services/applyConfig.ts';
import { validateProviderConfig } from '../../src/services/providerConfig.ts';
import { callsToCsvLines, syntheticCalls, syntheticConfig } from '../../src/services/syntheticProvider.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { canRunPrivatePostgres, startPrivatePostgres, type PrivatePostgres } from './support/privatePostgres.ts';

const repoDir = fileURLToPath(new URL('../../', import.meta.url));
const confbill = join(repoDir, 'bin/confbill.js');

/** The CLI's exit status for a database that is not available (src/cli/exitCodes.ts: storage). */
const storageExitStatus = 7;

interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [confbill, ...args], { cwd: repoDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliRun>((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
  return { child, done };
}

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A clean failure: one sentence, no stack trace. */
function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at .+\(.*:\d+:\d+\)$/m);
  expect(stderr).not.toMatch(/unexpected error/);
}

describe.skipIf(!canRunPrivatePostgres)('PostgreSQL restarted or stopped under load (a private server)', () => {
  let server: PrivatePostgres;
  const work = mkdtempSync(join(tmpdir(), 'confbill-fault-restart-'));

  beforeAll(async () => {
    server = await startPrivatePostgres();
  });
  afterAll(async () => {
    await server?.remove();
    rmSync(work, { recursive: true, force: true });
  });

  it('a restart during `confbill ingest`: the command ends cleanly (done, or exit 7 in one sentence), nothing half-written, and a re-run gives the full totals', async () => {
    const url = await server.createDatabase('fault_ingest');
    const env = { ...process.env, DATABASE_URL: url };
    const legs = 30_000;
    const file = join(work, 'calls.csv');
    const config = syntheticConfig({ customers: 20, seed: 12, month: '2026-10' });
    const calls = [...syntheticCalls({ config, legs, seed: 12, month: '2026-10' })];
    const durations = calls.reduce((sum, c) => sum + c.durationSeconds, 0);
    const out = createWriteStream(file);
    out.end([...callsToCsvLines(calls)].join(''));
    await finished(out);
    const db = await openDatabase({ databaseUrl: url });
    await applyConfig(db, validateProviderConfig(config), 'test');
    await db.close();

    const first = runCli(['ingest', '--format', 'confbill-csv', file], env);
    // Restarted once the first batches are in: the command is mid-file.
    let stored = 0;
    while (stored === 0) {
      if (first.child.exitCode !== null) throw new Error(`the ingest ended before any batch was stored: ${(await first.done).stderr}`);
      await sleep(50);
      stored = (await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM calls'))[0]!.n;
    }
    await server.restart();
    const interrupted = await first.done;
    expect([0, storageExitStatus]).toContain(interrupted.status);
    expectNoStackTrace(interrupted.stderr);
    if (interrupted.status === storageExitStatus) expect(interrupted.stderr).toMatch(/^confbill: The PostgreSQL database "fault_ingest" on 127\.0\.0\.1:\d+ is not available .*Try again once the server is back\.\n$/);
    const [after] = await query<{ n: number; untidy: number }>(url, `SELECT count(*)::int AS n, count(*) FILTER (WHERE started_at IS NULL OR duration_seconds IS NULL)::int AS untidy FROM calls`);
    expect(after!.untidy).toBe(0);
    expect(after!.n).toBeLessThanOrEqual(legs);

    const rerun = await runCli(['ingest', '--format', 'confbill-csv', file], env).done;
    expect(rerun.stderr).toBe('');
    expect(rerun.status).toBe(0);
    const [totals] = await query<{ n: number; seconds: string; sources: number }>(url, 'SELECT count(*)::int AS n, sum(duration_seconds)::text AS seconds, count(DISTINCT source)::int AS sources FROM calls');
    expect(totals).toEqual({ n: legs, seconds: String(durations), sources: 1 });
    expect((await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM ingest_rejects'))[0]!.n).toBe(0);
  });

  it('a Pexip burst while the server stops for two seconds: every post answers 200 or 503 with Retry-After, /readyz says not ready meanwhile, and after the resends every event is stored once, without restarting confbill', async () => {
    const url = await server.createDatabase('fault_receiver');
    const db = await openDatabase({ databaseUrl: url });
    await applyConfig(db, validateProviderConfig({ sources: [{ id: 'pexip-1', format: 'pexip-events', timezone: 'UTC' }] }), 'test');
    const { secret } = await createApiKey(db, { name: 'pexip', role: 'ingest', actor: 'test' });
    await db.close();
    const port = await freePort();
    const serve = runCli(['serve', '--port', String(port), '--log-level', 'error', '--schedule-check', '3600'], { ...process.env, DATABASE_URL: url });
    const base = `http://127.0.0.1:${port}`;
    try {
      for (;;) {
        if (serve.child.exitCode !== null) throw new Error(`confbill serve ended: ${(await serve.done).stderr}`);
        const ready = await fetch(`${base}/readyz`).catch(() => undefined);
        if (ready?.ok) break;
        await sleep(100);
      }
      const events = 400;
      const statuses = new Map<number, number>();
      let answered200 = 0;
      let unavailableWithoutRetryAfter = 0;
      const post = async (n: number): Promise<void> => {
        const body = JSON.stringify({
          node: '10.0.0.1', seq: n, version: 2, time: 1790000100.5, event: 'participant_disconnected',
          data: { uuid: `leg-${n}`, conference: 'meet.acme', call_direction: 'in', protocol: 'SIP', service_type: 'conference', connect_time: 1790000000 + n, duration: 100 + n, destination_alias: 'meet.acme@vc.example', source_alias: 'bob@far.example' },
        });
        for (;;) {
          // A hang would fail here: no answer within 30 s is an error, as the sender sees it.
          const response = await fetch(`${base}/cdr/pexip/pexip-1`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, signal: AbortSignal.timeout(30_000) });
          await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status === 200) {
            answered200++;
            return;
          }
          if (response.status !== 503) throw new Error(`event ${n}: ${response.status}`);
          if (!response.headers.get('retry-after')) unavailableWithoutRetryAfter++;
          await sleep(200);
        }
      };
      let next = 0;
      const sender = async (): Promise<void> => {
        while (next < events) await post(next++);
      };
      const burst = Promise.all(Array.from({ length: 12 }, sender));
      while (answered200 < 100) await sleep(20);
      await server.stop();
      const down = await fetch(`${base}/readyz`);
      expect(down.status).toBe(503);
      await sleep(2000);
      await server.start();
      await burst;
      expect(unavailableWithoutRetryAfter).toBe(0);
      expect([...statuses.keys()].sort()).toEqual([200, 503]);
      expect(answered200).toBe(events);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      expect(serve.child.exitCode).toBeNull();
      const rows = await query<{ id: string }>(url, `SELECT external_id AS id FROM calls WHERE source = 'pexip-1'`);
      expect(rows.map((r) => r.id).sort()).toEqual(Array.from({ length: events }, (_, n) => `leg-${n}`).sort());
    } finally {
      serve.child.kill('SIGTERM');
      await serve.done;
    }
  });
});
