import type { Command } from 'commander';
import { accessRoles } from '../domain/accessRole.ts';
import type { CliContext } from './cliContext.ts';

type Run = (work: (ctx: CliContext) => Promise<number>) => Promise<void>;

const roles = `${accessRoles.join(' | ')} (see the README, "Users and API keys")`;
const nameRule = 'letters, digits, ".", "_", "-", "@"; at most 64 characters';

/** `confbill user …` and `confbill apikey …`: who may use the Billing API. Their modules load when one of them runs. */
export function registerAccessCommands(root: Command, run: Run): void {
  const users = (): Promise<typeof import('./userCommands.ts')> => import('./userCommands.ts');
  const keys = (): Promise<typeof import('./apiKeyCommands.ts')> => import('./apiKeyCommands.ts');

  const user = root.command('user').description('users who sign in to the Billing API with a password: add, list, disable');
  user
    .command('add')
    .description('add a user; the password is asked twice on a terminal, else read with --password-stdin or from CONFBILL_PASSWORD')
    .requiredOption('--name <name>', `the name they sign in with (${nameRule}; unique ignoring case)`)
    .requiredOption('--role <role>', roles)
    .option('--password-stdin', 'read the password from standard input (one line) instead of asking')
    .action((options: { name: string; role: string; passwordStdin?: boolean }) => run(async (ctx) => (await users()).userAddCommand(ctx, options)));
  user.command('list').description('list the users: name, role, who added them when, disabled or not (never a password)').option('--json', 'print JSON instead of text').action((options: { json?: boolean }) => run(async (ctx) => (await users()).userListCommand(ctx, options)));
  user
    .command('disable')
    .description('disable a user: they can no longer sign in and their sessions end at once')
    .argument('<name>', 'the user name')
    .action((name: string) => run(async (ctx) => (await users()).userDisableCommand(ctx, name)));

  const apikey = root.command('apikey').description('API keys for programs that call the Billing API: create, list, revoke');
  apikey
    .command('create')
    .description('create a key and print it alone on the last line: it is shown only this once')
    .requiredOption('--name <name>', `what the key is for (${nameRule}; unique among keys not revoked)`)
    .requiredOption('--role <role>', roles)
    .action((options: { name: string; role: string }) => run(async (ctx) => (await keys()).apiKeyCreateCommand(ctx, options)));
  apikey.command('list').description('list the keys: name, role, prefix, created, last used, revoked (never the key)').option('--json', 'print JSON instead of text').action((options: { json?: boolean }) => run(async (ctx) => (await keys()).apiKeyListCommand(ctx, options)));
  apikey
    .command('revoke')
    .description('revoke a key: it stops working at once; its name may be given to a new key')
    .argument('<key>', 'the name of a key not revoked, or a key id')
    .action((nameOrId: string) => run(async (ctx) => (await keys()).apiKeyRevokeCommand(ctx, nameOrId)));
}
