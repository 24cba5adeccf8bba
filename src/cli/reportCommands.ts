import { BillingError } from '../domain/billingError.ts';
import { runBilling } from '../services/billingRun.ts';
import { hourlyPeaks } from '../domain/peakPortsSeries.ts';
import { peakPortsSeriesReport, type PeakPortsReport } from '../services/peakPortsReport.ts';
import { previewInvoices, refusedChangesReport, rejectedRecordsReport, untrackedReport, usageReport } from '../services/reports.ts';
import { printJson, println, withDatabase, type CliContext } from './cliContext.ts';
import { invoicePreviewText } from './invoicePreviewText.ts';
import { reportNames, type ReportName } from './reportNames.ts';
import { terminalSafeText } from './terminalSafeText.ts';

function table(ctx: CliContext, rows: Record<string, unknown>[], columns: string[]): void {
  if (rows.length === 0) {
    println(ctx, '(none)');
    return;
  }
  const cells = rows.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? '' : terminalSafeText(String(r[c])))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  println(ctx, columns.map((c, i) => c.padEnd(widths[i]!)).join('  '));
  for (const row of cells) println(ctx, row.map((v, i) => v.padEnd(widths[i]!)).join('  '));
}

const bars = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** A terminal chart of a peak-ports series: a row per local day, a column per local hour, the hour's highest per-minute peak. */
function peakPortsChart(ctx: CliContext, report: PeakPortsReport): void {
  const pool = report.ports === null ? 'no port pool' : `port pool ${report.ports}`;
  println(ctx, `Peak ports per minute of ${terminalSafeText(report.customerId)} in ${report.month} (${report.timeZone}): highest ${report.peak}, ${pool}.`);
  if (report.peak === 0) {
    println(ctx, `No call occupied a port in ${report.month}.`);
    return;
  }
  const scale = Math.max(report.peak, report.ports ?? 0);
  const days = hourlyPeaks(report.points.map((p) => ({ at: Date.parse(p.at), ports: p.ports })), report.month, report.timeZone);
  println(ctx, `One row per day, one column per hour from 00 (· none, █ = ${scale}${report.ports !== null && scale === report.ports ? ', the pool' : ''}); "over pool" where a minute exceeded it.`);
  println(ctx, `${' '.repeat(12)}00    06    12    18`);
  const width = Math.max(...days.map((d) => d.hours.length)); // 25 in a month with a 25-hour day
  for (const day of days) {
    const row = day.hours.map((v) => (v <= 0 ? '·' : bars[Math.min(bars.length - 1, Math.ceil((v / scale) * bars.length) - 1)]!)).join('');
    const max = Math.max(...day.hours);
    const note = max === 0 ? '' : `  ${String(max).padStart(String(report.peak).length)}${report.ports !== null && max > report.ports ? ' over pool' : ''}`;
    println(ctx, `${day.date}  ${row.padEnd(width)}${note}`.trimEnd());
  }
}

export interface ReportOptions {
  customer?: string[];
  json?: boolean;
  source?: string;
  from?: string;
  to?: string;
  month?: string;
  items?: boolean;
}

/** The options each report takes; any other is refused, never silently ignored. */
const reportOptions: Record<ReportName, readonly (keyof ReportOptions)[]> = {
  untracked: ['customer', 'source', 'from', 'to', 'json'],
  'non-invoiced': ['customer', 'from', 'to', 'items', 'json'],
  usage: ['customer', 'json'],
  'peak-ports': ['customer', 'month', 'json'],
  rejected: ['json'],
  'refused-changes': ['customer', 'source', 'from', 'to', 'json'],
};

const optionName = (key: string): string => `--${key}`;

export async function reportCommand(ctx: CliContext, name: string, options: ReportOptions): Promise<number> {
  if (!(reportNames as readonly string[]).includes(name)) throw new BillingError('invalid-argument', `Unknown report "${name}". Reports: ${reportNames.join(', ')}.`);
  const report = name as ReportName;
  const allowed = reportOptions[report];
  const refused = (Object.keys(options) as (keyof ReportOptions)[]).filter((key) => options[key] !== undefined && !allowed.includes(key));
  if (refused.length) {
    const takes = allowed.length ? `it takes ${allowed.map(optionName).join(', ')}` : 'it takes no option';
    throw new BillingError('invalid-argument', `The ${report} report does not take ${refused.map(optionName).join(', ')}: ${takes}.`);
  }
  if (report === 'peak-ports' && (!options.customer?.length || !options.month)) throw new BillingError('invalid-argument', 'The peak-ports report is per customer and month: --customer ID (repeatable) --month YYYY-MM.');
  return withDatabase(ctx, async (db) => {
    await runBilling(db, { now: ctx.now() });
    if (report === 'peak-ports') {
      // A JSON array of rows like every report (docs/billing-rules.md, "Files and commands"): one series per customer.
      const reports: PeakPortsReport[] = [];
      for (const customerId of options.customer!) reports.push(await peakPortsSeriesReport(db, customerId, options.month!));
      if (options.json) printJson(ctx, reports);
      else for (const one of reports) peakPortsChart(ctx, one);
      return 0;
    }
    if (report === 'non-invoiced') {
      const previews = await previewInvoices(db, { customerIds: options.customer, from: options.from, to: options.to, now: ctx.now(), items: options.items });
      if (options.json) printJson(ctx, previews);
      else if (previews.length === 0) println(ctx, 'Nothing to invoice: no customer has an item in no invoice.');
      else println(ctx, previews.map(invoicePreviewText).join('\n\n'));
      return 0;
    }
    let rows: object[];
    let columns: string[];
    switch (report) {
      case 'untracked':
        rows = await untrackedReport(db, { source: options.source, from: options.from, to: options.to, customerIds: options.customer });
        columns = ['startedAt', 'source', 'externalId', 'durationSeconds', 'localAlias', 'remoteAlias', 'reason', 'customerId'];
        break;
      case 'usage':
        rows = (await usageReport(db, options.customer)).map((r) => ({ ...r, byCategoryDirection: r.byCategoryDirection }));
        columns = ['customerId', 'month', 'calls', 'billedMinutes', 'poolMinutes', 'poolUsedMinutes', 'overageMinutes', 'peakPorts', 'ports'];
        break;
      case 'refused-changes': {
        const changes = await refusedChangesReport(db, { customerIds: options.customer, source: options.source, from: options.from, to: options.to });
        if (options.json) {
          printJson(ctx, changes);
          return 0;
        }
        rows = changes.map((c) => ({ ...c, changes: Object.keys(c.newValues).map((field) => `${field}: ${JSON.stringify(c.oldValues[field])} → ${JSON.stringify(c.newValues[field])}`).join('; ') }));
        columns = ['refusedAt', 'source', 'externalId', 'customerId', 'invoice', 'changes', 'file', 'line'];
        break;
      }
      default:
        rows = await rejectedRecordsReport(db);
        columns = ['file', 'line', 'field', 'reason'];
    }
    if (options.json) printJson(ctx, rows);
    else table(ctx, rows as Record<string, unknown>[], columns);
    return 0;
  });
}
