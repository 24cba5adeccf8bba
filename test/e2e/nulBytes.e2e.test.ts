import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvHeader } from '../support/billingFixtures.ts';
import { runCli } from '../support/runCli.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/testDatabases.ts';

/** What a person sees of an error: one line, no stack trace, no control character. */
function expectOneLineError(stderr: string): void {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  expect([...stderr.trimEnd()].every((c) => c >= ' ')).toBe(true);
}

describe.each(databaseKinds)('NUL bytes and hostile names at the command line on %s', (kind) => {
  let db: TestDatabase;
  let dir: string;
  const cli = (...args: string[]) => runCli(args, { env: db.env, now: '2026-11-27T12:00:00Z' });

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), 'confbill-nul-'));
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('confbill apply: a NUL in a YAML name is refused with its path in one line (exit 2), and nothing is applied', async () => {
    writeFileSync(join(dir, 'nul.yaml'), 'customers:\n  - { id: acme, name: "Ac\\0me" }\n  - { id: beta, name: Be\0ta }\n');
    const refused = await cli('apply', join(dir, 'nul.yaml'));
    expect(refused.status).toBe(2);
    expectOneLineError(refused.stderr);
    expect(refused.stderr).toBe(`confbill: ${join(dir, 'nul.yaml')} is not valid, nothing was applied: customers[0].name: contains a NUL byte (0x00); customers[1].name: contains a NUL byte (0x00).\n`);
    writeFileSync(join(dir, 'ok.yaml'), 'customers:\n  - { id: acme, name: Acme }\n');
    expect((await cli('apply', join(dir, 'ok.yaml'))).stdout).toContain('In all: 1 customer.');
  });

  it('confbill ingest: a NUL in a row rejects that row with file, line and field; the others go in; --source is a source id', async () => {
    const rows = ['ok-1', 'ok-2', 'nul', 'ok-3'].map((id) => `cli-src,${id},,2026-10-05T09:00:00Z,60,video,inbound,sip,${id === 'nul' ? 'ro\0om' : 'room'}@acme.example,,`);
    writeFileSync(join(dir, 'calls.csv'), `${csvHeader}\n${rows.join('\n')}\n`);
    const first = await cli('ingest', '--format', 'confbill-csv', join(dir, 'calls.csv'));
    expect(first.status).toBe(0);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('Records read: 4. Calls new: 3, updated: 0, unchanged (duplicates): 0, refused changes to invoiced calls: 0, rejected: 1.');
    expect(first.stdout).toContain(`rejected ${join(dir, 'calls.csv')} line 4 field localAlias: localAlias contains a NUL byte (0x00)`);
    const again = await cli('ingest', '--format', 'confbill-csv', join(dir, 'calls.csv'));
    expect(again.stdout).toContain('Calls new: 0, updated: 0, unchanged (duplicates): 3, refused changes to invoiced calls: 0, rejected: 1.');
    const rejected = JSON.parse((await cli('report', 'rejected', '--json')).stdout) as { line: number; field: string; raw: string }[];
    expect(rejected).toEqual([expect.objectContaining({ line: 4, field: 'localAlias', raw: 'cli-src,nul,,2026-10-05T09:00:00Z,60,video,inbound,sip,ro\\u0000om@acme.example,,' })]);

    const hostile = await cli('ingest', '--format', 'confbill-csv', '--source', '../../etc/passwd', join(dir, 'calls.csv'));
    expect(hostile.status).toBe(2);
    expectOneLineError(hostile.stderr);
    expect(hostile.stderr).toContain('--source "../../etc/passwd" is not a source id');
  });
});
