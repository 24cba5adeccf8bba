import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/storage/database.ts';
import { runCli } from '../../support/runCli.ts';
import { createTestDatabase, databaseKinds, type DatabaseKind, type TestDatabase } from '../../support/testDatabases.ts';
import { booksSnapshot, comparable, type BooksSnapshot } from './booksSnapshot.ts';
import { copyOfDatabase, settleAfterKill } from './crashDatabase.ts';
import { crashMonth, writeCrashInput, type CrashInput } from './crashInput.ts';
import { crashSeed, killPointRandom, killsPerSuite } from './crashSeed.ts';
import { runKillable } from './killableRun.ts';

/** One command the fault suites kill: how its starting state is made, and its arguments. */
export interface KilledCommand {
  /** For names and messages: `ingest`, `rate`, `invoice generate`. */
  name: string;
  /** Brings a database with the configuration applied to the state the command starts from. */
  prepare(db: TestDatabase, input: CrashInput): Promise<void>;
  args(input: CrashInput): string[];
  /**
   * The month it works on: large enough that the command runs a few seconds and commits several
   * times in between, small enough for 20 kills of each command on each database within CI's budget.
   */
  size: { customers: number; legs: number; files: number };
}


const env = (db: TestDatabase): Record<string, string> => ({ ...db.env, CONFBILL_NOW: crashMonth.now });

async function cli(db: TestDatabase, args: string[]): Promise<void> {
  const result = await runCli(args, { env: db.env, now: crashMonth.now });
  expect({ args, status: result.status, stderr: result.stderr }).toEqual({ args, status: 0, stderr: '' });
}

/** `confbill apply` of the input's configuration: every suite's first step. */
export async function applyConfiguration(db: TestDatabase, input: CrashInput): Promise<void> {
  await cli(db, ['apply', input.configPath]);
}

/** `confbill ingest` of the whole input, run to its end in this process. */
export async function ingestAll(db: TestDatabase, input: CrashInput): Promise<void> {
  const result = await runCli(['ingest', '--format', 'confbill-csv', ...input.csvPaths], { env: db.env, now: crashMonth.now });
  expect(result.status).toBe(0);
}

