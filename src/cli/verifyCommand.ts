import { verifyBooks } from '../services/verifyBooks.ts';
import { printJson, println, withDatabase, type CliContext } from './cliContext.ts';
import { exitCodeOf } from './exitCodes.ts';
import { countText } from './countText.ts';

/** Checks the books' invariants; exits non-zero when one fails. */
export async function verifyCommand(ctx: CliContext, options: { json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const result = await verifyBooks(db);
    if (options.json) {
      printJson(ctx, result);
    } else {
      for (const c of result.checks) {
        println(ctx, `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.rule}${c.ok ? '' : ` — ${countText(c.violations, 'violation')}`}`);
        for (const example of c.examples) println(ctx, `       ${JSON.stringify(example)}`);
        for (const note of c.notes ?? []) println(ctx, `       note: ${note}`);
      }
      println(ctx, result.ok ? 'The books are consistent.' : `${result.checks.filter((c) => !c.ok).length} invariant(s) failed.`);
    }
    return result.ok ? 0 : exitCodeOf['invariant-violated'];
  });
}
