import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/buildServer.ts';
import type { Database } from '../../src/storage/database.ts';
import { memoryAuthenticator } from '../support/apiTestServer.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabases.ts';

/** The web admin's files as `confbill serve` serves them (a stand-in build: this suite tests serving, not the pages). */
describe('the web admin at /', () => {
  let testDb: TestDatabase;
  let db: Database;
  let build: string;
  let app: FastifyInstance;
  let unbuilt: FastifyInstance;
  beforeAll(async () => {
    testDb = await createTestDatabase('pglite');
    db = await testDb.open();
    build = mkdtempSync(join(tmpdir(), 'confbill-web-build-'));
    mkdirSync(join(build, 'assets'));
    writeFileSync(join(build, 'index.html'), '<!doctype html><title>confbill</title><script type="module" src="/assets/index-abc123.js"></script>');
    writeFileSync(join(build, 'assets', 'index-abc123.js'), 'console.log("confbill");');
    writeFileSync(join(build, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    app = buildServer(db, { authenticator: memoryAuthenticator(), webAdminDir: build });
    unbuilt = buildServer(db, { authenticator: memoryAuthenticator(), webAdminDir: join(build, 'missing') });
  });
  afterAll(async () => {
    await app?.close();
    await unbuilt?.close();
    await db?.close();
    await testDb?.drop();
    rmSync(build, { recursive: true, force: true });
  });

  it('serves the page at / and at every page path (a reloaded link), never cached; its hashed assets cached for good', async () => {
    for (const url of ['/', '/invoices', '/plans/eur-payg?tab=history', '/customers/cust-0001']) {
      const page = await app.inject({ url });
      expect([url, page.statusCode, page.headers['content-type'], page.headers['cache-control']]).toEqual([url, 200, 'text/html; charset=utf-8', 'no-cache']);
      expect(page.body).toContain('/assets/index-abc123.js');
      // Scripts only from this server: the pages run under the API's content security policy.
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    }
    const script = await app.inject({ url: '/assets/index-abc123.js' });
    expect([script.statusCode, script.headers['content-type'], script.headers['cache-control'], script.body]).toEqual([200, 'application/javascript; charset=utf-8', 'public, max-age=31536000, immutable', 'console.log("confbill");']);
    expect((await app.inject({ url: '/favicon.svg' })).statusCode).toBe(200);
  });

  it('unknown API and receiver paths stay 404 problems; no path leaves the build folder', async () => {
    for (const url of ['/api/v1/nothing', '/api/nothing', '/cdr/nothing/here']) {
      const answer = await app.inject({ url });
      expect([url, answer.statusCode, answer.headers['content-type']]).toEqual([url, 404, 'application/problem+json; charset=utf-8']);
    }
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
    for (const url of ['/assets/..%2f..%2fpackage.json', '/assets/../index.html', '/assets/%2e%2e/%2e%2e/etc/passwd']) {
      const answer = await app.inject({ url });
      expect([url, answer.body.includes('"name"'), answer.body.includes('root:')]).toEqual([url, false, false]);
      expect(answer.statusCode, url).toBeLessThan(500);
    }
  });

  it('a copy without a build says how to get one, and the API still answers', async () => {
    const page = await unbuilt.inject({ url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('npm run build -w web');
    expect((await unbuilt.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });
});
