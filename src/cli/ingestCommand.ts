import { createReadStream, statSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { BillingError } from '../domain/billingError.ts';
import { readConfbillCsv } from '../ingest/confbill-csv/readConfbillCsv.ts';
import type { CallRecordReader } from '../ingest/ingestRecord.ts';
import { runBilling } from '../services/billingRun.ts';
import { ingestCalls, type IngestSummary } from '../services/ingestCalls.ts';
import { println, withDatabase, type CliContext } from './cliContext.ts';
import { progressReporter } from './progressBar.ts';

/** The formats `confbill ingest --format` reads; vendor adapters add themselves here. */
export const readers: Record<string, CallRecordReader> = {
  'confbill-csv': readConfbillCsv,
};

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

export async function ingestCommand(ctx: CliContext, files: string[], options: { format: string; source?: string }): Promise<number> {
  const reader = readers[options.format];
  if (!reader) throw new BillingError('invalid-argument', `Unknown --format "${options.format}". Known formats: ${Object.keys(readers).join(', ')}.`);
  if (files.length === 0) throw new BillingError('invalid-argument', 'Name at least one FILE to ingest (or - for standard input).');
  const inputs = files.map((file) => ({ file, ...openInput(ctx, file) }));
  return withDatabase(ctx, async (db) => {
    const progress = progressReporter(ctx);
    const totals: IngestSummary = { read: 0, new: 0, updated: 0, unchanged: 0, conflicts: 0, rejected: 0, firstRejects: [] };
    try {
      for (const input of inputs) {
        const kib = (n: number): number => Math.round(n / 1024);
        const stream = input.stream.pipe(countingBytes((n) => progress.update(`reading ${input.file} (KiB)`, kib(n), input.size === undefined ? undefined : kib(input.size))));
        const summary = await ingestCalls(db, reader, stream, { format: options.format, file: input.file, source: options.source });
        for (const key of ['read', 'new', 'updated', 'unchanged', 'conflicts', 'rejected'] as const) totals[key] += summary[key];
        totals.firstRejects.push(...summary.firstRejects.slice(0, 10 - totals.firstRejects.length));
      }
      await runBilling(db, { now: ctx.now(), progress: (phase, done, total) => progress.update(phase, done, total) });
    } finally {
      progress.stop();
    }
    println(ctx, `Records read: ${totals.read}. Calls new: ${totals.new}, updated: ${totals.updated}, unchanged (duplicates): ${totals.unchanged}, refused changes to invoiced calls: ${totals.conflicts}, rejected: ${totals.rejected}.`);
    for (const r of totals.firstRejects) println(ctx, `  rejected ${r.file}${r.line === null ? '' : ` line ${r.line}`}${r.field ? ` field ${r.field}` : ''}: ${r.reason}`);
    if (totals.rejected > totals.firstRejects.length) println(ctx, `  … and ${totals.rejected - totals.firstRejects.length} more: see \`confbill report rejected\`.`);
    return 0;
  });
}
