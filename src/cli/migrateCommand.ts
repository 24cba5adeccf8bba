import { migrateSchema } from '../services/schemaMigration.ts';
import { println, type CliContext } from './cliContext.ts';

const versionName = (version: number): string => String(version).padStart(4, '0');

/** `confbill migrate [--service-role ROLE]`: run by the schema owner, before the service starts. */
export async function migrateCommand(ctx: CliContext, options: { serviceRole?: string }): Promise<number> {
  const result = await migrateSchema({ databaseUrl: ctx.databaseUrl, dataDir: ctx.dataDir }, { serviceRole: options.serviceRole });
  println(
    ctx,
    result.applied.length > 0
      ? `Schema migrated to version ${result.version} (applied: ${result.applied.map(versionName).join(', ')}).`
      : `Schema is current (version ${result.version}); nothing to migrate.`,
  );
  if (options.serviceRole !== undefined) {
    println(ctx, `Role "${options.serviceRole}" may read and write confbill's data and approve drafts; it cannot change the schema, truncate, switch off triggers or issue invoice numbers otherwise.`);
  }
  return 0;
}
