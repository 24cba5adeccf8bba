import { fieldChanges, type FieldChange } from './fieldChanges.ts';
import type { Invoice } from './invoice.ts';

/**
 * One entry of the audit log: who (`actor`, a user's, API key's or the CLI user's name) did what
 * (`action`, `<object kind>.<what happened>`, such as `invoice.approved`) to which object, with the
 * object's changed fields before and after (null: it did not exist before, or no longer exists).
 */
export interface AuditEntry {
  id: number;
  /** ISO 8601 UTC instant. */
  at: string;
  actor: string;
  action: string;
  objectKind: string;
  objectId: string;
  before: unknown;
  after: unknown;
}

/** What a change appends to the log; the id and the time (the transaction's) are the database's. */
export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

/**
 * Changed fields as an entry's values: before and after hold only the fields that changed; a new
 * object (`created`) has no before, and lists the fields it was given.
 */
export function fieldValues(fields: readonly FieldChange[], created: boolean): { before: Record<string, unknown> | null; after: Record<string, unknown> } {
  return {
    before: created ? null : Object.fromEntries(fields.map((f) => [f.field, f.oldValue ?? null])),
    after: Object.fromEntries(fields.map((f) => [f.field, f.newValue ?? null])),
  };
}

/** The entry's values for an object created (no `before`) or changed from `before` to `after`. */
export function changedValues(before: object | undefined, after: object): { before: Record<string, unknown> | null; after: Record<string, unknown> } {
  return fieldValues(fieldChanges(before, after), before === undefined);
}

/** What the audit log keeps of an invoice made or deleted: enough to find it, and its amount. */
export function invoiceSummary(invoice: Invoice): Record<string, unknown> {
  return { customer: invoice.customerId, currency: invoice.currency, from: invoice.from, to: invoice.to, lines: invoice.lines.length, total: invoice.total };
}

/**
 * The action of one step of a plan's history (one changed field, docs/billing-rules.md §3): the steps
 * `plan copy`/`apply` (added), `unlock`, `lock` (a new version, or none), `delete`, and field edits.
 */
export function planHistoryAction(field: string, oldValue: unknown, newValue: unknown): string {
  if (field === 'locked') return newValue === true ? 'plan.locked' : 'plan.unlocked';
  if (field === 'deleted') return 'plan.deleted';
  if (field === 'copyOf' || (field === 'version' && (oldValue ?? null) === null)) return 'plan.added';
  if (field === 'version') return 'plan.version-locked';
  return 'plan.field-changed';
}
