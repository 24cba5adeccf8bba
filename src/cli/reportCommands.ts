import { BillingError } from '../domain/billingError.ts';
import { runBilling } from '../services/billingRun.ts';
import { nonInvoicedReport, untrackedReport, usageReport } from '../services/reports.ts';
import { listRejects } from '../storage/rejectStore.ts';
import { printJson, println, withDatabase, type CliContext } from './cliContext.ts';

export const reportNames = ['untracked', 'non-invoiced', 'usage', 'rejected'] as const;

function table(ctx: CliContext, rows: Record<string, unknown>[], columns: string[]): void {
  if (rows.length === 0) {
    println(ctx, '(none)');
    return;
  }
  const cells = rows.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? '' : String(r[c]))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  println(ctx, columns.map((c, i) => c.padEnd(widths[i]!)).join('  '));
  for (const row of cells) println(ctx, row.map((v, i) => v.padEnd(widths[i]!)).join('  '));
}

export async function reportCommand(ctx: CliContext, name: string, options: { customer?: string[]; json?: boolean; source?: string; from?: string; to?: string }): Promise<number> {
  if (!(reportNames as readonly string[]).includes(name)) throw new BillingError('invalid-argument', `Unknown report "${name}". Reports: ${reportNames.join(', ')}.`);
  return withDatabase(ctx, async (db) => {
    await runBilling(db, { now: ctx.now() });
    let rows: object[];
    let columns: string[];
    switch (name) {
      case 'untracked':
        rows = await untrackedReport(db, { source: options.source, from: options.from, to: options.to });
        columns = ['startedAt', 'source', 'externalId', 'durationSeconds', 'localAlias', 'remoteAlias', 'reason', 'customerId'];
        break;
      case 'non-invoiced':
        rows = await nonInvoicedReport(db, options.customer);
        columns = ['customerId', 'date', 'kind', 'description', 'amount', 'currency'];
        break;
      case 'usage':
        rows = (await usageReport(db, options.customer)).map((r) => ({ ...r, byCategoryDirection: r.byCategoryDirection }));
        columns = ['customerId', 'month', 'calls', 'billedMinutes', 'poolMinutes', 'peakPorts', 'ports'];
        break;
      default:
        rows = (await listRejects(db)).map((r) => ({ ...r, rejectedAt: r.rejectedAt.toISOString() }));
        columns = ['file', 'line', 'field', 'reason'];
    }
    if (options.json) printJson(ctx, rows);
    else table(ctx, rows as Record<string, unknown>[], columns);
    return 0;
  });
}
