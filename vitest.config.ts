import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default (cores − 1) runs one file at a time on a 2-core machine, while most suites wait
    // on a database or a child process much of the time.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
