import type { IngestRecord } from './ingestRecord.ts';

/**
 * Longer than any field of a real CDR, and short enough that every indexed key made of fields (a
 * call's source and external id, a CMS record's session and leg) stays under PostgreSQL's limit of
 * 2704 bytes for an index row, where an incompressible longer value fails the whole statement.
 */
const maxFieldBytes = 2000;

/**
 * The first field of a call (as stored) that is longer than `maxFieldBytes`: a reject, not a failed
 * statement. Only the call's own fields count: a vendor record may carry long text confbill never
 * stores (Expressway's `details`).
 */
export function oversizedCallField(call: Readonly<Record<string, unknown>>): { field: string; reason: string } | undefined {
  for (const [field, value] of Object.entries(call)) {
    if (typeof value === 'string' && value.length > maxFieldBytes / 4 && Buffer.byteLength(value, 'utf8') > maxFieldBytes) {
      return { field, reason: `is longer than ${maxFieldBytes} bytes, more than any call data field holds` };
    }
  }
  return undefined;
}

/** A NUL or any UTF-16 surrogate code unit, paired or not. */
const suspectCharacter = /[\0\ud800-\udfff]/;

/**
 * PostgreSQL `text` cannot hold U+0000 and `jsonb` cannot hold `\u0000`; a lone UTF-16 surrogate
 * (JSON `"\ud800"`) is no character at all and would be stored as U+FFFD, garbled. A record holding
 * such text in a field is a reject naming that field: one bad value never fails the batch around it.
 */
export function unstorableTextReason(text: string): string | undefined {
  // One scan without the u flag answers for almost every text (no NUL, no surrogate at all): the
  // checks below, with \p{Cs}, run only when it finds one. Readers ask this of every field.
  if (!suspectCharacter.test(text)) return undefined;
  if (text.includes('\0')) return 'contains a NUL byte (0x00)';
  // With the u flag, a surrogate pair is one code point: only lone surrogates match.
  if (/\p{Cs}/u.test(text)) return 'contains a lone UTF-16 surrogate, which is not a character';
  return undefined;
}

/**
 * Whether a value taken from this text (a CSV row's field, whose text is a part of the row's) could
 * be one that `unstorableTextReason` refuses: one scan of a row answers for all its fields.
 */
export function textMayHoldUnstorable(text: string): boolean {
  return suspectCharacter.test(text);
}

/**
 * In JSON text, all that can put a NUL or a surrogate into a parsed key or string: the characters
 * themselves, or their `\u` escapes (`\u0000`, `\ud800`–`\udfff`).
 */
const unstorableInJson = /[\0\ud800-\udfff]|\\u(?:0000|[dD][89a-fA-F])/;

/**
 * Whether any key or string parsed from this JSON text could be one that `unstorableField` finds.
 * When not, a reader skips walking the parsed record: one scan of its text answers for every field.
 */
export function jsonMayHoldUnstorable(jsonText: string): boolean {
  return unstorableInJson.test(jsonText);
}

/**
 * The first field of a record (an object's own keys and texts, nested objects and arrays by their
 * path: `data.source_alias`, `sessions[0].id`) whose name or text confbill could not store.
 */
export function unstorableField(value: unknown, path = ''): { field: string; reason: string } | undefined {
  if (typeof value === 'string') {
    const reason = unstorableTextReason(value);
    return reason ? { field: path || '(value)', reason } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = unstorableField(item, `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const field = path ? `${path}.${key}` : key;
    const keyReason = unstorableTextReason(key);
    if (keyReason) return { field, reason: `(the name of this field) ${keyReason}` };
    const found = unstorableField(item, field);
    if (found) return found;
  }
  return undefined;
}

/**
 * A record (a parsed JSON object, a CMS record's fields) as a reject when any of its fields holds
 * text confbill cannot store; `path` prefixes the field (`sessions[2]`). The reason starts with
 * the field, as every reader's reasons do. `raw` may be a function: the record's text is then only
 * made for a reject (readers check every record, and serializing each one cost more than the check).
 */
export function unstorableRecordReject(value: unknown, line: number | null, raw: string | (() => string), path = ''): Extract<IngestRecord, { kind: 'reject' }> | undefined {
  const found = unstorableField(value, path);
  return found && { kind: 'reject', line, field: found.field, reason: `${found.field} ${found.reason}`, raw: typeof raw === 'string' ? raw : raw() };
}
