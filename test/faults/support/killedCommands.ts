import { resolveSource } from '../../../src/services/sourceReaderOptions.ts';
import { ingestCalls } from '../../../src/services/ingestCalls.ts';
import { createReadStream } from 'node:fs';
import { crashMonth } from './crashInput.ts';
import { ingestAll, type KilledCommand } from './killedCommandSuite.ts';

/** `confbill ingest` of the month's files into a database with the configuration applied. */
export const killedIngest: KilledCommand = {
  name: 'ingest',
  prepare: async () => undefined,
  args: (input) => ['ingest', '--format', 'confbill-csv', ...input.csvPaths],
  // Three transactions of calls, then rating.
  size: { customers: 40, legs: 1_500, files: 3 },
};

/**
 * `confbill rate` after a fresh ingest made every customer dirty: the calls are stored and matched
 * as `confbill ingest` stores them (the same service, in this process), but not yet rated, so the
 * run writes every customer's billing data.
 */
export const killedRating: KilledCommand = {
  name: 'rate',
  prepare: async (db, input) => {
    const open = await db.open();
    try {
      const resolved = await resolveSource(open, { format: 'confbill-csv' });
      for (const file of input.csvPaths) await ingestCalls(open, resolved.format.reader, createReadStream(file), { format: 'confbill-csv', file, reader: resolved.reader });
    } finally {
      await open.close();
    }
  },
  args: () => ['rate'],
  // Rating commits every 50 customers: two transactions.
  size: { customers: 60, legs: 1_500, files: 1 },
};

/** `confbill invoice generate --all` for the month, once its calls are ingested and rated. */
export const killedInvoiceRun: KilledCommand = {
  name: 'invoice generate',
  prepare: ingestAll,
  args: () => ['invoice', 'generate', '--all', '--from', crashMonth.from, '--to', crashMonth.to],
  // One transaction per customer.
  size: { customers: 20, legs: 1_500, files: 1 },
};
