import { createHash, randomUUID } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BillingError } from '../domain/billingError.ts';

/** The lock of a data folder held by this process; `release` lets the next process have it. */
export interface DataDirLock {
  release(): void;
  /**
   * Says in the lock that this process shares its database through the local socket in `socketDir`
   * (`confbill serve`), so that the commands that find the folder held connect there instead.
   */
  share(socketDir: string): void;
}

/** The folder is this process's now, or it is held by a live process that shares it through a socket. */
export type DataDirAccess = { lock: DataDirLock } | { sharedBy: { pid: number; socketDir: string } };

/**
 * Who holds a lock file. `startTime` (from /proc, clock ticks since boot) tells a live owner from a
 * process that got its pid after it died. The file also holds a random token, which makes every lock
 * file's text unique, so a stale lock is never confused with a newer one of the same process.
 */
interface LockOwner {
  pid: number;
  startTime: string | null;
  host: string;
  /** The folder of the local socket through which the owner shares the database (`confbill serve`). */
  socketDir: string | null;
}

export const lockFileName = 'confbill.lock';

/**
 * PGlite is one process's database: a second process on the same folder would corrupt it. The lock
 * file is created whole in one step (a complete temporary file hard-linked to its name: the link
 * fails if the name exists), so there is never an empty or half-written lock to misread. A lock whose
 * owner is gone (killed, crashed, or its pid now belongs to another program) is taken over; of the
 * processes that find the same stale lock, exactly one may replace it: the one that first creates its
 * takeover claim, a lock file named after the stale lock's text, taken the same way (a claim left by a
 * process killed mid-takeover is itself stale and taken over in turn).
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const access = await lockOrJoinDataDir(dataDir);
  if ('lock' in access) return access.lock;
  throw inUse(dataDir, { pid: access.sharedBy.pid, startTime: null, host: hostname(), socketDir: access.sharedBy.socketDir });
}

/**
 * Takes the folder as lockDataDir does; but when its live owner on this machine shares the database
 * through a local socket (`confbill serve`), says where instead of refusing.
 */
export async function lockOrJoinDataDir(dataDir: string): Promise<DataDirAccess> {
  const lockFile = join(dataDir, lockFileName);
  const fields = { pid: process.pid, startTime: processStartTime(process.pid), host: hostname(), token: randomUUID() };
  let text = `${JSON.stringify(fields)}\n`;
  const outcome = await acquire(lockFile, text, 0);
  if (outcome !== 'held') {
    if (outcome.socketDir !== null && outcome.host === hostname()) return { sharedBy: { pid: outcome.pid, socketDir: outcome.socketDir } };
    throw inUse(dataDir, outcome);
  }
  const release = (): void => {
    heldLocks.delete(release);
    if (readText(lockFile) === text) rmSync(lockFile, { force: true });
  };
  heldLocks.add(release);
  if (!process.listeners('exit').includes(releaseHeldLocks)) process.on('exit', releaseHeldLocks);
  const share = (socketDir: string): void => {
    const shared = `${JSON.stringify({ ...fields, socketDir })}\n`;
    // Whole in one rename, as every lock text: a reader sees the old text or the new one.
    if (readText(lockFile) === text) replaceWhole(lockFile, shared);
    text = shared;
  };
  return { lock: { release, share } };
}

function inUse(dataDir: string, owner: LockOwner): BillingError {
  const lockFile = join(dataDir, lockFileName);
  const here = owner.host === hostname();
  const who = here && owner.pid === process.pid ? 'is already open in this process' : `is in use by another confbill process (pid ${owner.pid}${here ? '' : ` on ${owner.host}`})`;
  // A process of another host cannot be checked from here: if it is gone, a person says so.
  const remote = here ? '' : ` If that process no longer runs, delete ${lockFile}.`;
  return new BillingError('storage', `The embedded database in ${dataDir} ${who}. Wait for it to finish, or use a PostgreSQL server (DATABASE_URL) for several processes at once.${remote}`);
}

// A process that ends without closing (an error, process.exit) frees its folders at once; one that
// is killed leaves a stale lock, which the next process takes over.
const heldLocks = new Set<() => void>();
function releaseHeldLocks(): void {
  for (const release of heldLocks) release();
}

