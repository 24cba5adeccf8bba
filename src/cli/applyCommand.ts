import { readFileSync } from 'node:fs';
import { BillingError } from '../domain/billingError.ts';
import { applyConfig, type ApplySummary, type ObjectChange } from '../services/applyConfig.ts';
import { runBilling } from '../services/billingRun.ts';
import { parseProviderConfig } from '../services/providerConfig.ts';
import { printJson, println, withDatabase, type CliContext } from './cliContext.ts';
import { terminalSafeText } from './terminalSafeText.ts';

const valueText = (v: unknown): string => terminalSafeText(JSON.stringify(v ?? null));

/** One block per object: "plan gold: changed" then a line per field, old → new (a new object: its values). */
export function changeLines(changes: readonly ObjectChange[]): string[] {
  const lines: string[] = [];
  for (const c of changes) {
    lines.push(`  ${c.kind} ${terminalSafeText(c.id)}: ${c.action}`);
    for (const f of c.fields) {
      const reverted = c.revertedFields?.includes(f.field) ? '  (puts back the value in force before an edit made since the file was last applied)' : '';
      lines.push(`    ${terminalSafeText(f.field)}: ${c.action === 'created' ? valueText(f.newValue) : `${valueText(f.oldValue)} → ${valueText(f.newValue)}`}${reverted}`);
    }
  }
  return lines;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function countsText(s: ApplySummary): string {
  return [
    plural(s.customersChanged, 'customer'),
    plural(s.plansCreated, 'new plan'),
    plural(s.plansChanged, 'changed plan'),
    plural(s.assignmentsChanged, 'assignment'),
    plural(s.elementsChanged, 'one-off charge'),
    plural(s.sourcesChanged, 'source or mapping', 'sources and mappings'),
    plural(s.settingsChanged, 'setting'),
  ].join(', ');
}

export async function applyCommand(ctx: CliContext, file: string, options: { dryRun?: boolean; force?: boolean; json?: boolean } = {}): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new BillingError('unreadable-input', `Cannot read ${file}: no such file. Check the path.`);
  }
  const config = parseProviderConfig(text, file);
  return withDatabase(ctx, async (db) => {
    const s = await applyConfig(db, config, ctx.user, { dryRun: options.dryRun, force: options.force });
    if (options.dryRun) {
      if (options.json) printJson(ctx, { dryRun: true, changes: s.changes });
      else if (s.changes.length === 0) println(ctx, `Dry run of ${file}: nothing would change.`);
      else println(ctx, [`Dry run of ${file}, nothing was changed. Applying it would change:`, ...changeLines(s.changes), `In all: ${countsText(s)}.`].join('\n'));
      return 0;
    }
    const billing = await runBilling(db, { now: ctx.now() });
    const rematched = s.rematch ? billing.match.matched + billing.match.noCustomer + billing.match.ambiguous : undefined;
    if (options.json) printJson(ctx, { dryRun: false, changes: s.changes, ...(rematched !== undefined ? { callsMatchedAgain: rematched } : {}) });
    else if (s.changes.length === 0) println(ctx, `Applied ${file}: nothing changed.`);
    else println(ctx, [`Applied ${file}:`, ...changeLines(s.changes), `In all: ${countsText(s)} changed.${rematched !== undefined ? ` Calls matched again: ${rematched}.` : ''}`].join('\n'));
    return 0;
  });
}
