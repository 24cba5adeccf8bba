import { planHistoryAction, type AuditEntry, type NewAuditEntry } from '../domain/auditEntry.ts';
import type { FieldChange } from '../domain/fieldChanges.ts';
import type { Sql } from './database.ts';

const jsonOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

/**
 * Appends one entry to the audit log, in the caller's transaction: the entry exists exactly when the
 * change it describes was committed. The log is append-only (migration 0015 refuses UPDATE, DELETE
 * and TRUNCATE).
 */
export async function appendAuditEntry(tx: Sql, entry: NewAuditEntry): Promise<void> {
  await tx.query('INSERT INTO audit_log (actor, action, object_kind, object_id, before, after) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)', [
    entry.actor,
    entry.action,
    entry.objectKind,
    entry.objectId,
    jsonOrNull(entry.before),
    jsonOrNull(entry.after),
  ]);
}

/** Appends several entries in one statement, in their order (see appendAuditEntry). */
export async function appendAuditEntries(tx: Sql, entries: readonly NewAuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.query(
    `INSERT INTO audit_log (actor, action, object_kind, object_id, before, after)
     SELECT actor, action, object_kind, object_id, before::jsonb, after::jsonb
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS e(actor, action, object_kind, object_id, before, after, n) ORDER BY n`,
    [entries.map((e) => e.actor), entries.map((e) => e.action), entries.map((e) => e.objectKind), entries.map((e) => e.objectId), entries.map((e) => jsonOrNull(e.before)), entries.map((e) => jsonOrNull(e.after))],
  );
}

/**
 * Appends a plan's changes, one entry per field (the plan's history, docs/billing-rules.md §3: field,
 * old value, new value, user, time), which the view `plan_history` reads back.
 */
export async function appendPlanChanges(tx: Sql, planId: string, changes: readonly FieldChange[], actor: string): Promise<void> {
  for (const c of changes) {
    await appendAuditEntry(tx, {
      actor,
      action: planHistoryAction(c.field, c.oldValue, c.newValue),
      objectKind: 'plan',
      objectId: planId,
      before: { [c.field]: c.oldValue ?? null },
      after: { [c.field]: c.newValue ?? null },
    });
  }
}

export interface AuditLogFilter {
  objectKind?: string;
  objectId?: string;
  actor?: string;
  action?: string;
  /** Instants (ISO 8601): entries at or after `from` and before `to`. */
  from?: string;
  to?: string;
  /** Entries with an id below this one only: the next page after an entry (keyset paging). */
  before?: number;
  limit: number;
}

/** Entries matching every given criterion, newest first (highest id first), at most `limit`. */
export async function listAuditEntries(db: Sql, filter: AuditLogFilter): Promise<AuditEntry[]> {
  const rows = await db.query<Omit<AuditEntry, 'at' | 'id'> & { id: number | string; at: Date }>(
    `SELECT id, at, actor, action, object_kind AS "objectKind", object_id AS "objectId", before, after FROM audit_log
     WHERE ($1::text IS NULL OR object_kind = $1) AND ($2::text IS NULL OR object_id = $2)
       AND ($3::text IS NULL OR actor = $3) AND ($4::text IS NULL OR action = $4)
       AND ($5::timestamptz IS NULL OR at >= $5) AND ($6::timestamptz IS NULL OR at < $6)
       AND ($7::bigint IS NULL OR id < $7)
     ORDER BY id DESC LIMIT $8`,
    [filter.objectKind ?? null, filter.objectId ?? null, filter.actor ?? null, filter.action ?? null, filter.from ?? null, filter.to ?? null, filter.before ?? null, filter.limit],
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), at: r.at.toISOString() }));
}
