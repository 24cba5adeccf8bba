import { createReadStream, statSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { BillingError } from '../domain/billingError.ts';
import { checkedSourceId } from '../domain/sourceId.ts';
import { callDataFormatNamed, callDataFormats } from '../ingest/callDataFormats.ts';
import { resolveSource } from '../services/sourceReaderOptions.ts';
import { runBilling } from '../services/billingRun.ts';
import { cmsFormat, ingestCmsFile } from '../services/ingestCmsRecords.ts';
import { addIngestSummary, emptyIngestSummary, ingestCalls, type IngestSummary } from '../services/ingestCalls.ts';
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
    const resolved = await resolveSource(db, options);
    const reader = resolved.format.reader;
    const progress = progressReporter(ctx);
    const totals: IngestSummary = emptyIngestSummary();
    try {
      for (const input of inputs) {
        const kib = (n: number): number => Math.round(n / 1024);
        const stream = input.stream.pipe(countingBytes((n) => progress.update(`reading ${input.file} (KiB)`, kib(n), input.size === undefined ? undefined : kib(input.size))));
        // CMS sends a leg's records apart: they are stored and legs assembled across files (services/ingestCmsRecords.ts).
        const summary = resolved.format.name === cmsFormat
          ? await ingestCmsFile(db, stream, { source: options.source ?? 'cms', file: input.file, mapping: resolved.reader.mapping })
          : await ingestCalls(db, reader, stream, { format: resolved.format.name, file: input.file, source: options.source, reader: resolved.reader });
        addIngestSummary(totals, summary);
      }
      await runBilling(db, { now: ctx.now(), progress: (phase, done, total) => progress.update(phase, done, total) });
    } finally {
      progress.stop();
    }
    println(ctx, `Records read: ${totals.read}. Calls new: ${totals.new}, updated: ${totals.updated}, unchanged (duplicates): ${totals.unchanged}, refused changes to invoiced calls: ${totals.conflicts}, rejected: ${totals.rejected}${totals.excluded ? `, excluded (not billable legs): ${totals.excluded} (${Object.entries(totals.excludedReasons).map(([r, n]) => `${terminalSafeText(r)}: ${n}`).join(', ')})` : ''}.`);
    for (const r of totals.firstRejects) println(ctx, `  rejected ${terminalSafeText(r.file)}${r.line === null ? '' : ` line ${r.line}`}${r.field ? ` field ${terminalSafeText(r.field)}` : ''}: ${terminalSafeText(r.reason)}`);
    if (totals.rejected > totals.firstRejects.length) println(ctx, `  … and ${totals.rejected - totals.firstRejects.length} more: see \`confbill report rejected\`.`);
    if (totals.conflicts > 0) println(ctx, '  The refused changes, with their old and new values: see `confbill report refused-changes`.');
    return 0;
  });
}
