import type { Readable } from 'node:stream';
import type { Database } from '../storage/database.ts';
import { runBilling, type Progress } from './billingRun.ts';
import { cmsFormat, ingestCmsFile } from './ingestCmsRecords.ts';
import { addIngestSummary, emptyIngestSummary, ingestCalls, noRecordReadable, type IngestSummary } from './ingestCalls.ts';
import { resolveSource } from './sourceReaderOptions.ts';

/** One input of call data: a file, standard input or an uploaded body, by the name its rejects will carry. */
export interface CallDataInput {
  name: string;
  stream: Readable;
}

/** What became of one input: records read, none at all (empty), or none readable (every record rejected). */
export interface IngestedInput {
  name: string;
  summary: IngestSummary;
  outcome: 'read' | 'empty' | 'unreadable';
}

/**
 * The `ingest` use case of every face: reads each input in the format given or configured for the
 * source, stores calls and rejects, then matches and rates what changed. An unreadable input does not
 * stop the others; the caller says what to do about it (the CLI exits 6).
 */
export async function ingestCallInputs(
  db: Database,
  inputs: readonly CallDataInput[],
  options: { format?: string; source?: string; now: Date; progress?: Progress },
): Promise<{ format: string; totals: IngestSummary; inputs: IngestedInput[] }> {
  const resolved = await resolveSource(db, options);
  const totals = emptyIngestSummary();
  const results: IngestedInput[] = [];
  for (const input of inputs) {
    // CMS sends a leg's records apart: they are stored and legs assembled across inputs (ingestCmsRecords.ts).
    const summary = resolved.format.name === cmsFormat
      ? await ingestCmsFile(db, input.stream, { source: options.source ?? 'cms', file: input.name, mapping: resolved.reader.mapping })
      : await ingestCalls(db, resolved.format.reader, input.stream, { format: resolved.format.name, file: input.name, source: options.source, reader: resolved.reader });
    addIngestSummary(totals, summary);
    results.push({ name: input.name, summary, outcome: noRecordReadable(summary) ? 'unreadable' : summary.read === 0 ? 'empty' : 'read' });
  }
  await runBilling(db, { now: options.now, progress: options.progress });
  return { format: resolved.format.name, totals, inputs: results };
}
