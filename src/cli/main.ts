import { Command, CommanderError } from 'commander';
import { isBillingError } from '../domain/billingError.ts';
import { applyCommand } from './applyCommand.ts';
import { contextFromEnvironment, type CliContext } from './cliContext.ts';
import { demoCommand } from './demoCommand.ts';
import { exitCodeOf, unexpectedErrorExitCode } from './exitCodes.ts';
import { ingestCommand } from './ingestCommand.ts';
import { invoiceApproveCommand, invoiceDeleteCommand, invoiceGenerateCommand, invoiceListCommand, invoiceShowCommand } from './invoiceCommands.ts';
import { planHistoryCommand, planListCommand, planShowCommand } from './planCommands.ts';
import { rateCommand } from './rateCommand.ts';
import { reportCommand, reportNames } from './reportCommands.ts';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function program(run: (work: (ctx: CliContext) => Promise<number>) => Promise<void>): Command {
  const root = new Command('confbill')
    .description('Billing for video-conferencing service providers: call data in, exact invoices out.')
    .option('--data <dir>', 'folder of the embedded database (else CONFBILL_DATA, else ./confbill-data); ignored when DATABASE_URL is set')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  root.command('demo').description('set up a small demo provider with a month of calls, rate and invoice it, print a summary').action(() => run((ctx) => demoCommand(ctx)));
  root.command('apply').argument('<file>', 'YAML or JSON configuration').description('create or update customers, plans and assignments from a file').action((file: string) => run((ctx) => applyCommand(ctx, file)));
  root
    .command('ingest')
    .description('read call data files (or - for standard input)')
    .requiredOption('--format <format>', 'confbill-csv')
    .option('--source <name>', 'source name where the format has none')
    .argument('<files...>')
    .action((files: string[], options: { format: string; source?: string }) => run((ctx) => ingestCommand(ctx, files, options)));
  root.command('rate').description('match pending calls and regenerate billing data now').action(() => run((ctx) => rateCommand(ctx)));

  const invoice = root.command('invoice').description('generate, list, show, approve and delete invoices');
  invoice
    .command('generate')
    .option('--customer <id>', 'customer id (repeatable)', collect)
    .option('--all', 'every customer')
    .requiredOption('--from <date>', 'first day of the range (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'day after the range (YYYY-MM-DD)')
    .option('--json', 'print the created invoices as JSON')
    .action((options) => run((ctx) => invoiceGenerateCommand(ctx, options)));
  invoice
    .command('list')
    .option('--customer <id>', 'customer id (repeatable)', collect)
    .option('--from <date>')
    .option('--to <date>')
    .option('--json')
    .action((options) => run((ctx) => invoiceListCommand(ctx, options)));
  invoice.command('show').argument('<id>').option('--json').action((id: string, options) => run((ctx) => invoiceShowCommand(ctx, id, options)));
  invoice.command('approve').argument('<id>').action((id: string) => run((ctx) => invoiceApproveCommand(ctx, id)));
  invoice.command('delete').argument('<id>').action((id: string) => run((ctx) => invoiceDeleteCommand(ctx, id)));

  const plan = root.command('plan').description('price plans: list, show and history (edits go through `confbill apply`)');
  plan.command('list').option('--json').action((options) => run((ctx) => planListCommand(ctx, options)));
  plan.command('show').argument('<id>').option('--json').action((id: string, options) => run((ctx) => planShowCommand(ctx, id, options)));
  plan.command('history').argument('<id>').option('--json').action((id: string, options) => run((ctx) => planHistoryCommand(ctx, id, options)));

  root
    .command('report')
    .addArgument(new Command().createArgument('<name>', reportNames.join('|')).choices(reportNames))
    .option('--customer <id>', 'customer id (repeatable)', collect)
    .option('--source <name>', 'untracked: only calls of this source')
    .option('--from <instant>', 'untracked: only calls that started at or after this date or instant')
    .option('--to <instant>', 'untracked: only calls that started before this date or instant')
    .option('--json')
    .action((name: string, options) => run((ctx) => reportCommand(ctx, name, options)));
  return root;
}

/** Runs the CLI; returns the exit status. Errors become one clear sentence on standard error. */
export async function main(argv: string[]): Promise<number> {
  let status = 0;
  const run = async (work: (ctx: CliContext) => Promise<number>): Promise<void> => {
    const ctx = contextFromEnvironment(process.env, root.opts<{ data?: string }>().data);
    try {
      status = await work(ctx);
    } catch (error) {
      if (isBillingError(error)) {
        ctx.stderr.write(`confbill: ${error.message}\n`);
        status = exitCodeOf[error.code];
      } else {
        ctx.stderr.write(`confbill: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        status = unexpectedErrorExitCode;
      }
    }
  };
  const root = program(run);
  try {
    await root.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  return status;
}
