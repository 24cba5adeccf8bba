import { createInterface } from 'node:readline';
import { BillingError } from '../domain/billingError.ts';
import type { CliContext } from './cliContext.ts';
import { terminalSafeText } from './terminalSafeText.ts';

/**
 * Asks before an irreversible command: on a terminal the question and [y/N], where
 * only "y" or "yes" goes on; `--yes` answers for scripts; without a terminal and without `--yes`
 * the command is refused, since nobody could have been asked. Returns whether to go on.
 */
export async function confirmAction(ctx: Pick<CliContext, 'stdin' | 'stdout'>, question: string, options: { yes?: boolean; flagHint: string }): Promise<boolean> {
  if (options.yes) return true;
  if (!ctx.stdin.isTTY || !ctx.stdout.isTTY) {
    throw new BillingError('invalid-argument', `${options.flagHint} is irreversible and asks first, but there is no terminal to ask on: add --yes to do it without asking.`);
  }
  ctx.stdout.write(`${terminalSafeText(question)} [y/N] `);
  // The first line typed is the answer (also one typed ahead); end of input (Ctrl-D) answers no.
  const lines = createInterface({ input: ctx.stdin, terminal: false });
  try {
    const answer = await new Promise<string>((resolve) => {
      lines.once('line', resolve);
      lines.once('close', () => resolve(''));
    });
    return /^\s*y(es)?\s*$/i.test(answer);
  } finally {
    lines.close();
  }
}
