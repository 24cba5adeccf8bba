import type { Call } from '../domain/call.ts';
import type { CallMatcher } from '../domain/callMatcher.ts';
import { isBillingError } from '../domain/billingError.ts';
import { singleStatementMergeRows, type CallRowOutcome } from '../storage/callStore.ts';
import type { Database } from '../storage/database.ts';
import { insertRejects, type Reject } from '../storage/rejectStore.ts';
import { mergeCallRecords } from './ingestCalls.ts';

export interface CallRecordOfInput {
  /** The input the record came from (a receiver's "http:<request id>"), named in refusals. */
  file: string;
  line: number;
  call: Call;
}

interface Waiting {
  calls: readonly CallRecordOfInput[];
  rejects: readonly Reject[];
  matcher: CallMatcher;
  resolve: (outcomes: CallRowOutcome[]) => void;
  reject: (error: unknown) => void;
}

/**
 * The writes of one database's receivers that are waiting: the first opens a transaction, and the
 * ones that arrive while it runs wait for it and go together in the next. A receiver's post is one
 * record; a transaction (BEGIN, the rules' generation, one merge, rating marks, COMMIT) per post cost
 * PostgreSQL more than the record, and ~1,000 posts/s became ~300.
 */
class CallWriteQueue {
  private waiting: Waiting[] = [];
  private writing = false;

  constructor(private readonly db: Database) {}

  add(calls: readonly CallRecordOfInput[], rejects: readonly Reject[], matcher: CallMatcher): Promise<CallRowOutcome[]> {
    const done = new Promise<CallRowOutcome[]>((resolve, reject) => this.waiting.push({ calls, rejects, matcher, resolve, reject }));
    if (!this.writing) void this.write();
    return done;
  }

  private async write(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const group = this.nextGroup();
      try {
        const outcomes = await this.store(group);
        group.forEach((w, i) => w.resolve(outcomes[i]!));
      } catch (error) {
        // The database away: every write of the group failed alike (503, the senders resend).
        // Anything else may be one write's own (a value the database refuses): each is tried alone,
        // so that it fails only its own request.
        if (group.length === 1 || (isBillingError(error) && error.code === 'storage')) group.forEach((w) => w.reject(error));
        else for (const w of group) await this.store([w]).then((o) => w.resolve(o[0]!), w.reject);
      }
    }
    this.writing = false;
  }

  /** The waiting writes, in arrival order, up to what one merge statement takes. */
  private nextGroup(): Waiting[] {
    let rows = 0;
    let n = 0;
    while (n < this.waiting.length && (n === 0 || rows + this.waiting[n]!.calls.length <= singleStatementMergeRows)) rows += this.waiting[n++]!.calls.length;
    return this.waiting.splice(0, n);
  }

  private store(group: readonly Waiting[]): Promise<CallRowOutcome[][]> {
    return this.db.transaction(async (tx) => {
      const outcomes = await mergeCallRecords(tx, group.flatMap((w) => w.calls), group[0]!.matcher);
      await insertRejects(tx, group.flatMap((w) => w.rejects));
      let at = 0;
      return group.map((w) => outcomes.slice(at, (at += w.calls.length)));
    });
  }
}

const queues = new WeakMap<Database, CallWriteQueue>();

/**
 * Stores a few call records and rejects (a receiver's post) in a transaction shared with the other
 * posts waiting on this database, and resolves, with what became of each record, once that
 * transaction has committed: the caller may answer 200 then. Records of the same call in one group
 * are stored in arrival order (the later one stands). At most `singleStatementMergeRows` records.
 */
export function storeCallsTogether(db: Database, calls: readonly CallRecordOfInput[], rejects: readonly Reject[], matcher: CallMatcher): Promise<CallRowOutcome[]> {
  let queue = queues.get(db);
  if (!queue) queues.set(db, (queue = new CallWriteQueue(db)));
  return queue.add(calls, rejects, matcher);
}
