import { createApiKey, listApiKeys, revokeApiKey } from '../services/apiKeys.ts';
import { printJson, println, withDatabase, type CliContext } from './cliContext.ts';
import { terminalSafeText } from './terminalSafeText.ts';

/** Prints what was made, then the key alone on the last line (`… | tail -n 1` in scripts): the only time it is shown. */
export async function apiKeyCreateCommand(ctx: CliContext, options: { name: string; role: string }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const { key, secret } = await createApiKey(db, { name: options.name, role: options.role, actor: ctx.user, now: ctx.now() });
    println(ctx, `API key "${key.name}" created with role ${key.role} (id ${key.id}, starts cbk_${key.prefix}_).`);
    println(ctx, `Store it now: it is shown only this once and cannot be recovered. Revoke it with \`confbill apikey revoke ${key.name}\`.`);
    println(ctx, secret);
    return 0;
  });
}

export async function apiKeyListCommand(ctx: CliContext, options: { json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const keys = await listApiKeys(db);
    if (options.json) {
      printJson(ctx, keys);
      return 0;
    }
    if (keys.length === 0) println(ctx, 'No API keys yet. Create one with `confbill apikey create --name NAME --role ROLE`.');
    for (const k of keys) {
      const used = k.lastUsedAt === null ? 'never used' : `last used ${k.lastUsedAt}`;
      const state = k.revokedAt === null ? 'active' : `revoked ${k.revokedAt} by ${terminalSafeText(k.revokedBy ?? '')}`;
      println(ctx, `${terminalSafeText(k.name).padEnd(24)} ${k.role.padEnd(8)} cbk_${k.prefix}_…  ${k.id}  created ${k.createdAt} by ${terminalSafeText(k.createdBy)}; ${used}; ${state}`);
    }
    return 0;
  });
}

export async function apiKeyRevokeCommand(ctx: CliContext, nameOrId: string): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const key = await revokeApiKey(db, nameOrId, ctx.user, ctx.now());
    println(ctx, `API key "${key.name}" (id ${key.id}) revoked: it no longer works.`);
    return 0;
  });
}
