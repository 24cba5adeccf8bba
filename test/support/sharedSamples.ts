import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/**
 * The public vendor samples (real CDRs, not part of the repository), when a folder `shared/` lies
 * beside the clone, or where `CONFBILL_SHARED_DIR` says (a git worktree elsewhere): read in place,
 * never copied in. Suites on them are extra conformance tests;
 * every reader also has fixtures written in the repository (test/fixtures/, test/support/formatSamples.ts).
 */
export const sharedDir = process.env.CONFBILL_SHARED_DIR ? `${process.env.CONFBILL_SHARED_DIR.replace(/\/+$/, '')}/` : fileURLToPath(new URL('../../../shared/', import.meta.url));
export const hasShared = existsSync(sharedDir);

/** Why a conformance suite did not run, in its name, so that the test report shows it. */
const skipReason = ' [skipped: the public vendor samples are not beside the repository (../shared/samples)]';

/**
 * A suite on the public vendor samples: runs when they are there, else is reported as skipped with
 * the reason. Its body still runs to collect the tests, so it must not read a sample outside a test.
 */
export function describeOnSamples(name: string, body: () => void): void {
  describe.skipIf(!hasShared)(hasShared ? name : `${name}${skipReason}`, body);
}

/** A conformance suite's name, with the reason it is skipped when the samples are absent (for `describe.skipIf(!hasShared)`, `.each` included). */
export function onSamplesName(name: string): string {
  return hasShared ? name : `${name}${skipReason}`;
}
