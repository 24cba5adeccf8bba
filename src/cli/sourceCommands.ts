import { sourceOverview } from '../services/sources.ts';
import { printJson, println, withDatabase, type CliContext } from './cliContext.ts';
import { terminalSafeText } from './terminalSafeText.ts';

/** Sources as configured, and per source what came in: calls, time span, rejects, exclusions. */
export async function sourceListCommand(ctx: CliContext, options: { json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const rows = await sourceOverview(db);
    if (options.json) {
      printJson(ctx, rows);
      return 0;
    }
    if (rows.length === 0) println(ctx, 'No sources yet: configure them under `sources:` in the configuration file, or ingest call data.');
    for (const r of rows) {
      const setup = r.configured ? `${r.format}, ${r.timezone ?? 'default time zone'}${r.defaultCustomer ? `, default customer ${terminalSafeText(r.defaultCustomer)}` : ''}` : 'not configured';
      const span = r.calls ? `${r.firstCallAt} – ${r.lastCallAt}` : 'no calls';
      const excluded = r.excluded ? ` (${Object.entries(r.excludedReasons).map(([k, v]) => `${terminalSafeText(k)}: ${v}`).join(', ')})` : '';
      println(ctx, `${terminalSafeText(r.source)} [${setup}]: ${r.calls} calls (${r.unmatched} matching no customer), ${span}; last ingest ${r.lastIngestAt ?? 'never'}; ${r.recordsRead} records read by ingest, ${r.rejected} rejected, ${r.excluded} excluded${excluded}.`);
    }
    return 0;
  });
}
