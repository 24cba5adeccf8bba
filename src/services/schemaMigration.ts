import { BillingError } from '../domain/billingError.ts';
import { openMigratedDatabase, type DatabaseLocation } from '../storage/database.ts';
import { migrationFiles } from '../storage/migrations.ts';
import { grantServiceRole } from '../storage/serviceRoleGrants.ts';

export interface SchemaMigration {
  /** The migrations this run applied, by version. */
  applied: number[];
  /** The schema version now (the newest migration). */
  version: number;
}

/**
 * `confbill migrate`: brings the schema up to date as the connecting role (on PostgreSQL, the schema
 * owner) and, with `serviceRole`, sets that role's privileges to what the service needs and no more
 * (docs/postgresql-roles.md). Safe to run again: nothing to apply, grants set anew.
 */
export async function migrateSchema(location: DatabaseLocation, options: { serviceRole?: string } = {}): Promise<SchemaMigration> {
  if (options.serviceRole !== undefined && !location.databaseUrl) {
    throw new BillingError('invalid-argument', 'The embedded database has no roles: a service role needs a PostgreSQL server (DATABASE_URL).', { field: 'serviceRole' });
  }
  const { db, applied } = await openMigratedDatabase(location);
  try {
    if (options.serviceRole !== undefined) await grantServiceRole(db, options.serviceRole);
  } finally {
    await db.close();
  }
  return { applied, version: Math.max(...migrationFiles().map((m) => m.version)) };
}