type Outcome = 'held' | LockOwner;

/** Takes `path` for this process (its lock text `text`), or returns the live owner that holds it. */
async function acquire(path: string, text: string, depth: number): Promise<Outcome> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (createWhole(path, text)) return 'held';
    const found = await settledText(path);
    if (found === null) continue; // released meanwhile: try again
    const owner = parseOwner(found);
    if (owner && isLive(owner)) return owner;
    if (depth >= 8) break;
    const claim = `${path}.takeover-${createHash('sha256').update(found).digest('hex').slice(0, 16)}`;
    const claimed = await acquire(claim, text, depth + 1);
    if (claimed === 'held') {
      try {
        // Only the claim's holder replaces this stale text, so it cannot change between the check
        // and the rename: the rename replaces exactly the lock that was judged stale.
        if (readText(path) === found) {
          replaceWhole(path, text);
          return 'held';
        }
      } finally {
        rmSync(claim, { force: true });
      }
      continue;
    }
    // A live process is taking this stale lock over: wait to see it done, then meet its lock.
    await sleep(10 + Math.random() * 20);
  }
  throw new BillingError('storage', `Cannot lock ${path}: it keeps changing. Check that nothing but confbill writes there.`);
}

/** Creates `path` holding `text`, complete from its first instant; false if it exists. */
function createWhole(path: string, text: string): boolean {
  const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') return createExclusive(path, text);
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** For file systems without hard links: O_EXCL, the text written just after (see settledText). */
function createExclusive(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

function replaceWhole(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600, flag: 'wx' });
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The lock's text; an empty file may be one created with O_EXCL a moment ago, so it gets a second. */
async function settledText(path: string): Promise<string | null> {
  let text = readText(path);
  for (let waited = 0; text === '' && waited < 1000; waited += 50) {
    await sleep(50);
    text = readText(path);
  }
  return text;
}

function parseOwner(text: string): LockOwner | null {
  const trimmed = text.trim();
  // The lock of earlier confbill versions: the pid alone.
  if (/^\d{1,10}$/.test(trimmed)) return validPid(Number(trimmed)) ? { pid: Number(trimmed), startTime: null, host: hostname(), socketDir: null } : null;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (typeof value !== 'object' || value === null) return null;
    const { pid, startTime, host, socketDir } = value as Record<string, unknown>;
    if (typeof pid !== 'number' || !validPid(pid) || typeof host !== 'string') return null;
    return { pid, startTime: typeof startTime === 'string' ? startTime : null, host, socketDir: typeof socketDir === 'string' && socketDir !== '' ? socketDir : null };
  } catch {
    return null;
  }
}

/** Never 0 or negative: process.kill(0) and kill(-1) would signal whole process groups. */
function validPid(pid: number): boolean {
  return Number.isSafeInteger(pid) && pid > 0 && pid < 2 ** 31;
}

/**
 * Is the lock's owner still running? On Linux the pid's start time must be the recorded one (a
 * recycled pid has another), and an old pid-only lock counts only if a confbill command runs under
 * that pid. Without /proc only the pid can be checked. A lock of another machine cannot be checked
 * from here and counts as live.
 */
function isLive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true;
  const stat = procStat(owner.pid);
  if (stat === 'no-proc') return signalReaches(owner.pid);
  if (stat === 'gone' || stat.state === 'Z' || stat.state === 'X') return false;
  if (owner.startTime !== null) return stat.startTime === owner.startTime;
  return (readText(`/proc/${owner.pid}/cmdline`) ?? '').includes('confbill');
}

function signalReaches(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type ProcStat = { state: string; startTime: string } | 'gone' | 'no-proc';

/** Fields 3 (state) and 22 (start time) of /proc/<pid>/stat; they follow the command in parentheses. */
function procStat(pid: number): ProcStat {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return 'no-proc';
    return readText('/proc/self/stat') === null ? 'no-proc' : 'gone';
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', startTime: fields[19] ?? '' };
}

function processStartTime(pid: number): string | null {
  const stat = procStat(pid);
  return typeof stat === 'object' ? stat.startTime : null;
}
