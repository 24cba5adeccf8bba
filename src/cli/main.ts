import { Command, CommanderError } from 'commander';
import { isBillingError } from '../domain/billingError.ts';
import { registerAccessCommands } from './accessCommands.ts';
import { cliErrorText, flagsOfCommand } from './cliErrorText.ts';
import { contextFromEnvironment, processIo, type CliContext, type CliIo } from './cliContext.ts';
import { exitCodeOf, unexpectedErrorExitCode } from './exitCodes.ts';
import { callDataFormatNames } from '../ingest/callDataFormatNames.ts';
import { reportNames } from './reportNames.ts';
import { unexpectedErrorReport } from './unexpectedErrorReport.ts';
import { registerWebhookCommands } from './webhookCommands.ts';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function program(run: (work: (ctx: CliContext) => Promise<number>) => Promise<void>, io: CliIo = processIo()): Command {
  const root = new Command('confbill')
    .description('Billing for video-conferencing service providers: call data in, exact invoices out.')
    .option('--data <dir>', 'folder of the embedded database (else CONFBILL_DATA, else ./confbill-data); ignored when DATABASE_URL is set')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  root.command('demo').description('set up a small demo provider with a month of calls, rate and invoice it, print a summary').action(() => run(async (ctx) => (await import('./demoCommand.ts')).demoCommand(ctx)));
  root
    .command('apply')
    .argument('<file>', 'YAML or JSON configuration')
    .description('create or update customers, plans and assignments from a file; prints every object and field it changes')
    .option('--dry-run', 'print what would change and change nothing')
    .option('--force', 'also change plans edited with `plan set` + `plan lock` since the file was last applied (puts the file\'s values back)')
    .option('--json', 'print the changes as JSON')
    .action((file: string, options) => run(async (ctx) => (await import('./applyCommand.ts')).applyCommand(ctx, file, options)));
  root
    .command('ingest')
    .description('read call data files (or - for standard input)')
    .option('--format <format>', `${callDataFormatNames.join(', ')} (default: the configured source's format)`)
    .option('--source <name>', 'source id: its configured format, time zone and default customer apply; names the source where the format has none')
    .argument('<files...>', 'call data files; - reads standard input')
    .action((files: string[], options: { format?: string; source?: string }) => run(async (ctx) => (await import('./ingestCommand.ts')).ingestCommand(ctx, files, options)));
  root
    .command('serve')
    .description('run the Billing API (/api/v1, documentation at /api/docs), the CDR receivers and the hourly scheduled rating until stopped')
    .option('--port <port>', 'TCP port (0 picks a free one)', '8080')
    .option('--host <host>', 'address to listen on; the default is loopback only (0.0.0.0: every interface)', '127.0.0.1')
    .option('--log-level <level>', 'lowest level of the JSON log lines on standard output: fatal, error, warn, info, debug', 'info')
    .option('--max-connections <n>', 'connections served at once; more are refused', '256')
    .option('--db-connections <n>', 'PostgreSQL: connections this process keeps to the database at most (requests beyond wait for one)', '16')
    .option('--schedule-check <seconds>', 'how often to check whether the hourly rating is due', '60')
    .action((options) => run(async (ctx) => (await import('./serveCommand.ts')).serveCommand(ctx, options)));
  root
    .command('open')
    .description('open the web admin of a running `confbill serve` in the browser (sign in with a user of `confbill user add`; the demo makes one)')
    .option('--port <port>', 'the port confbill serve listens on', '8080')
    .option('--host <host>', 'the address confbill serve listens on', '127.0.0.1')
    .action((options) => run(async (ctx) => (await import('./openCommand.ts')).openCommand(ctx, options)));
  root
    .command('openapi')
    .description('print the OpenAPI 3.1 document of the Billing API (what `serve` offers at /api/openapi.json)')
    .action(() => run(async (ctx) => (await import('./openApiCommand.ts')).openApiCommand(ctx)));
  root
    .command('migrate')
    .description('bring the database schema up to date; run it as the schema owner (docs/postgresql-roles.md)')
    .option('--service-role <role>', 'PostgreSQL: give this role what `confbill` needs to run and nothing more')
    .action((options: { serviceRole?: string }) => run(async (ctx) => (await import('./migrateCommand.ts')).migrateCommand(ctx, options)));
  root
    .command('source')
    .description('call data sources: configuration and what came in from each')
    .command('list')
    .description('list the call sources with their format, time zone, default customer and what came in')
    .option('--json', 'print JSON instead of text')
    .action((options) => run(async (ctx) => (await import('./sourceCommands.ts')).sourceListCommand(ctx, options)));
  root
    .command('verify')
    .description('check the invariants of the books: every billable call billed once, invoices that add up, gapless numbers, approved invoices unchanged; exits 8 when one fails')
    .option('--json', 'print the checks as JSON')
    .action((options) => run(async (ctx) => (await import('./verifyCommand.ts')).verifyCommand(ctx, options)));
  root
    .command('audit')
    .description('show the audit log, newest first: who changed what and when, with the values before → after')
    .option('--kind <kind>', 'only entries about objects of this kind (customer, plan, assignment, entity, invoice, settings, …)')
    .option('--object <id>', 'only entries about the object with this id')
    .option('--actor <name>', 'only entries by this user or key name')
    .option('--action <action>', 'only this action (such as invoice.approved)')
    .option('--from <instant>', 'only entries at or after this instant (ISO 8601, such as 2026-11-01T00:00:00Z)')
    .option('--to <instant>', 'only entries before this instant')
    .option('--limit <n>', 'at most this many entries (1 to 1000; default 100)')
    .option('--before <id>', 'only entries older than this entry id (the next page; the last line says which)')
    .option('--json', 'print {entries, next} as JSON')
    .action((options) => run(async (ctx) => (await import('./auditCommand.ts')).auditCommand(ctx, options)));
  root.command('rate').description('match pending calls and regenerate billing data now').action(() => run(async (ctx) => (await import('./rateCommand.ts')).rateCommand(ctx)));

  const invoice = root.command('invoice').description('generate, list, show, approve and delete invoices; INVOICE is an invoice id or the number of an approved invoice');
  invoice
    .command('generate')
    .description('make draft invoices of what is not invoiced yet, per customer and currency; says which customers had nothing to bill or already have a draft for the range')
    .option('--customer <id>', 'customer id (repeatable)', collect)
    .option('--all', 'every customer')
    .requiredOption('--from <date>', 'first day of the range (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'day after the range (YYYY-MM-DD)')
    .option('--json', 'print the created invoices as a JSON array (customers without a new invoice are named on standard error)')
    .action((options) => run(async (ctx) => (await import('./invoiceCommands.ts')).invoiceGenerateCommand(ctx, options)));
  invoice
    .command('list')
    .description('list invoices: id, number (DRAFT before approval), customer, range, total, status and who approved them')
    .option('--customer <id>', 'customer id (repeatable)', collect)
    .option('--from <date>', 'only invoices whose range ends after this date (YYYY-MM-DD)')
    .option('--to <date>', 'only invoices whose range starts before this date (YYYY-MM-DD)')
    .option('--json', 'print JSON instead of text')
    .action((options) => run(async (ctx) => (await import('./invoiceCommands.ts')).invoiceListCommand(ctx, options)));
  const invoiceArgument = 'invoice id, or the number of an approved invoice (digits, e.g. 12 or #12)';
  invoice
    .command('show')
    .description('show an invoice with its numbered lines, quantities, unit prices and total')
    .argument('<invoice>', invoiceArgument)
    .option('--json', 'print the invoice JSON')
    .action((id: string, options) => run(async (ctx) => (await import('./invoiceCommands.ts')).invoiceShowCommand(ctx, id, options)));
  invoice
    .command('approve')
    .description('approve a draft: it gets the next gapless number, records who approved it, and never changes again (asks first)')
    .argument('<invoice>', invoiceArgument)
    .option('--yes', 'approve without asking (for scripts; needed when there is no terminal)')
    .action((id: string, options: { yes?: boolean }) => run(async (ctx) => (await import('./invoiceCommands.ts')).invoiceApproveCommand(ctx, id, options)));
  invoice
    .command('delete')
    .description('delete a draft; its items go back to the next generation (approved invoices are never deleted)')
    .argument('<invoice>', invoiceArgument)
    .action((id: string) => run(async (ctx) => (await import('./invoiceCommands.ts')).invoiceDeleteCommand(ctx, id)));
  invoice
    .command('export')
    .description('write an invoice as PDF, as CSV of its lines, or as CSV of its rated calls')
    .argument('<invoice>', invoiceArgument)
    .requiredOption('--format <format>', 'pdf | csv | calls-csv')
    .requiredOption('--out <file>', 'file to write, or - for standard output')
    .action((id: string, options: { format: string; out: string }) => run(async (ctx) => (await import('./invoiceExportCommand.ts')).invoiceExportCommand(ctx, id, options)));
  invoice
    .command('add-line')
    .description('add a manual line to a draft (a negative unit price gives a credit)')
    .argument('<invoice>', invoiceArgument)
    .requiredOption('--description <text>', 'the text of the line')
    .requiredOption('--unit-price <amount>', 'decimal, in the invoice currency')
    .option('--quantity <n>', 'default 1')
    .option('--period <period>', 'YYYY-MM or YYYY-MM-DD (default: the first month of the invoice)')
    .option('--json', 'print the invoice JSON')
    .action((id: string, options) => run(async (ctx) => (await import('./invoiceCommands.ts')).invoiceAddLineCommand(ctx, id, options)));
  invoice
    .command('remove-line')
    .description('remove a manual line of a draft by its number in `invoice show`')
    .argument('<invoice>', invoiceArgument)
    .argument('<line>', 'the line number that `invoice show` prints')
    .option('--json', 'print the invoice JSON')
    .action((id: string, line: string, options) => run(async (ctx) => (await import('./invoiceCommands.ts')).invoiceRemoveLineCommand(ctx, id, line, options)));
  invoice
    .command('note')
    .description('set the notes printed on a draft (an empty text clears them)')
    .argument('<invoice>', invoiceArgument)
    .argument('<text>', 'the notes; "" clears them').action((id: string, text: string) => run(async (ctx) => (await import('./invoiceCommands.ts')).invoiceNoteCommand(ctx, id, text)));

  const assignment = root.command('assignment').description("customers' plans for date ranges [from, to) in the customer's time zone");
  assignment
    .command('list')
    .description('list assignments: customer, plan and date range')
    .option('--customer <id>', 'customer id (repeatable)', collect)
    .option('--plan <id>', 'plan id (repeatable): the customers assigned to it', collect)
    .option('--json', 'print JSON instead of text')
    .action((options) => run(async (ctx) => (await import('./assignmentCommands.ts')).assignmentListCommand(ctx, options)));
  assignment
    .command('add')
    .description('give a customer a plan from a date (optionally to a date)')
    .requiredOption('--customer <id>', 'customer id')
    .requiredOption('--plan <id>', 'plan id')
    .requiredOption('--from <date>', 'first day (YYYY-MM-DD)')
    .option('--to <date>', 'day after the last (default: open-ended)')
    .option('--id <id>', 'assignment id (default CUSTOMER@FROM)')
    .option('--json', 'print the assignment as JSON')
    .action((options) => run(async (ctx) => (await import('./assignmentCommands.ts')).assignmentAddCommand(ctx, options)));
  assignment
    .command('end')
    .description('set the end of an assignment (the day after its last day), or --open-end')
    .argument('<id>', 'assignment id')
    .option('--to <date>', 'the day after its last day (YYYY-MM-DD)')
    .option('--open-end', 'remove the end: the assignment runs on')
    .action((id: string, options) => run(async (ctx) => (await import('./assignmentCommands.ts')).assignmentEndCommand(ctx, id, options)));
  assignment.command('delete').description('delete an assignment').argument('<id>', 'assignment id').action((id: string) => run(async (ctx) => (await import('./assignmentCommands.ts')).assignmentDeleteCommand(ctx, id)));

  const plan = root.command('plan').description('price plans: copy, unlock, set, lock & recalculate, delete, and their history');
  plan.command('list').description('the plans, with their version and customers, and the built-in templates (marked)').option('--json', 'print JSON instead of text').action((options) => run(async (ctx) => (await import('./planCommands.ts')).planListCommand(ctx, options)));
  plan.command('show').description('a plan (or a built-in template): its components, draft and the customers assigned to it').argument('<id>', 'plan or template id').option('--json', 'print JSON instead of text').action((id: string, options) => run(async (ctx) => (await import('./planCommands.ts')).planShowCommand(ctx, id, options)));
  plan.command('history').description('who changed which field of a plan, when, from what to what').argument('<id>', 'plan id').option('--json', 'print JSON instead of text').action((id: string, options) => run(async (ctx) => (await import('./planCommands.ts')).planHistoryCommand(ctx, id, options)));
  plan
    .command('copy')
    .description('make a new plan, locked, from a built-in template (concurrent-calls, pay-as-you-go, included-minutes) or another plan')
    .argument('<from>', 'template or plan id to copy')
    .argument('<id>', 'id of the new plan')
    .option('--name <name>', 'name of the new plan (default: its id)')
    .option('--json', 'print the new plan as JSON')
    .action((from: string, id: string, options) => run(async (ctx) => (await import('./planCommands.ts')).planCopyCommand(ctx, from, id, options)));
  plan.command('unlock').description('unlock a plan for editing; rating keeps using its locked version').argument('<id>', 'plan id').action((id: string) => run(async (ctx) => (await import('./planCommands.ts')).planUnlockCommand(ctx, id)));
  plan
    .command('set')
    .description('change one field of an unlocked plan: monthlyFee 25.00, portPool.ports 30, services.pexip-vmr 6.20, callRates \'[…]\', includedMinutes null')
    .argument('<id>', 'plan id')
    .argument('<field>', 'field path')
    .argument('<value>', 'decimal string, number or JSON')
    .action((id: string, field: string, value: string) => run(async (ctx) => (await import('./planCommands.ts')).planSetCommand(ctx, id, field, value)));
  plan
    .command('lock')
    .description('lock & recalculate: put the edits in force and regenerate the plan\'s billing data that is in no invoice')
    .argument('<id>', 'plan id')
    .option('--json', 'print what was recalculated as JSON')
    .action((id: string, options) => run(async (ctx) => (await import('./planCommands.ts')).planLockCommand(ctx, id, options)));
  plan
    .command('delete')
    .description('delete a plan, its assignments, its draft invoices and its items in no invoice (refused once an approved invoice uses it; asks first)')
    .argument('<id>', 'plan id')
    .option('--yes', 'delete without asking (for scripts; needed when there is no terminal)')
    .action((id: string, options: { yes?: boolean }) => run(async (ctx) => (await import('./planCommands.ts')).planDeleteCommand(ctx, id, options)));

  // Entities and service availability (docs/billing-rules.md §2, §6.4, §10); the module loads when one of them runs.
  const entityCli = (): Promise<typeof import('./entityCommands.ts')> => import('./entityCommands.ts');
  const entity = root.command('entity').description("a customer's provisioned entities (VMRs, spaces, users, registrations…): add, list, delete");
  entity
    .command('add')
    .description('provision an entity; its alias matches calls from its creation, its service type is billed per day')
    .requiredOption('--customer <id>', 'customer id')
    .requiredOption('--id <id>', 'entity id (slug, unique, never reused)')
    .requiredOption('--type <serviceType>', 'service type, e.g. pexip-vmr (see `confbill service available`)')
    .option('--alias <alias>', 'the address that calls to it have, e.g. 1001@vc.provider.example')
    .option('--at <instant>', 'creation instant (ISO 8601 with offset or Z; default now)')
    .option('--json', 'print the entity as JSON')
    .action((options) => run(async (ctx) => (await entityCli()).entityAddCommand(ctx, options)));
  entity
    .command('list')
    .description("list a customer's entities: id, type, alias, created and deleted")
    .requiredOption('--customer <id>', 'customer id')
    .option('--all', 'include deleted entities')
    .option('--json', 'print JSON instead of text')
    .action((options) => run(async (ctx) => (await entityCli()).entityListCommand(ctx, options)));
  entity
    .command('delete')
    .description('delete an entity: its alias stops matching and its service days stop after that day')
    .argument('<id>', 'entity id')
    .requiredOption('--customer <id>', 'customer id')
    .option('--at <instant>', 'deletion instant (ISO 8601 with offset or Z; default now)')
    .option('--json', 'print the entity as JSON')
    .action((id: string, options) => run(async (ctx) => (await entityCli()).entityDeleteCommand(ctx, id, options)));
  root
    .command('service')
    .description('service types')
    .command('available')
    .description('the service types a customer may be given now (or --at), with their monthly prices')
    .requiredOption('--customer <id>', 'customer id')
    .option('--at <instant>', 'instant (ISO 8601 with offset or Z; default now)')
    .option('--json', 'print JSON instead of text')
    .action((options) => run(async (ctx) => (await entityCli()).serviceAvailableCommand(ctx, options)));

  root
    .command('report')
    .description('reports: calls not invoiced yet, untracked calls, usage per month, peak ports')
    .addArgument(new Command().createArgument('<name>', reportNames.join('|')).choices(reportNames))
    .description('reports; each refuses the options it does not take (see the README, "Reports")')
    .option('--customer <id>', 'customer id (repeatable; every report but rejected)', collect)
    .option('--source <name>', 'untracked, refused-changes: only calls of this source')
    .option('--from <date>', 'non-invoiced: the range start (YYYY-MM-DD); untracked: calls started at or after; refused-changes: refused at or after (date or instant)')
    .option('--to <date>', 'non-invoiced: the range end, exclusive (YYYY-MM-DD); untracked: calls started before; refused-changes: refused before (date or instant)')
    .option('--items', 'non-invoiced: the open items behind each line')
    .option('--month <YYYY-MM>', 'peak-ports: the month (with one --customer)')
    .option('--json', 'print the rows as JSON')
    .action((name: string, options) => run(async (ctx) => (await import('./reportCommands.ts')).reportCommand(ctx, name, options)));
  registerAccessCommands(root, run);
  registerWebhookCommands(root, run);
  return root;
}

/**
 * Writes an error as the user sees it (a BillingError's sentence with the flags of `command`, else
 * one line and a log file) and returns the exit status.
 */
function reportError(error: unknown, argv: readonly string[], stderr: CliIo['stderr'], command?: Command): number {
  if (isBillingError(error)) {
    stderr.write(`${cliErrorText(error, flagsOfCommand(command))}\n`);
    return exitCodeOf[error.code];
  }
  stderr.write(`${unexpectedErrorReport(error, argv, new Date())}\n`);
  return unexpectedErrorExitCode;
}

/**
 * Runs the CLI; returns the exit status. Errors become one clear sentence on standard error, never a
 * stack trace. `io` is the process's by default; tests pass their own to run commands in-process.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let status = 0;
  // The command being run: its flags name the fields of its errors.
  let command: Command | undefined;
  const run = async (work: (ctx: CliContext) => Promise<number>): Promise<void> => {
    try {
      status = await work(contextFromEnvironment(io, root.opts<{ data?: string }>().data));
    } catch (error) {
      status = reportError(error, argv, io.stderr, command);
    }
  };
  const root = program(run, io);
  root.hook('preAction', (_root, actionCommand) => {
    command = actionCommand;
  });
  try {
    await root.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    return reportError(error, argv, io.stderr, command);
  }
  return status;
}

/** The last resort for an error thrown outside every command (a stream's error event, a stray promise): one line, a log, exit 1. */
export function exitOnUncaughtError(error: unknown): void {
  try {
    process.stderr.write(`${unexpectedErrorReport(error, process.argv.slice(2), new Date())}\n`);
  } finally {
    process.exit(unexpectedErrorExitCode);
  }
}
