import { defineConfig } from 'vitest/config';

/**
 * The browser suites (`npm run test:web`): the web admin built, served by `confbill serve` on the
 * demo data and driven in headless Chromium. `.ci/run` runs them on PGlite and on PostgreSQL; they
 * are not part of the README's quick test command.
 */
export default defineConfig({
  test: {
    include: ['test/web/**/*.browser.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    globalSetup: ['test/support/pgliteTemplate.globalSetup.ts', 'test/web/support/demoTemplate.globalSetup.ts'],
  },
});
