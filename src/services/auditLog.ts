import type { AuditEntry } from '../domain/auditEntry.ts';
import { BillingError } from '../domain/billingError.ts';
import { formatInstant, parseInstant } from '../domain/calendar.ts';
import { listAuditEntries } from '../storage/auditLogStore.ts';
import type { Sql } from '../storage/database.ts';

export interface AuditFilter {
  objectKind?: string;
  objectId?: string;
  actor?: string;
  action?: string;
  /** ISO 8601 instants with an offset or Z: entries at or after `from`, before `to`. */
  from?: string;
  to?: string;
  /** Entries per page: 1 to 1000, default 100. */
  limit?: number;
  /** The cursor: only entries older than the entry with this id (the `next` of the previous page). */
  before?: number;
}

export interface AuditPage {
  /** Newest first. */
  entries: AuditEntry[];
  /** The `before` of the next page; null when this page is the last. */
  next: number | null;
}

export const defaultAuditLimit = 100;
export const maxAuditLimit = 1000;

function instant(value: string | undefined, field: 'from' | 'to'): string | undefined {
  if (value === undefined) return undefined;
  const ms = parseInstant(value);
  if (ms === undefined) throw new BillingError('invalid-argument', `The ${field} instant "${value}" is not an ISO 8601 instant with an offset or Z, such as 2026-11-01T00:00:00Z.`, { field });
  return formatInstant(ms);
}

/**
 * The audit log, filtered by object kind and id, actor, action and a range of instants, newest first,
 * one page at a time: keyset paging by entry id, so pages stay exact while entries are appended.
 */
export async function auditEntries(db: Sql, filter: AuditFilter = {}): Promise<AuditPage> {
  const limit = filter.limit ?? defaultAuditLimit;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxAuditLimit) {
    throw new BillingError('invalid-argument', `The limit ${String(limit)} is not a whole number from 1 to ${maxAuditLimit}.`, { field: 'limit' });
  }
  const before = filter.before;
  if (before !== undefined && (!Number.isSafeInteger(before) || before < 1)) {
    throw new BillingError('invalid-argument', `The cursor ${String(before)} is not an entry id (a whole number from 1).`, { field: 'before' });
  }
  const from = instant(filter.from, 'from');
  const to = instant(filter.to, 'to');
  // One more than asked tells whether there is a next page.
  const rows = await listAuditEntries(db, { objectKind: filter.objectKind, objectId: filter.objectId, actor: filter.actor, action: filter.action, from, to, before, limit: limit + 1 });
  const entries = rows.slice(0, limit);
  return { entries, next: rows.length > limit ? entries[entries.length - 1]!.id : null };
}
