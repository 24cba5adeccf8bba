import { expect } from 'vitest';
import { runCli } from './runCli.ts';
import type { TestDatabase } from './testDatabases.ts';

/**
 * Runs `confbill verify --json` on a test database, as CI does after the end-to-end tests: every
 * end-to-end suite must leave books whose invariants hold.
 */
export async function expectBooksVerified(db: TestDatabase | undefined): Promise<void> {
  if (!db) return;
  const result = await runCli(['verify', '--json'], { env: db.env });
  const failed = result.status === 0 ? [] : (JSON.parse(result.stdout || '{"checks":[]}') as { checks: { ok: boolean; name: string; examples: unknown[] }[] }).checks.filter((c) => !c.ok);
  expect({ status: result.status, failed, stderr: result.stderr }).toEqual({ status: 0, failed: [], stderr: '' });
}
