import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BillingError } from '../domain/billingError.ts';
import type { ApplySummary, ObjectChange } from '../services/applyConfig.ts';
import { applyProviderConfig } from '../services/applyProviderConfig.ts';
import { parseProviderConfig } from '../services/providerConfig.ts';
import { printJson, println, withDatabase, type CliContext } from './cliContext.ts';
import { countText } from './countText.ts';
import { terminalSafeText } from './terminalSafeText.ts';

const valueText = (v: unknown): string => terminalSafeText(JSON.stringify(v ?? null));

/** One block per object: "plan gold: changed" then a line per field, old → new (a new object: its values). */
export function changeLines(changes: readonly ObjectChange[]): string[] {
  const lines: string[] = [];
  for (const c of changes) {
    lines.push(`  ${c.kind === 'settings' ? 'settings' : `${c.kind} ${terminalSafeText(c.id)}`}: ${c.action}`);
    for (const f of c.fields) {
      const reverted = c.revertedFields?.includes(f.field) ? '  (reverts an edit made since the file was last applied)' : '';
      lines.push(`    ${terminalSafeText(f.field)}: ${c.action === 'created' ? valueText(f.newValue) : `${valueText(f.oldValue)} → ${valueText(f.newValue)}`}${reverted}`);
    }
  }
  return lines;
}

/** The counts that are not 0, such as "1 customer, 2 assignments". */
function countsText(s: ApplySummary): string {
  const counts: [number, string][] = [
    [s.customersChanged, countText(s.customersChanged, 'customer')],
    [s.plansCreated, countText(s.plansCreated, 'new plan')],
    [s.plansChanged, countText(s.plansChanged, 'changed plan')],
    [s.assignmentsChanged, countText(s.assignmentsChanged, 'assignment')],
    [s.elementsChanged, countText(s.elementsChanged, 'one-off charge')],
    [s.sourcesChanged, countText(s.sourcesChanged, 'source or mapping', 'sources and mappings')],
    [s.settingsChanged, countText(s.settingsChanged, 'setting')],
  ];
  return counts.filter(([n]) => n > 0).map(([, text]) => text).join(', ');
}

const inAll = (s: ApplySummary): string[] => (countsText(s) ? [`In all: ${countsText(s)}.`] : []);

export async function applyCommand(ctx: CliContext, file: string, options: { dryRun?: boolean; force?: boolean; json?: boolean } = {}): Promise<number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new BillingError('unreadable-input', `Cannot read ${file}: no such file. Check the path.`);
  }
  const config = parseProviderConfig(text, file);
  return withDatabase(ctx, async (db) => {
    const s = await applyProviderConfig(db, config, ctx.user, { dryRun: options.dryRun, force: options.force, baseDir: dirname(resolve(file)), now: ctx.now() });
    if (options.dryRun) {
      if (options.json) printJson(ctx, { dryRun: true, changes: s.changes });
      else if (s.changes.length === 0) println(ctx, `Dry run of ${file}: nothing would change.`);
      else println(ctx, [`Dry run of ${file}, nothing was changed. Applying it would change:`, ...changeLines(s.changes), ...inAll(s)].join('\n'));
      return 0;
    }
    const rematched = s.callsMatchedAgain;
    if (options.json) printJson(ctx, { dryRun: false, changes: s.changes, ...(rematched !== undefined ? { callsMatchedAgain: rematched } : {}) });
    else if (s.changes.length === 0) println(ctx, `Applied ${file}: nothing changed.`);
    else println(ctx, [`Applied ${file}:`, ...changeLines(s.changes), ...inAll(s), ...(rematched !== undefined ? [`Calls matched again: ${rematched}.`] : [])].join('\n'));
    return 0;
  });
}
