import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/runCli.ts';
import { hasShared, onSamplesName, sharedDir } from '../support/sharedSamples.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabases.ts';
import { expectBooksVerified } from '../support/booksVerified.ts';

const ucm = join(sharedDir, 'samples/cisco-ucm');
const expressway = join(sharedDir, 'samples/cisco-expressway');

describe.skipIf(!hasShared)(onSamplesName('confbill ingest of Cisco UCM and Expressway files on PGlite'), () => {
  let db: TestDatabase;
  const cli = (...args: string[]) => runCli(args, { env: db.env, now: '2026-11-27T12:00:00Z' });

  beforeAll(async () => {
    db = await createTestDatabase('pglite');
  });
  afterAll(async () => {
    await expectBooksVerified(db);
    await db?.drop();
  });

  it('ingests both CUCM CDR files, then again without change', async () => {
    const files = [join(ucm, 'cdr_lab_cucm10.5_subset.csv'), join(ucm, 'cdr_StandAloneCluster_04_201601141231_120716.csv')];
    const first = await cli('ingest', '--format', 'cucm-csv', '--source', 'cucm-1', ...files);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('Records read: 14. Calls new: 14, updated: 0, unchanged (duplicates): 0, refused changes to invoiced calls: 0, rejected: 0.');
    const again = await cli('ingest', '--format', 'cucm-csv', '--source', 'cucm-1', ...files);
    expect(again.stdout).toContain('Calls new: 0, updated: 0, unchanged (duplicates): 14');
  });

  it('ingests the Expressway records, excluding the B2BUA secondary component', async () => {
    const result = await cli('ingest', '--format', 'expressway-json', '--source', 'vcs-1', join(expressway, 'callusage-records-2018-08-13.json'), join(expressway, 'admin-guide-X14.2-sample-cdr.normalized.json'));
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Records read: 3. Calls new: 2, updated: 0, unchanged (duplicates): 0, refused changes to invoiced calls: 0, rejected: 0, excluded (not billable legs): 1 (B2BUA secondary component: 1).');
  });

  it('reads local time stamps in the configured source time zone, and counts per source', async () => {
    const dir = db.location.dataDir!;
    const config = join(dir, 'sources.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(config, 'sources: [{ id: vcs-sto, format: expressway-json, timezone: Europe/Stockholm }]\n');
    expect((await cli('apply', config)).status).toBe(0);
    // No --format: the configured source names it.
    expect((await cli('ingest', '--source', 'vcs-sto', join(expressway, 'callusage-records-2018-08-13.json'))).status).toBe(0);
    const rows = JSON.parse((await cli('report', 'untracked', '--json')).stdout) as { source: string; startedAt: string; durationSeconds: number }[];
    expect(rows.filter((r) => r.source === 'vcs-sto').map((r) => [r.startedAt, r.durationSeconds])).toEqual([['2018-08-13T05:58:44.375Z', 1372]]);
    const sources = JSON.parse((await cli('source', 'list', '--json')).stdout) as { source: string; calls: number; recordsRead: number; excluded: number; configured: boolean }[];
    expect(sources.map((s) => [s.source, s.configured, s.calls, s.recordsRead])).toEqual([['cucm-1', false, 14, 28], ['vcs-1', false, 2, 3], ['vcs-sto', true, 2, 2]]);
  });

  it('lists the connected legs (no customer configured) as untracked, never the 0 s ones', async () => {
    const rows = JSON.parse((await cli('report', 'untracked', '--json')).stdout) as { source: string; externalId: string; reason: string }[];
    expect(rows.map((r) => [r.source, r.externalId, r.reason]).sort()).toEqual([
      ['cucm-1', '1-22020-22670646-22670648', 'no-customer'],
      ['cucm-1', '1-23018-23979658-23979659', 'no-customer'],
      ['cucm-1', '4-872185-75390595-75390608', 'no-customer'],
      ['cucm-1', '4-872186-75390609-75390612', 'no-customer'],
      ['vcs-1', '8f7d23d5-f967-4067-bd6d-2ea1229b6959', 'no-customer'],
      ['vcs-sto', '8f7d23d5-f967-4067-bd6d-2ea1229b6959', 'no-customer'],
    ]);
  });
});
