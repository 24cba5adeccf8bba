import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BillingError } from '../domain/billingError.ts';
import { applyConfig } from '../services/applyConfig.ts';
import { runBilling } from '../services/billingRun.ts';
import { parseProviderConfig } from '../services/providerConfig.ts';
import { println, withDatabase, type CliContext } from './cliContext.ts';

export async function applyCommand(ctx: CliContext, file: string): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new BillingError('unreadable-input', `Cannot read ${file}: no such file. Check the path.`);
  }
  const config = parseProviderConfig(text, file);
  return withDatabase(ctx, async (db) => {
    const s = await applyConfig(db, config, 'apply', { baseDir: dirname(resolve(file)) });
    const billing = await runBilling(db, { now: ctx.now() });
    println(ctx, `Applied ${file}: ${s.customersChanged} customers, ${s.plansCreated} new plans, ${s.plansChanged} changed plans, ${s.assignmentsChanged} assignments, ${s.sourcesChanged} sources and mappings, ${s.settingsChanged} settings changed.${s.rematch ? ` Calls matched again: ${billing.match.matched + billing.match.noCustomer + billing.match.ambiguous}.` : ''}`);
    return 0;
  });
}
