import { defineConfig } from 'vitest/config';

/**
 * The fault suites (`npm run test:faults`, run by `.ci/run`): processes killed with SIGKILL at random
 * points and PostgreSQL restarted under load, then re-runs that must give the uninterrupted results.
 * They start real processes and servers for minutes, so neither `npm test` nor the long suites run them.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: 'forks',
    globalSetup: ['test/support/pgliteTemplate.globalSetup.ts'],
    maxWorkers: 2,
  },
});
