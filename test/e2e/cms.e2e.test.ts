import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/runCli.ts';
import { hasShared, onSamplesName, sharedDir } from '../support/sharedSamples.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabases.ts';
import { expectBooksVerified } from '../support/booksVerified.ts';

const capture = join(sharedDir, 'samples/cisco-cms/capture-2017-04-24');

describe.skipIf(!hasShared)(onSamplesName('confbill ingest --format cms-xml'), () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('pglite');
  });
  afterAll(async () => {
    await expectBooksVerified(db);
    await db?.drop();
  });

  it('ingests the JSON-lines capture, then the same posts as XML files and the conflicting callEnd without change', async () => {
    const first = await runCli(['ingest', '--format', 'cms-xml', '--source', 'cms-oslo', join(capture, 'posts.jsonl')], { env: db.env });
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('Records read: 10. Calls new: 3, updated: 0');
    const files = readdirSync(capture).filter((f) => f.endsWith('.xml')).map((f) => join(capture, f));
    const again = await runCli(['ingest', '--format', 'cms-xml', '--source', 'cms-oslo', ...files.reverse(), join(sharedDir, 'samples/cisco-cms/fixture-conflicting-callEnd.xml')], { env: db.env });
    expect(again.stdout).toContain('Calls new: 0, updated: 0');
    expect(again.stdout).toContain('rejected: 1');
    expect(again.stdout).toContain('field correlatorIndex');
  });
});
