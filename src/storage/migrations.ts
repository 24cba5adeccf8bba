import { readdirSync, readFileSync } from 'node:fs';
import { BillingError } from '../domain/billingError.ts';
import type { Database } from './database.ts';

const folder = new URL('./migrations/', import.meta.url);

/** Migrations are the files `migrations/NNNN-name.sql`, applied once each, in order. */
export function migrationFiles(): { version: number; name: string; sql: string }[] {
  return readdirSync(folder)
    .filter((f) => /^\d{4}-.*\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f, sql: readFileSync(new URL(f, folder), 'utf8') }));
}

/**
 * Brings the schema up to date. On PostgreSQL several confbill processes may start at once: an
 * advisory lock held for the transaction lets one of them migrate while the others wait. A schema
 * that is current is only read, so the service role needs no right to change it; one that is behind
 * and that this role may not change is a clear error naming the migrations and who can apply them.
 */
export async function migrate(db: Database): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7264001)');
    const [state] = await tx.query<{ tracked: boolean; role: string }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS tracked, current_user AS role`);
    const done = state!.tracked ? new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version)) : new Set<number>();
    const pending = migrationFiles().filter((m) => !done.has(m.version));
    if (pending.length === 0) return [];
    try {
      if (!state!.tracked) await tx.exec('CREATE TABLE schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      for (const m of pending) {
        await tx.exec(m.sql);
        await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      }
    } catch (error) {
      if ((error as { code?: unknown }).code !== '42501') throw error;
      const names = pending.map((m) => m.name).join(', ');
      throw new BillingError(
        'storage',
        `The database schema needs migration${pending.length > 1 ? 's' : ''} ${names}, which role "${state!.role}" may not apply (${(error as Error).message}). Migrate the schema with the schema owner's DATABASE_URL first (docs/postgresql-roles.md).`,
        { remedy: 'migrate-schema' },
      );
    }
    return pending.map((m) => m.version);
  });
}
