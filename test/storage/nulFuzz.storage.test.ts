import fc from 'fast-check';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { callDataFormats } from '../../src/ingest/callDataFormats.ts';
import { ingestCalls, type IngestSummary } from '../../src/services/ingestCalls.ts';
import { cmsFormat, ingestCmsFile } from '../../src/services/ingestCmsRecords.ts';
import type { Database } from '../../src/storage/database.ts';
import { applyMutation, mutations } from '../support/formatMutations.ts';
import { formatSamples } from '../support/formatSamples.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';
import { fuzzRuns } from '../support/fuzzRuns.ts';

const count = 4;
/** Each run ingests a file into the database: fewer runs than the readers' own fuzz, each a whole ingest. */
const numRuns = fuzzRuns(25);

describe.each(databaseKinds)('ingest of files fuzzed with NUL bytes and control characters on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));
  let run = 0;

  async function ingest(format: string, text: string, source: string, file: string): Promise<IngestSummary> {
    const input = Readable.from([Buffer.from(text)]);
    if (format === cmsFormat) return ingestCmsFile(db, input, { source, file });
    return ingestCalls(db, callDataFormats[format]!.reader, input, { format, file, source });
  }

  it.each(formatSamples.map((s) => [s.format, s] as const))('%s: never fails; the batch goes in around the damaged records, whose rejects are stored', async (format, sample) => {
    const mutation = fc.oneof(mutations(sample, count, { anywhere: true }), mutations(sample, count, { anywhere: false }));
    await fc.assert(fc.asyncProperty(mutation, async (m) => {
      const { text, untouched } = applyMutation(sample, count, m);
      const source = `fz-${++run}`;
      const file = `fuzz-${run}.${format}`;
      const summary = await ingest(format, text, source, file);
      const [stored] = await db.query<{ calls: number; rejects: number }>(
        `SELECT (SELECT count(*)::int FROM calls WHERE source = $1) AS calls, (SELECT count(*)::int FROM ingest_rejects WHERE file = $2) AS rejects`, [source, file]);
      expect(stored!.calls).toBe(summary.new);
      if (format === cmsFormat) {
        // CMS counts records read and legs assembled apart; a leg's reject may repeat a record's.
        expect(stored!.rejects).toBeLessThanOrEqual(summary.rejected);
      } else {
        expect(summary.read).toBe(summary.new + summary.updated + summary.unchanged + summary.conflicts + summary.rejected + summary.excluded);
        expect(stored!.rejects).toBe(summary.rejected);
      }
      const externalIds = new Set((await db.query<{ id: string }>(`SELECT external_id AS id FROM calls WHERE source = $1`, [source])).map((r) => r.id));
      const wanted = untouched.map((i) => expectedExternalId(format, i));
      expect(wanted.filter((id) => !externalIds.has(id))).toEqual([]);
    }), { numRuns });
  });
});

/** The external id of record `i` of a sample, as formatSamples.ts builds it and each reader derives it. */
function expectedExternalId(format: string, i: number): string {
  switch (format) {
    case 'confbill-csv': return `leg-${i}`;
    case 'cms-xml': return `leg-${i}`;
    case 'pexip-history': return `p-${i}`;
    case 'pexip-events': return `e-${i}`;
    case 'cucm-csv': return `1-${1000 + i}-${2000 + i}-${3000 + i}`;
    case 'expressway-json': return `u-${i}`;
    case 'dma-csv': return `c-${i}#2026-06-01T08:00:00.000Z`;
    case 'sfb-csv': return `2026-10-05T09:00:00.123Z#${i + 1}`;
    case 'teams-json': return `rec-${i}/s-${i}`;
    default: throw new Error(`no sample for ${format}`);
  }
}