async function snapshotOf(db: TestDatabase): Promise<BooksSnapshot> {
  let open: Database;
  try {
    open = await db.open();
  } catch (error) {
    throw new Error(`The database does not open again after the kill: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return await booksSnapshot(open);
  } finally {
    await open.close();
  }
}

/** Calls stored with other values than the reference's, or not in it at all. */
function callsOutside(state: BooksSnapshot, reference: BooksSnapshot): string[] {
  const wrong: string[] = [];
  for (const [key, value] of state.callRows) if (reference.callRows.get(key) !== value) wrong.push(`${key}: ${value} (uninterrupted: ${reference.callRows.get(key) ?? 'absent'})`);
  return wrong;
}

/** Elements of `part` that `whole` does not hold as often (a reject stored twice, say). */
function notWithin(part: readonly string[], whole: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const w of whole) left.set(w, (left.get(w) ?? 0) + 1);
  const extra: string[] = [];
  for (const p of part) {
    const n = left.get(p) ?? 0;
    if (n === 0) extra.push(p);
    else left.set(p, n - 1);
  }
  return extra;
}

/**
 * What must hold right after a kill, before any re-run: the database opens (no lock to remove by
 * hand); `confbill verify` finds nothing wrong; nothing is doubled (call keys, item keys, rejects);
 * every call stored is one the uninterrupted run stores, with the same values, and none that was
 * there before is gone; and each customer's billing data and invoices are whole: as before the
 * command or as after the uninterrupted run, never a part of a transaction. Returns how many
 * customers were already done, to show where the kill fell.
 */
function expectConsistentAfterKill(state: BooksSnapshot, before: BooksSnapshot, reference: BooksSnapshot, where: string): { customersDone: number; calls: number } {
  expect(state.failedChecks, `confbill verify ${where}`).toEqual([]);
  expect(state.duplicateItemKeys, `items with the same key ${where}`).toBe(0);
  expect(callsOutside(state, reference).slice(0, 5), `calls unlike the uninterrupted run's ${where}`).toEqual([]);
  expect([...before.callRows.keys()].filter((k) => !state.callRows.has(k)).slice(0, 5), `calls lost ${where}`).toEqual([]);
  expect(notWithin(state.rejects, reference.rejects), `rejects the uninterrupted run does not store (or stores fewer times) ${where}`).toEqual([]);
  let customersDone = 0;
  const halfDone: string[] = [];
  for (const [id, books] of Object.entries(state.customers)) {
    const after = JSON.stringify(reference.customers[id]);
    const now = JSON.stringify(books);
    if (now === after) customersDone++;
    else if (now !== JSON.stringify(before.customers[id])) halfDone.push(`${id}: ${now}\n  before: ${JSON.stringify(before.customers[id])}\n  uninterrupted: ${after}`);
  }
  expect(halfDone.slice(0, 3), `customers whose billing data is neither as before nor as after the command ${where}`).toEqual([]);
  return { customersDone, calls: state.calls };
}

function isAsUninterrupted(state: BooksSnapshot, reference: BooksSnapshot): boolean {
  return JSON.stringify(comparable(state)) === JSON.stringify(comparable(reference)) && callsOutside(state, reference).length === 0;
}

function expectAsUninterrupted(state: BooksSnapshot, reference: BooksSnapshot, where: string): void {
  expect(comparable(state), `the books ${where}`).toEqual(comparable(reference));
  expect(callsOutside(state, reference).slice(0, 5), `calls unlike the uninterrupted run's ${where}`).toEqual([]);
}

/**
 * kill -9 of one command at random instants, on one database kind (docs/crash-safety.md). The
 * uninterrupted run, on a copy of the prepared database, gives the reference books and the duration D.
 * Then, on another copy, the command is started again and again, each run killed at an instant drawn
 * from [0, D], each kill followed by the checks of expectConsistentAfterKill, until a run ends by
 * itself (a re-run that had less left to do than its kill instant) or enough kills have landed (the
 * last run then goes to its end unkilled). The books must then be those of the uninterrupted run and
 * `confbill verify` must pass; if kills are still owed, it starts over from a new copy. A copy's
 * first run that ends by itself did the whole work: its time becomes D.
 */
export function describeKilledCommand(command: KilledCommand, kind: DatabaseKind): void {
  describe.runIf(databaseKinds.includes(kind))(`kill -9 of confbill ${command.name} on ${kind}`, () => {
    let dir: string;
    let input: CrashInput;
    let prepared: TestDatabase | undefined;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'confbill-crash-input-'));
      input = writeCrashInput(dir, command.size);
      prepared = await createTestDatabase(kind);
      await applyConfiguration(prepared, input);
      await command.prepare(prepared, input);
    });
    afterAll(async () => {
      await prepared?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it(`loses and doubles nothing, and a re-run gives the uninterrupted run's books`, async () => {
      const seed = crashSeed();
      const random = killPointRandom(seed, `${command.name}/${kind}`);
      const wanted = killsPerSuite();
      const args = command.args(input);
      const started = performance.now();
      const before = await snapshotOf(prepared!);

      const reference = await copyOfDatabase(prepared!);
      let uninterrupted: BooksSnapshot;
      let duration: number;
      try {
        const run = await runKillable(args, { env: env(reference) });
        expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
        duration = run.ms;
        uninterrupted = await snapshotOf(reference);
      } finally {
        await reference.drop();
      }
      expect(uninterrupted.failedChecks).toEqual([]);
      expect(JSON.stringify(uninterrupted.customers), 'the command changes the books').not.toBe(JSON.stringify(before.customers));
      console.log(`confbill ${command.name} on ${kind}: uninterrupted run ${Math.round(duration)} ms; kill points from seed ${seed} (CONFBILL_CRASH_SEED=${seed} draws them again)`);

      const kills: string[] = [];
      let copies = 0;
      while (kills.length < wanted) {
        const db = await copyOfDatabase(prepared!);
        copies++;
        try {
          // A kill after the run's last commit leaves the finished books: the next run is the re-run to the end.
          let finished = false;
          for (let run = 1; ; run++) {
            const killAfterMs = kills.length < wanted && !finished ? Math.round(random() * duration) : undefined;
            const where = `(copy ${copies}, run ${run}${killAfterMs === undefined ? ', not killed' : `, killed at ${killAfterMs} ms of ${Math.round(duration)}`}; CONFBILL_CRASH_SEED=${seed})`;
            const result = await runKillable(args, { env: env(db), killAfterMs });
            if (!result.killed) {
              expect({ status: result.status, stderr: result.stderr }, `the run that ended by itself ${where}`).toEqual({ status: 0, stderr: '' });
              // The first run of a copy did all the work: its time is D as the machine runs now (a
              // D measured under more load would put many kill instants after the end of the run).
              if (run === 1) duration = result.ms;
              break;
            }
            await settleAfterKill(db);
            const state = await snapshotOf(db);
            const done = expectConsistentAfterKill(state, before, uninterrupted, `after the kill ${where}`);
            finished = isAsUninterrupted(state, uninterrupted);
            kills.push(`${killAfterMs} ms: ${finished ? 'after the last commit' : `${done.customersDone}/${Object.keys(state.customers).length} customers done, ${done.calls}/${uninterrupted.calls} calls`}`);
            console.log(`confbill ${command.name} on ${kind}: kill ${kills.length} (copy ${copies}, run ${run}) at ${kills.at(-1)}`);
          }
          // The snapshot runs verify's checks on every copy; the last copy gets the command itself as well.
          const recovered = await snapshotOf(db);
          expectAsUninterrupted(recovered, uninterrupted, `after the re-run (copy ${copies}; CONFBILL_CRASH_SEED=${seed})`);
          if (kills.length >= wanted) {
            const verify = await runCli(['verify'], { env: db.env });
            expect({ status: verify.status, stderr: verify.stderr }, `confbill verify (copy ${copies})`).toEqual({ status: 0, stderr: '' });
          }
        } finally {
          await db.drop();
        }
      }
      console.log(`confbill ${command.name} on ${kind}: ${kills.length} kills over ${copies} copies in ${Math.round((performance.now() - started) / 1000)} s, each followed by the checks; the re-runs gave the uninterrupted run's books`);
    });
  });
}
