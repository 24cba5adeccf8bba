import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.ts';

/**
 * The embedded database belongs to one process at a time (issue 8 §4). These tests start real
 * processes at once against the same folder and check, from the intervals each one reports, that
 * no two ever held it together, whatever stale lock they found.
 */
const holder = fileURLToPath(new URL('../support/holdDataDir.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));

type Mode = 'database' | 'lock';

interface Hold {
  dir: string;
  pid: number;
  start: number;
  end: number;
  refusals: number;
}

const children: ChildProcess[] = [];
const folders: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'confbill-lock-'));
  folders.push(dir);
  return dir;
}

function start(mode: Mode, holdMs: number, startAt: number, dirs: string[]): { child: ChildProcess; output: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', holder, mode, String(holdMs), String(startAt), ...dirs], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const output = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, output };
}

/**
 * Starts one process per mode. Once all have loaded they take each folder of `dirs` in turn, one
 * round per folder, making their first attempts of a round 50 µs apart, so that they find the folder
 * while another is in the middle of taking it. Resolves with the intervals of
 * each round, in order.
 */
async function race(modes: Mode[], dirs: string[], holdMs: number): Promise<Hold[][]> {
  const startAt = Date.now() + 1000 + 400 * modes.length;
  const runs = await Promise.all(modes.map((mode, i) => start(mode, holdMs, startAt + i * 0.05, dirs).output));
  for (const run of runs) expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
  const holds = runs.flatMap((run) => run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Hold));
  return dirs.map((dir) => holds.filter((h) => h.dir === dir).sort((a, b) => a.start - b.start));
}

/** Every process held the folder once, and each began only after the one before had let go. */
function expectOneAtATime(holds: Hold[], count: number): void {
  expect(holds).toHaveLength(count);
  expect(new Set(holds.map((h) => h.pid)).size).toBe(count);
  const overlaps = holds.slice(1).filter((h, i) => h.start < holds[i]!.end);
  expect(overlaps).toEqual([]);
}

/** The pid of a process that has exited and been reaped: nothing runs under it now. */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await new Promise((resolve) => child.on('close', resolve));
  return child.pid!;
}

/** A live process that is not confbill, whose pid a stale lock may name after the pid was recycled. */
function otherProgram(): ChildProcess {
  const child = spawn('sleep', ['120'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

function lockFileOf(dataDir: string): string {
  return join(dataDir, 'confbill.lock');
}

const six: Mode[] = ['lock', 'lock', 'lock', 'lock', 'lock', 'lock'];

describe('the data-folder lock of the embedded database', () => {
  it('six processes started at once on a stale lock of a dead process hold the folder one at a time (eight rounds)', async () => {
    const dirs = Array.from({ length: 8 }, folder);
    const pid = await deadPid();
    for (const dir of dirs) writeFileSync(lockFileOf(dir), JSON.stringify({ pid, startTime: '1', host: hostname(), token: dir }));
    const rounds = await race(six, dirs, 50);
    for (const holds of rounds) expectOneAtATime(holds, 6);
    expect(rounds.flat().reduce((n, h) => n + h.refusals, 0)).toBeGreaterThan(0); // they did contend
    for (const dir of dirs) expect(readdirSync(dir)).toEqual([]); // no lock, claim or temporary file left behind
  });

  it('a stale lock whose pid now belongs to another live program does not lock the folder forever', async () => {
    const sleeper = otherProgram();
    const dirs = [folder(), folder()];
    // A confbill process that started long ago had this pid; `sleep` has it now.
    writeFileSync(lockFileOf(dirs[0]!), JSON.stringify({ pid: sleeper.pid, startTime: '1', host: hostname(), token: 'a' }));
    // The lock of an earlier confbill version held only the pid.
    writeFileSync(lockFileOf(dirs[1]!), String(sleeper.pid));
    for (const holds of await race(six, dirs, 50)) expectOneAtATime(holds, 6);
    expect(sleeper.exitCode).toBe(null); // the other program was left alone
  });

  it('after kill -9 of the process holding the database, six started at once take it one at a time, and the data is intact', { timeout: 240_000 }, async () => {
    const dataDir = folder();
    const first = await openDatabase({ dataDir });
    await first.exec('CREATE TABLE lock_probe (n int); INSERT INTO lock_probe VALUES (42);');
    await first.close();

    const killed = start('database', -1, 0, [dataDir]);
    await new Promise<void>((resolve) => killed.child.stdout!.on('data', (d: Buffer) => d.toString().includes('"held":true') && resolve()));
    killed.child.kill('SIGKILL');
    await killed.output;
    expect(existsSync(lockFileOf(dataDir))).toBe(true);
    expect(JSON.parse(readFileSync(lockFileOf(dataDir), 'utf8'))).toMatchObject({ pid: killed.child.pid }); // the stale lock it left

    // Two open the whole database (PGlite, migrations), four only take the lock: opening is slow.
    const [holds] = await race(['database', 'lock', 'lock', 'database', 'lock', 'lock'], [dataDir], 50);
    expectOneAtATime(holds!, 6);
    const db = await openDatabase({ dataDir });
    try {
      expect(await db.query('SELECT n FROM lock_probe')).toEqual([{ n: 42 }]);
    } finally {
      await db.close();
    }
  });

  it('a process that finds the folder held by a live confbill process is refused, naming it', async () => {
    const dataDir = folder();
    const live = start('lock', -1, 0, [dataDir]);
    await new Promise<void>((resolve) => live.child.stdout!.on('data', () => resolve()));
    await expect(openDatabase({ dataDir })).rejects.toThrow(new RegExp(`is in use by another confbill process \\(pid ${live.child.pid}\\)`));
    live.child.kill('SIGTERM');
    await live.output;
  });
});
