import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socketFileName } from '../../src/storage/localDatabaseSocket.ts';
import { callsCsv } from '../support/billingFixtures.ts';
import { runCli, type CliResult } from '../support/runCli.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabases.ts';

const bin = fileURLToPath(new URL('../../bin/confbill.js', import.meta.url));
const now = '2026-11-27T12:00:00Z';

const config = `
settings: { timezone: UTC, settlementDelayMinutes: 60 }
customers:
  - { id: lc, name: Lifecycle Ltd, matching: [{ kind: domain, value: lc.example }] }
`;

/** `count` calls of lc in October 2026, ids `prefix1`…; long enough a file that its ingest takes a while. */
function octoberCalls(prefix: string, count: number): string {
  const rows: [string, string, number, string, string, string][] = [];
  for (let i = 1; i <= count; i++) {
    const at = new Date(Date.UTC(2026, 9, 1 + (i % 30), 8, 0, i % 3600)).toISOString().replace('.000', '');
    rows.push([`${prefix}${i}`, at, 60 + (i % 600), i % 2 ? 'video' : 'audio', i % 3 ? 'outbound' : 'inbound', `room${i % 50}@lc.example`]);
  }
  return callsCsv('mcu', rows);
}

/** Invoice ids are random and an invoice's creation time is the clock's: left out of the comparison. */
function sameIds(result: CliResult): CliResult {
  const stdout = result.stdout.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'ID').replace(/"createdAt": "[^"]*"/g, '"createdAt": "…"');
  return { ...result, stdout };
}

interface Served {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

/** `confbill serve` in a process of its own, resolved once it says where it listens. */
function serve(env: Record<string, string>): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--schedule-check', '3600'], { env: { ...process.env, ...env, CONFBILL_NOW: now }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /serving on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ child, url, exited });
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    void exited.then((code) => reject(new Error(`confbill serve exited with ${code}: ${out}`)));
  });
}

describe('the CLI while confbill serve holds the embedded data folder', () => {
  let files: string;
  let served: TestDatabase;
  let alone: TestDatabase;
  let server: Served | undefined;
  const cli = (db: TestDatabase, ...args: string[]): Promise<CliResult> => runCli(args, { env: { ...db.env, CONFBILL_USER: 'operator' }, now });

  beforeAll(async () => {
    files = mkdtempSync(join(tmpdir(), 'confbill-beside-'));
    writeFileSync(join(files, 'provider.yaml'), config);
    writeFileSync(join(files, 'october.csv'), octoberCalls('oct', 2000));
    writeFileSync(join(files, 'late.csv'), octoberCalls('late', 2000));
    [served, alone] = await Promise.all([createTestDatabase('pglite'), createTestDatabase('pglite')]);
    server = await serve(served.env);
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGTERM');
    await server?.exited;
    await Promise.all([served?.drop(), alone?.drop()]);
    rmSync(files, { recursive: true, force: true });
  });

  it('apply, plan copy and list, assignment, ingest, invoice generate and list give what they give without a server; /healthz answers during the ingest', async () => {
    const steps = [
      ['apply', join(files, 'provider.yaml')],
      ['plan', 'copy', 'pay-as-you-go', 'lc-plan', '--name', 'LC plan', '--json'],
      ['assignment', 'add', '--customer', 'lc', '--plan', 'lc-plan', '--from', '2026-10-01'],
      ['ingest', join(files, 'october.csv'), '--format', 'confbill-csv'],
      ['plan', 'list', '--json'],
      ['invoice', 'generate', '--customer', 'lc', '--from', '2026-10-01', '--to', '2026-11-01', '--json'],
      ['invoice', 'list', '--json'],
    ];
    for (const args of steps) {
      const expected = await cli(alone, ...args);
      expect(expected.status, `${args.join(' ')}: ${expected.stderr}`).toBe(0);
      let healthAnswers = 0;
      const running = cli(served, ...args);
      if (args[0] === 'ingest') {
        let done = false;
        void running.finally(() => (done = true));
        while (!done) {
          const health = await fetch(`${server!.url}/healthz`);
          expect(health.status).toBe(200);
          if (!done) healthAnswers++;
          await sleep(20);
        }
        expect(healthAnswers).toBeGreaterThan(0);
      }
      const got = await running;
      expect(sameIds(got), args.join(' ')).toEqual(sameIds(expected));
    }
    const invoices = JSON.parse((await cli(served, 'invoice', 'list', '--json')).stdout) as { customerId: string; total: string }[];
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ customerId: 'lc' });
  });

  it('a server stopped while a command ingests lets it end its transaction, and the folder opens again with nothing corrupted', async () => {
    const before = await cli(served, 'invoice', 'list', '--json');
    const ingest = cli(served, 'ingest', join(files, 'late.csv'), '--format', 'confbill-csv');
    await sleep(300);
    server!.child.kill('SIGTERM');
    expect(await server!.exited).toBe(0);
    const cut = await ingest;
    // Finished before the stop, or cut off with one sentence; never a stack trace.
    if (cut.status !== 0) expect(cut.stderr).toMatch(/^confbill: The confbill server \(pid \d+\) that shares the embedded database in .* closed the connection while this command ran; what the command had not committed is not kept\. Run the command again\.\n$/);
    expect(existsSync(join(served.location.dataDir!, socketFileName))).toBe(false);
    const verify = await cli(served, 'verify');
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
    expect(await cli(served, 'invoice', 'list', '--json')).toEqual(before);
    const again = await cli(served, 'ingest', join(files, 'late.csv'), '--format', 'confbill-csv');
    expect(again.status, again.stderr).toBe(0);
  });
});
