import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.ts';

/** The embedded database's files are the owner's alone, whatever the umask (issue 8 §4). */
const bin = fileURLToPath(new URL('../../bin/confbill.js', import.meta.url));
const parent = mkdtempSync(join(tmpdir(), 'confbill-private-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** Every path in `dir` (itself included) that group or others may read, write or enter, with its mode. */
function opened(dir: string): string[] {
  const found: string[] = [];
  const visit = (path: string): void => {
    const stat = lstatSync(path);
    if ((stat.mode & 0o077) !== 0) found.push(`${relative(dir, path) || '.'} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(dir);
  return found;
}

function count(dir: string): number {
  return readdirSync(dir, { recursive: true }).length;
}

describe('the embedded database folder', () => {
  const dataDir = join(parent, 'data');

  it('is created 0700 with 0600 files under umask 000, and stays so after the schema changes', async () => {
    const umask = process.umask(0);
    try {
      const db = await openDatabase({ dataDir });
      expect(opened(dataDir)).toEqual([]);
      await db.exec('CREATE TABLE private_probe (n int); INSERT INTO private_probe VALUES (1);');
      await db.close();
    } finally {
      process.umask(umask);
    }
    expect(count(dataDir)).toBeGreaterThan(1000); // the whole cluster was looked at, not an empty folder
    expect(opened(dataDir)).toEqual([]);
  });

  it('an existing folder with loose modes is made private when a command opens it', () => {
    execFileSync('chmod', ['-R', 'a+rwX', dataDir]);
    expect(opened(dataDir).length).toBeGreaterThan(1000);
    execFileSync('sh', ['-c', `umask 000 && exec "${process.execPath}" "${bin}" --data "${dataDir}" rate`], { env: { ...process.env, DATABASE_URL: '' }, stdio: 'pipe' });
    expect(opened(dataDir)).toEqual([]);
  });
});
