import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

/** The fixed clock of the browser suites: the demo's month is October 2026, "today" is 20 November 2026. */
export const webTestNow = '2026-11-20T10:00:00Z';

export interface DemoTemplate {
  /** What `confbill demo` printed (the administrator's password, the API key). */
  stdout: string;
  /** The embedded data folder the demo made (each suite runs on a copy). */
  dataDir: string;
  /** The PostgreSQL database the demo made, when the run includes PostgreSQL (each suite gets a copy by CREATE DATABASE … TEMPLATE). */
  postgres?: { serverUrl: string; database: string; stdout: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    webDemo: DemoTemplate;
  }
}

const bin = fileURLToPath(new URL('../../../bin/confbill.js', import.meta.url));

function runDemo(env: Record<string, string>): string {
  return execFileSync(process.execPath, [bin, 'demo'], { env: { ...process.env, ...env, CONFBILL_NOW: webTestNow, CONFBILL_USER: 'web-test' }, encoding: 'utf8' });
}

/**
 * `confbill demo` once per run and database kind (about 20 s each); every browser suite starts its
 * server on a copy, as the README's first command leaves it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const scratch = mkdtempSync(join(tmpdir(), 'confbill-web-demo-'));
  const dataDir = join(scratch, 'data');
  const template: DemoTemplate = { stdout: runDemo({ CONFBILL_DATA: dataDir, DATABASE_URL: '' }), dataDir };
  const serverUrl = process.env.DATABASE_URL;
  const wanted = (process.env.CONFBILL_TEST_DATABASES ?? 'pglite,postgres').split(',');
  if (serverUrl && wanted.includes('postgres')) {
    const database = `confbill_webdemo_${process.pid}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    template.postgres = { serverUrl, database, stdout: runDemo({ DATABASE_URL: url.toString() }) };
  }
  project.provide('webDemo', template);
  return async () => {
    rmSync(scratch, { recursive: true, force: true });
    if (template.postgres) {
      const admin = new pg.Client({ connectionString: template.postgres.serverUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${template.postgres.database} WITH (FORCE)`);
      await admin.end();
    }
  };
}
