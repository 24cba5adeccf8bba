/**
 * A process that takes data folders as confbill does, for the lock tests:
 *   node --import tsx test/support/holdDataDir.ts MODE HOLD_MS START_AT DIR [DIR...]
 * MODE `database` opens the embedded database (lock, PGlite, migrations), `lock` only takes the
 * folder's lock. The folders are taken in turn, one round each: round r begins at START_AT +
 * r × 1.5 s (ms since the epoch, fractions too, so that processes started together make their
 * attempts a set time apart). While another process holds the folder it tries again every 20-80 ms,
 * for up to a minute. Once it holds a folder it keeps it HOLD_MS and prints one JSON line
 * `{ dir, pid, start, end, refusals }` (start and end in ms since the epoch, taken while holding);
 * with HOLD_MS -1 it prints `{ dir, pid, held: true }` and holds until killed.
 */
import { isBillingError } from '../../src/domain/billingError.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { lockDataDir } from '../../src/storage/dataDirLock.ts';

const [mode, holdText, startAtText, ...dirs] = process.argv.slice(2);
const holdMs = Number(holdText);
const startAt = Number(startAtText);
if ((mode !== 'database' && mode !== 'lock') || !Number.isInteger(holdMs) || !Number.isFinite(startAt) || dirs.length === 0) {
  process.stderr.write('usage: holdDataDir.ts database|lock HOLD_MS START_AT DIR...\n');
  process.exit(2);
}
const roundGapMs = 1500;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function take(dataDir: string): Promise<() => Promise<void>> {
  if (mode === 'database') {
    const db = await openDatabase({ dataDir });
    await db.query('SELECT 1');
    return () => db.close();
  }
  const lock = await lockDataDir(dataDir);
  return async () => lock.release();
}

async function hold(dir: string, at: number): Promise<void> {
  await sleep(at - Date.now() - 5);
  while (performance.timeOrigin + performance.now() < at); // to a fraction of a millisecond
  let refusals = 0;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const release = await take(dir);
      const start = Date.now();
      if (holdMs < 0) {
        process.stdout.write(`${JSON.stringify({ dir, pid: process.pid, held: true })}\n`);
        setInterval(() => undefined, 60_000);
        return;
      }
      await sleep(holdMs);
      const end = Date.now();
      await release();
      process.stdout.write(`${JSON.stringify({ dir, pid: process.pid, start, end, refusals })}\n`);
      return;
    } catch (error) {
      if (!isBillingError(error) || !/is in use/.test(error.message) || Date.now() > deadline) throw error;
      refusals++;
      await sleep(20 + Math.random() * 60);
    }
  }
}

if (mode === 'database') await import('@electric-sql/pglite'); // loaded before the first round, as the lock module is
for (const [round, dir] of dirs.entries()) await hold(dir, startAt + round * roundGapMs);
