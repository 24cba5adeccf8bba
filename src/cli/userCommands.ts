import { checkedAccessName } from '../domain/accessName.ts';
import { checkedAccessRole } from '../domain/checkedAccessRole.ts';
import { checkPasswordPolicy } from '../services/passwordHash.ts';
import { addUser, disableUser, listUsers } from '../services/users.ts';
import { printJson, println, withDatabase, type CliContext } from './cliContext.ts';
import { newPassword } from './newPassword.ts';
import { terminalSafeText } from './terminalSafeText.ts';

export async function userAddCommand(ctx: CliContext, options: { name: string; role: string; passwordStdin?: boolean }): Promise<number> {
  // Checked before the password is asked for, so nobody types it twice for a name that is refused.
  checkedAccessName(options.name, 'user name');
  checkedAccessRole(options.role);
  const password = await newPassword(ctx, { passwordStdin: options.passwordStdin, userName: options.name });
  checkPasswordPolicy(password);
  return withDatabase(ctx, async (db) => {
    const user = await addUser(db, { name: options.name, role: options.role, password, actor: ctx.user, now: ctx.now() });
    println(ctx, `User "${user.name}" added with role ${user.role} (id ${user.id}); they sign in to the Billing API with this name and password.`);
    return 0;
  });
}

export async function userListCommand(ctx: CliContext, options: { json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const users = await listUsers(db);
    if (options.json) {
      printJson(ctx, users);
      return 0;
    }
    if (users.length === 0) println(ctx, 'No users yet. Add the first administrator with `confbill user add --name admin --role admin`.');
    for (const u of users) {
      const state = u.disabledAt === null ? 'active' : `disabled ${u.disabledAt} by ${terminalSafeText(u.disabledBy ?? '')}`;
      println(ctx, `${terminalSafeText(u.name).padEnd(24)} ${u.role.padEnd(8)} added ${u.createdAt} by ${terminalSafeText(u.createdBy)}; ${state}`);
    }
    return 0;
  });
}

export async function userDisableCommand(ctx: CliContext, name: string): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const user = await disableUser(db, name, ctx.user, ctx.now());
    println(ctx, `User "${user.name}" disabled: they can no longer sign in, and their sessions have ended.`);
    return 0;
  });
}
