import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { terminalSafeText } from './terminalSafeText.ts';

/**
 * An error that is not a BillingError is a bug or an outage. The person at the terminal gets one
 * line that names it and where its details are; the stack, the cause chain and the command go to a
 * new log file in the temporary folder (not the data folder, which may be the thing that is broken,
 * and which a PostgreSQL setup does not have). A stack trace never reaches the terminal.
 */
export function unexpectedErrorReport(error: unknown, argv: readonly string[], at: Date): string {
  const summary = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const firstLine = terminalSafeText(summary.split('\n', 1)[0]!.slice(0, 300));
  const file = join(tmpdir(), `confbill-error-${at.toISOString().replace(/[:.]/g, '-')}-${process.pid}.log`);
  const details = [`confbill ${argv.join(' ')}`, `at ${at.toISOString()}, Node.js ${process.version}, pid ${process.pid}`, '', inspect(error, { depth: 6 }), ''].join('\n');
  try {
    // A new file readable by its owner only: the details may hold customer data.
    writeFileSync(file, details, { flag: 'wx', mode: 0o600 });
    return `confbill: unexpected error (${firstLine}); details in ${file}`;
  } catch {
    return `confbill: unexpected error (${firstLine}); its details could not be written to ${tmpdir()}`;
  }
}
