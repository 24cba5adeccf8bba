import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { isBillingError } from '../../src/domain/billingError.ts';
import type { CliContext } from '../../src/cli/cliContext.ts';
import { exitCodeOf } from '../../src/cli/exitCodes.ts';
import { ingestCommand } from '../../src/cli/ingestCommand.ts';
import { callsCsv } from '../support/billingFixtures.ts';
import { formatSamples, sampleFile } from '../support/formatSamples.ts';
import { createTestDatabase, databaseKinds } from '../support/testDatabases.ts';

const folder = mkdtempSync(join(tmpdir(), 'confbill-ingest-files-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

const dmaSample = formatSamples.find((s) => s.format === 'dma-csv')!;
const good = file('good.csv', callsCsv('mcu-a', [['g1', '2026-10-05T09:00:00Z', 60, 'video', 'inbound', 'room@a.example'], ['g2', '2026-10-05T10:00:00Z', 60, 'bogus', 'inbound', 'room@a.example']]));
const dma = file('dma-export.csv', sampleFile(dmaSample, 2));
const empty = file('empty.csv', callsCsv('mcu-a', []));
const allBad = file('all-bad.csv', callsCsv('mcu-a', [['b1', 'yesterday', 60, 'video', 'inbound', 'x'], ['b2', '2026-10-05T09:00:00Z', -1, 'video', 'inbound', 'x']]));
const garbage = file('notes.txt', 'This is not call data at all.\nJust a note.\n');

/** Runs `confbill ingest` in this process; the exit status as main() would give it, and what it printed. */
async function ingest(location: { databaseUrl?: string; dataDir?: string }, files: string[], options: { format?: string; source?: string }): Promise<{ status: number; stdout: string; error: string }> {
  const stdout = new PassThrough();
  let printed = '';
  stdout.on('data', (d: Buffer) => (printed += d.toString()));
  const ctx: CliContext = { databaseUrl: location.databaseUrl, dataDir: location.dataDir ?? folder, now: () => new Date('2026-11-20T00:00:00Z'), user: 'test', stdout, stderr: new PassThrough(), stdin: Readable.from([]) };
  try {
    return { status: await ingestCommand(ctx, files, options), stdout: printed, error: '' };
  } catch (error) {
    if (!isBillingError(error)) throw error;
    return { status: exitCodeOf[error.code], stdout: printed, error: error.message };
  }
}

describe.each(databaseKinds)('confbill ingest, file by file, on %s', (kind) => {
  it('a file no record of which can be read exits 6 naming the file, the format and the right one; the other files still go in', async () => {
    const testDb = await createTestDatabase(kind);
    try {
      // The case: a confbill-csv file read as dma-csv.
      const wrong = await ingest(testDb.location, [good], { format: 'dma-csv' });
      expect(wrong.status).toBe(6);
      expect(wrong.error).toBe(`No record of ${good} could be read as dma-csv (first reject, line 1: the header row lacks the columns callType, callUuid, startTime, endTime (is this the call CDR file of the DMA export?); no row of this file can be read). It looks like confbill-csv: run again with --format confbill-csv.`);

      const mixed = await ingest(testDb.location, [good, dma, empty, allBad, garbage], { format: 'confbill-csv' });
      expect(mixed.status).toBe(6);
      expect(mixed.error.split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^No record of ${dma} could be read as confbill-csv \\(first reject, line 1: the header row lacks the columns source, externalId, .*\\)\\. It looks like dma-csv: run again with --format dma-csv\\.$`)),
        `No record of ${allBad} could be read as confbill-csv (first reject, line 2: startedAt "yesterday" is not an ISO 8601 instant with an offset or Z). Check that it is a confbill-csv file, or give its format with --format.`,
        expect.stringMatching(new RegExp(`^No record of ${garbage} could be read as confbill-csv .*Check that it is a confbill-csv file, or give its format with --format\\.$`)),
      ]);
      expect(mixed.stdout).toContain('Records read: 6. Calls new: 1, updated: 0, unchanged (duplicates): 0, refused changes to invoiced calls: 0, rejected: 5.');
      expect(mixed.stdout).toContain(`${empty}: no records.`);

      const db = await testDb.open();
      try {
        expect((await db.query<{ external_id: string }>('SELECT external_id FROM calls ORDER BY external_id')).map((r) => r.external_id)).toEqual(['g1']);
        // Every reject kept: good.csv's header as dma-csv and its row g2, the headers of the DMA file and the note, both rows of all-bad.csv.
        const rejects = await db.query<{ file: string; n: number }>('SELECT file, count(*)::int AS n FROM ingest_rejects GROUP BY file ORDER BY file');
        expect(Object.fromEntries(rejects.map((r) => [r.file, r.n]))).toEqual({ [allBad]: 2, [dma]: 1, [good]: 2, [garbage]: 1 });
      } finally {
        await db.close();
      }

      const fine = await ingest(testDb.location, [good, empty], { format: 'confbill-csv' });
      expect([fine.status, fine.error]).toEqual([0, '']);
      expect(fine.stdout).toContain(`${empty}: no records.`);
    } finally {
      await testDb.drop();
    }
  });
});
