import type { Sql } from '../storage/database.ts';
import { recordSourceIngest } from '../storage/sourceStore.ts';

interface Counts {
  read: number;
  excludedReasons: Record<string, number>;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Adds the counts of ingests to each source's statistics as one write for all the ingests that
 * asked while the previous write ran. Every receiver's post adds to one row per source: written
 * once per post, the row's lock made the posts of a source take turns, a commit each.
 */
class SourceIngestCounter {
  private pending = new Map<string, Counts>();
  private waiters: Waiter[] = [];
  private writing = false;

  constructor(private readonly db: Sql) {}

  add(source: string, read: number, excludedReasons: Readonly<Record<string, number>>): Promise<void> {
    let counts = this.pending.get(source);
    if (!counts) this.pending.set(source, (counts = { read: 0, excludedReasons: Object.create(null) as Record<string, number> }));
    counts.read += read;
    for (const [reason, n] of Object.entries(excludedReasons)) counts.excludedReasons[reason] = (counts.excludedReasons[reason] ?? 0) + n;
    const written = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (!this.writing) void this.write();
    return written;
  }

  private async write(): Promise<void> {
    this.writing = true;
    while (this.waiters.length > 0) {
      const counts = this.pending;
      const waiters = this.waiters;
      this.pending = new Map();
      this.waiters = [];
      try {
        for (const [source, c] of counts) await recordSourceIngest(this.db, source, c.read, c.excludedReasons);
        for (const w of waiters) w.resolve();
      } catch (error) {
        for (const w of waiters) w.reject(error);
      }
    }
    this.writing = false;
  }
}

const counters = new WeakMap<Sql, SourceIngestCounter>();

/**
 * Adds what an ingest read from `source` (records, and exclusions by reason) to its statistics;
 * resolves once they are written. Concurrent ingests on one database share a write.
 */
export function countSourceIngest(db: Sql, source: string, read: number, excludedReasons: Readonly<Record<string, number>>): Promise<void> {
  let counter = counters.get(db);
  if (!counter) counters.set(db, (counter = new SourceIngestCounter(db)));
  return counter.add(source, read, excludedReasons);
}
