import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { BillingError } from '../domain/billingError.ts';
import { checkedSourceId } from '../domain/sourceId.ts';
import { callDataFormatNamed, callDataFormats } from '../ingest/callDataFormats.ts';
import { sniffBytes, sniffCallDataFormat } from '../ingest/sniffCallDataFormat.ts';
import type { IngestSummary } from '../services/ingestCalls.ts';
import { ingestCallInputs } from '../services/ingestCallInputs.ts';
import { println, withDatabase, type CliContext } from './cliContext.ts';
import { progressReporter } from './progressBar.ts';
import { terminalSafeText } from './terminalSafeText.ts';

function openInput(ctx: CliContext, file: string): { stream: Readable; size?: number } {
  if (file === '-') return { stream: ctx.stdin as Readable };
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new BillingError('unreadable-input', `Cannot read ${file}: no such file. Check the path.`);
  }
  return { stream: createReadStream(file), size };
}

/** The first bytes of a file, for guessing its format; none for standard input (already read). */
function headOf(file: string): Buffer | undefined {
  if (file === '-') return undefined;
  try {
    const fd = openSync(file, 'r');
    try {
      const head = Buffer.alloc(sniffBytes);
      return head.subarray(0, readSync(fd, head, 0, sniffBytes, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** One sentence for a file none of whose records could be read: which file, as what, why, and the format it seems to be. */
async function unreadableFileSentence(file: string, format: string, summary: IngestSummary): Promise<string> {
  const first = summary.firstRejects[0];
  const why = first ? ` (first reject${first.line === null ? '' : `, line ${first.line}`}: ${first.reason})` : '';
  const head = headOf(file);
  const guess = head && (await sniffCallDataFormat(head, format));
  const hint = guess ? `It looks like ${guess}: run again with --format ${guess}` : `Check that it is a ${format} file, or give its format with --format`;
  return `No record of ${file === '-' ? 'standard input' : file} could be read as ${format}${why}. ${hint}.`;
}

function countingBytes(onBytes: (n: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      onBytes(total);
      done(null, chunk);
    },
  });
}

export async function ingestCommand(ctx: CliContext, files: string[], options: { format?: string; source?: string }): Promise<number> {
  if (options.format && !callDataFormatNamed(options.format)) throw new BillingError('invalid-argument', `Unknown --format "${options.format}". Known formats: ${Object.keys(callDataFormats).join(', ')}.`);
  if (files.length === 0) throw new BillingError('invalid-argument', 'Name at least one FILE to ingest (or - for standard input).');
  if (options.source !== undefined) checkedSourceId(options.source, '--source');
  const inputs = files.map((file) => ({ file, ...openInput(ctx, file) }));
  return withDatabase(ctx, async (db) => {
    const progress = progressReporter(ctx);
    const kib = (n: number): number => Math.round(n / 1024);
    let outcome: Awaited<ReturnType<typeof ingestCallInputs>>;
    try {
      outcome = await ingestCallInputs(
        db,
        inputs.map((input) => ({ name: input.file, stream: input.stream.pipe(countingBytes((n) => progress.update(`reading ${input.file} (KiB)`, kib(n), input.size === undefined ? undefined : kib(input.size)))) })),
        { format: options.format, source: options.source, now: ctx.now(), progress: (phase, done, total) => progress.update(phase, done, total) },
      );
    } finally {
      progress.stop();
    }
    const { totals } = outcome;
    const unreadable = outcome.inputs.filter((i) => i.outcome === 'unreadable');
    const empty = outcome.inputs.filter((i) => i.outcome === 'empty').map((i) => i.name);
    println(ctx, `Records read: ${totals.read}. Calls new: ${totals.new}, updated: ${totals.updated}, unchanged (duplicates): ${totals.unchanged}, refused changes to invoiced calls: ${totals.conflicts}, rejected: ${totals.rejected}${totals.excluded ? `, excluded (not billable legs): ${totals.excluded} (${Object.entries(totals.excludedReasons).map(([r, n]) => `${terminalSafeText(r)}: ${n}`).join(', ')})` : ''}.`);
    for (const r of totals.firstRejects) println(ctx, `  rejected ${terminalSafeText(r.file)}${r.line === null ? '' : ` line ${r.line}`}${r.field ? ` field ${terminalSafeText(r.field)}` : ''}: ${terminalSafeText(r.reason)}`);
    if (totals.rejected > totals.firstRejects.length) println(ctx, `  … and ${totals.rejected - totals.firstRejects.length} more: see \`confbill report rejected\`.`);
    if (totals.conflicts > 0) println(ctx, '  The refused changes, with their old and new values: see `confbill report refused-changes`.');
    for (const file of empty) println(ctx, `  ${terminalSafeText(file)}: no records.`);
    // The other files went in and the rejects are kept; the status says that a whole file did not.
    if (unreadable.length) {
      const sentences = await Promise.all(unreadable.map((u) => unreadableFileSentence(u.name, outcome.format, u.summary)));
      throw new BillingError('unreadable-input', sentences.join('\n'));
    }
    return 0;
  });
}
