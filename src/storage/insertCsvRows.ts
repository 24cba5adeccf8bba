import type pg from 'pg';
import { parse } from 'csv-parse/sync';

/**
 * What COPY … FROM STDIN WITH (FORMAT csv) would load, as one INSERT: for a connection that cannot
 * COPY (the embedded database shared over its socket). CSV as PostgreSQL reads it: an unquoted empty
 * field is NULL, a quoted one the empty string; every value is cast from text to its column's type.
 */
export async function insertCsvRows(client: pg.PoolClient, table: string, columns: readonly string[], csv: string): Promise<void> {
  const rows = parse(csv, { cast: (value, context) => (value === '' && !context.quoting ? null : value), relaxColumnCount: false }) as (string | null)[][];
  if (rows.length === 0) return;
  const types = await client.query<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
    [table],
  );
  const typeOf = new Map(types.rows.map((r) => [r.name, r.type]));
  const casts = columns.map((_, i) => `$${i + 1}::text[]`);
  const values = columns.map((c) => {
    const type = typeOf.get(c);
    if (type === undefined) throw new Error(`Table ${table} has no column ${c}.`);
    return `v.${c}::${type}`;
  });
  await client.query(
    `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${values.join(', ')} FROM unnest(${casts.join(', ')}) AS v(${columns.join(', ')})`,
    columns.map((_, i) => rows.map((row) => row[i] ?? null)),
  );
}
