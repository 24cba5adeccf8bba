import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the web admin API types', () => {
  it('are the ones openapi-typescript makes of the committed openapi.json (after a route change: npm run openapi)', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'confbill-api-types-'));
    try {
      const out = join(scratch, 'openApiTypes.ts');
      execFileSync(process.execPath, [join(root, 'node_modules/openapi-typescript/bin/cli.js'), join(root, 'openapi.json'), '-o', out], { stdio: 'pipe' });
      const committed = readFileSync(join(root, 'web/src/api/openApiTypes.ts'), 'utf8');
      expect(committed === readFileSync(out, 'utf8'), 'web/src/api/openApiTypes.ts differs from openapi.json: run npm run openapi').toBe(true);
      // The session answer the pages rely on to offer only what the role may do.
      expect(committed).toMatch(/permissions: \("read" \| "bill" \| "approve" \| "ingest" \| "configure" \| "administer"\)\[\]/);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
