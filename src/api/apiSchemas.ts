import { z } from 'zod';

/** Shapes every area of the API shares: money, dates, instants, ids, pages. */
export const decimalString = z.string().regex(/^-?\d{1,15}(\.\d{1,12})?$/, 'must be a decimal number written as a string, like "12.50"').meta({ description: 'An exact decimal, as a string.' });
export const localDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date YYYY-MM-DD').meta({ description: 'A calendar day YYYY-MM-DD.' });
export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
export const instant = z.string().meta({ description: 'An instant, ISO 8601 in UTC.' });
/** Ids of customers, plans, sources, elements: what the configuration file allows. */
export const slugId = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9._-]*$/i, 'must be letters, digits, ".", "_" or "-"');
/** Free text a person typed (names, notes): bounded, no control characters. */
export const plainText = (max = 500) =>
  z
    .string()
    .max(max)
    // eslint-disable-next-line no-control-regex
    .refine((v) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v) && !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(v), 'must not hold control characters or lone surrogates');

export const idParams = z.strictObject({ id: z.string().min(1).max(200) });

export const pageQueryShape = {
  limit: z.coerce.number().int().min(1).max(500).default(100).meta({ description: 'Items per page (1–500).' }),
  cursor: z.string().max(1000).optional().meta({ description: 'The nextCursor of the previous page.' }),
};

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable().meta({ description: 'Give it as cursor for the next page; null on the last page.' }) });

/**
 * One page of a list already in memory, in the order of `keyOf` (unique per item; descending on request). The cursor is the
 * last key of the page, opaque to clients; it stays valid when items are added or removed between pages.
 */
export function pageOfList<T>(items: readonly T[], keyOf: (item: T) => string, query: { limit: number; cursor?: string | undefined }, order: 'ascending' | 'descending' = 'ascending'): { items: T[]; nextCursor: string | null } {
  const after = query.cursor === undefined ? undefined : cursorKey(query.cursor);
  const sign = order === 'ascending' ? 1 : -1;
  const sorted = [...items].sort((a, b) => sign * compare(keyOf(a), keyOf(b)));
  const rest = after === undefined ? sorted : sorted.filter((item) => sign * compare(keyOf(item), after) > 0);
  const page = rest.slice(0, query.limit);
  return { items: page, nextCursor: rest.length > query.limit ? encodeCursor(keyOf(page[page.length - 1]!)) : null };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A cursor of one or more keys (the position of the last item of a page), opaque to clients. */
export function encodeCursor(...keys: string[]): string {
  return Buffer.from(JSON.stringify(keys), 'utf8').toString('base64url');
}

/** A cursor that is not one of ours: a 400 naming the field. */
export function invalidCursor(): Error {
  return Object.assign(new Error('The cursor is not one this API gave; start from the first page (no cursor).'), { statusCode: 400, code: 'invalid-cursor', field: 'cursor' });
}

/** The keys of a cursor of `count` keys; a cursor that is not one of ours is a 400 naming the field. */
export function cursorKeys(cursor: string, count: number): string[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === count && value.every((v) => typeof v === 'string')) return value as string[];
  } catch {
    // falls through to the refusal
  }
  throw invalidCursor();
}

/** The key of a one-key cursor. */
export const cursorKey = (cursor: string): string => cursorKeys(cursor, 1)[0]!;
