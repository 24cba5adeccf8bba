import type { AuditEntry } from '../domain/auditEntry.ts';
import { BillingError } from '../domain/billingError.ts';
import { parseInstant } from '../domain/calendar.ts';
import { auditEntries, maxAuditLimit } from '../services/auditLog.ts';
import { printJson, println, withDatabase, type CliContext } from './cliContext.ts';
import { terminalSafeText } from './terminalSafeText.ts';

export interface AuditOptions {
  kind?: string;
  object?: string;
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
  limit?: string;
  before?: string;
  json?: boolean;
}

function wholeNumber(flag: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= max)) throw new BillingError('invalid-argument', `${flag} "${value}" is not a whole number from 1 to ${max}.`);
  return n;
}

function instantFlag(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && parseInstant(value) === undefined) throw new BillingError('invalid-argument', `${flag} "${value}" is not an instant. Give an ISO 8601 instant with an offset or Z, such as 2026-11-01T00:00:00Z.`);
  return value;
}

const json = (value: unknown): string => JSON.stringify(value ?? null);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The values before → after, compact: `field old → new` per field; a new object its values, a removed one what it was. */
function changeText(before: unknown, after: unknown): string {
  if (isObject(before) && isObject(after)) {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])].map((k) => `${k} ${json(before[k])} → ${json(after[k])}`).join(', ');
  }
  if (before === null && isObject(after)) return Object.entries(after).map(([k, v]) => `${k} ${json(v)}`).join(', ');
  if (isObject(before) && after === null) return `was ${Object.entries(before).map(([k, v]) => `${k} ${json(v)}`).join(', ')}`;
  return `${json(before)} → ${json(after)}`;
}

function entryText(e: AuditEntry): string {
  return [e.at, terminalSafeText(e.actor).padEnd(12), terminalSafeText(e.action).padEnd(22), terminalSafeText(`${e.objectKind} ${e.objectId}`), terminalSafeText(changeText(e.before, e.after))].join('  ');
}

/** `confbill audit`: the audit log, newest first, one line per entry (or JSON with the next page's cursor). */
export async function auditCommand(ctx: CliContext, options: AuditOptions): Promise<number> {
  const filter = {
    objectKind: options.kind,
    objectId: options.object,
    actor: options.actor,
    action: options.action,
    from: instantFlag('--from', options.from),
    to: instantFlag('--to', options.to),
    limit: wholeNumber('--limit', options.limit, maxAuditLimit),
    before: wholeNumber('--before', options.before, Number.MAX_SAFE_INTEGER),
  };
  return withDatabase(ctx, async (db) => {
    const page = await auditEntries(db, filter);
    if (options.json) {
      printJson(ctx, page);
      return 0;
    }
    if (page.entries.length === 0) println(ctx, 'No audit entries.');
    for (const e of page.entries) println(ctx, entryText(e));
    if (page.next !== null) println(ctx, `More entries: add --before ${page.next}.`);
    return 0;
  });
}
