import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { DatabaseKind } from '../../support/testDatabases.ts';
import { launchBrowser } from './browser.ts';
import { startWebAdminServer, type WebAdminServer } from './webAdminServer.ts';

/**
 * A browser suite's server (demo + serve on a new database of the kind) and headless Chromium for the
 * enclosing describe block, started together before its first test and stopped after its last; `use`
 * receives both before any other beforeAll of the block runs.
 */
export function useWebAdmin(kind: DatabaseKind, use: (server: WebAdminServer, browser: Browser) => void): void {
  let server: WebAdminServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebAdminServer(kind), launchBrowser()]);
    use(server, browser);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
}
