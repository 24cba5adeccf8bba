import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/api/openApiDocument.ts';
import { buildServer } from '../../src/api/buildServer.ts';
import { memoryAuthenticator } from '../support/apiTestServer.ts';
import type { Database } from '../../src/storage/database.ts';

interface Operation {
  summary?: string;
  tags?: string[];
  responses?: Record<string, unknown>;
}

describe('the OpenAPI document', () => {
  it('openapi.json in the repository is the document the code generates (run `npm run openapi` after changing a route)', async () => {
    const committed: unknown = JSON.parse(readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(await openApiDocument());
  });

  it('documents every API route with a summary, a tag and an answer', async () => {
    const document = (await openApiDocument()) as { openapi: string; paths: Record<string, Record<string, Operation>> };
    expect(document.openapi).toBe('3.1.0');
    const app = buildServer({} as Database, { authenticator: memoryAuthenticator() });
    await app.ready();
    const apiRoutes = app.routeRules.filter((r) => r.url.startsWith('/api/v1/'));
    await app.close();
    const missing = apiRoutes.filter((r) => {
      const operation = document.paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
      return !operation?.summary || !operation.tags?.length || !Object.keys(operation.responses ?? {}).some((status) => /^2\d\d$/.test(status));
    });
    expect(missing.map((r) => `${r.method} ${r.url}`)).toEqual([]);
    expect(apiRoutes.length).toBeGreaterThan(0);
  });
});
