import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/runCli.ts';
import { hasShared, onSamplesName, sharedDir } from '../support/sharedSamples.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabases.ts';
import { expectBooksVerified } from '../support/booksVerified.ts';

const samples = join(sharedDir, 'samples/pexip-infinity');

describe.skipIf(!hasShared)(onSamplesName('confbill ingest of Pexip Infinity samples (PGlite)'), () => {
  let db: TestDatabase;
  let dir: string;
  const cli = (...args: string[]) => runCli(args, { env: db.env, now: '2026-11-27T12:00:00Z' });

  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    dir = mkdtempSync(join(tmpdir(), 'confbill-pexip-'));
  });
  afterAll(async () => {
    await expectBooksVerified(db);
    await db?.drop();
  });

  it('ingests history participants and event sink events; the legs show as untracked (no customer) with their aliases', async () => {
    const history = await cli('ingest', '--format', 'pexip-history', '--source', 'pexip-1',
      join(samples, 'history-api/participant-2020-12-21.json'), join(samples, 'history-api/conference-2020-12-21.json'), join(samples, 'history-api/participant-docs-example-2015.json'));
    expect(history.stderr).toBe('');
    expect(history.status).toBe(0);
    expect(history.stdout).toContain('Records read: 3. Calls new: 2, updated: 0, unchanged (duplicates): 0, refused changes to invoiced calls: 0, rejected: 0, excluded (not billable legs): 1 (conference record, not a participant: 1).');

    const jsonl = join(dir, 'events.jsonl');
    writeFileSync(jsonl, ['eventsink-v1-fixture/participant_connected.json', 'eventsink-v1-fixture/participant_disconnected.json', 'eventsink-v2-docs/participant_disconnected.json']
      .map((f) => JSON.stringify(JSON.parse(readFileSync(join(samples, f), 'utf8')))).join('\n') + '\n');
    const events = await cli('ingest', '--format', 'pexip-events', '--source', 'pexip-1', jsonl);
    expect(events.status).toBe(0);
    expect(events.stdout).toContain('Records read: 3. Calls new: 2');
    expect(events.stdout).toContain('event without a finished leg: 1');

    const again = await cli('ingest', '--format', 'pexip-history', '--source', 'pexip-1', join(samples, 'history-api/participant-docs-example-2015.json'));
    expect(again.stdout).toContain('Calls new: 0, updated: 0, unchanged (duplicates): 1');

    const report = await cli('report', 'untracked', '--json');
    expect(report.status).toBe(0);
    const rows = JSON.parse(report.stdout) as { source: string; externalId: string; startedAt: string; durationSeconds: number; localAlias: string | null; remoteAlias: string | null; reason: string }[];
    expect(rows.map((r) => [r.externalId, r.startedAt, r.durationSeconds, r.localAlias, r.remoteAlias, r.reason])).toEqual([
      ['00000000-0000-0000-0000-000000000003', '2015-04-02T09:46:53.712Z', 519, 'meet@example.com', 'Infinity_Connect_Media_10.0.0.2', 'no-customer'],
      ['ac58a572-33e5-4b19-ac1c-f0b1d22215e6', '2019-06-07T08:58:06.593Z', 999, 'meet.webapp', 'Alice', 'no-customer'],
      ['a0ed2c58-f45b-4d96-a1cb-89812ec938ea', '2020-11-26T12:12:37.777Z', 160, 'meet.alice', null, 'no-customer'],
      ['a94332fc-7a07-4935-9f78-6f87bc4df0d0', '2020-12-21T08:39:50.905Z', 1178, 'meetup', 'Test', 'no-customer'],
    ]);
    expect(rows.every((r) => r.source === 'pexip-1')).toBe(true);
  });
});
