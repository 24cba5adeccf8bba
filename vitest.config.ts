import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Suites that `npm test` leaves to `npm run test:long` (and `.ci/run` runs every time): stress, races,
 * fuzzing, real processes and servers. Together they take as long as all the others, and the README's
 * test command must finish within 5 minutes on 2 cores.
 */
export const longSuites = [
  'test/api/cmsReceiverEventLoop.test.ts',
  'test/api/hostileRequests.test.ts',
  'test/api/receiverFuzz.test.ts',
  'test/e2e/cliBesideServe.e2e.test.ts',
  'test/e2e/cli.e2e.test.ts',
  'test/e2e/concurrency.e2e.test.ts',
  'test/golden/goldenApi.test.ts',
  'test/e2e/demo.e2e.test.ts',
  'test/e2e/dmaSfbTeams.e2e.test.ts',
  'test/e2e/cucmExpressway.e2e.test.ts',
  'test/e2e/pexip.e2e.test.ts',
  'test/e2e/leastPrivilege.e2e.test.ts',
  'test/e2e/planCommands.e2e.test.ts',
  'test/e2e/entities.e2e.test.ts',
  'test/e2e/export.e2e.test.ts',
  'test/e2e/hostileInput.e2e.test.ts',
  'test/e2e/lifecycle.e2e.test.ts',
  'test/e2e/serve.e2e.test.ts',
  'test/ingest/cisco-cms/cmsFuzz.test.ts',
  'test/services/syntheticProvider.test.ts',
  'test/ingest/nulFuzz.test.ts',
  'test/ingest/pexip-infinity/pexipFuzz.test.ts',
  'test/storage/dataDirLock.storage.test.ts',
  'test/storage/inputFuzz.storage.test.ts',
  'test/storage/nulFuzz.storage.test.ts',
  'test/storage/privateDataDir.storage.test.ts',
  'test/storage/ratingRace.storage.test.ts',
];

// CONFBILL_LONG_TESTS: unset → the quick suites; `only` → the long ones; `all` → every suite.
const long = process.env.CONFBILL_LONG_TESTS;

export default defineConfig({
  test: {
    include: long === 'only' ? longSuites : ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/web/**/*.browser.test.ts', 'test/faults/**', ...(long === 'only' || long === 'all' ? [] : longSuites)],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/support/pgliteTemplate.globalSetup.ts'],
    // Vitest's default (cores − 1) runs one file at a time on a 2-core machine, while most suites wait
    // on a database or a child process much of the time.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
