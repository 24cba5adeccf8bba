import type { Call } from '../domain/call.ts';
import type { CallMatcher } from '../domain/callMatcher.ts';
import { singleStatementMergeRows, type CallRowOutcome } from '../storage/callStore.ts';
import type { Database } from '../storage/database.ts';
import { insertRejects, type Reject } from '../storage/rejectStore.ts';
import { mergeCallRecords } from './ingestCalls.ts';
import { WriteGroups } from './writeGroups.ts';

export interface CallRecordOfInput {
  /** The input the record came from (a receiver's "http:<request id>"), named in refusals. */
  file: string;
  line: number;
  call: Call;
}

interface Write {
  calls: readonly CallRecordOfInput[];
  rejects: readonly Reject[];
  matcher: CallMatcher;
}

/**
 * The calls of a group of posts in one transaction: BEGIN, the rules' generation, one merge, rating
 * marks, COMMIT. Per post, that cost PostgreSQL more than the record, and ~1,000 posts/s became ~300.
 */
function storeGroup(db: Database, group: readonly Write[]): Promise<CallRowOutcome[][]> {
  return db.transaction(async (tx) => {
    const outcomes = await mergeCallRecords(tx, group.flatMap((w) => w.calls), group[group.length - 1]!.matcher);
    await insertRejects(tx, group.flatMap((w) => w.rejects));
    let at = 0;
    return group.map((w) => outcomes.slice(at, (at += w.calls.length)));
  });
}

const queues = new WeakMap<Database, WriteGroups<Write, CallRowOutcome[]>>();

/**
 * Stores a few call records and rejects (a receiver's post) in a transaction shared with the other
 * posts waiting on this database, and resolves, with what became of each record, once that
 * transaction has committed: the caller may answer 200 then. Records of the same call in one group
 * are stored in arrival order (the later one stands). At most `singleStatementMergeRows` records.
 */
export function storeCallsTogether(db: Database, calls: readonly CallRecordOfInput[], rejects: readonly Reject[], matcher: CallMatcher): Promise<CallRowOutcome[]> {
  let queue = queues.get(db);
  if (!queue) queues.set(db, (queue = new WriteGroups((group) => storeGroup(db, group), (w) => w.calls.length, singleStatementMergeRows)));
  return queue.add({ calls, rejects, matcher });
}
