import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { callsCsv } from '../support/billingFixtures.ts';
import { runCli } from '../support/runCli.ts';
import { createTestDatabase, databaseKinds } from '../support/testDatabases.ts';

const now = '2026-11-27T12:00:00Z';

const config = `
customers: [{ id: lp, name: Least Privilege AS, matching: [{ kind: domain, value: lp.example }] }]
plans: [{ id: lp-payg, copyOf: pay-as-you-go, monthlyFee: "31.00" }]
assignments: [{ customer: lp, plan: lp-payg, from: 2026-09-01 }]
`;

const calls = callsCsv('lp-src', [
  ['a', '2026-09-05T09:00:00Z', 600, 'video', 'inbound', 'room@lp.example'],
  ['b', '2026-10-05T09:00:00Z', 120, 'audio', 'inbound', 'room@lp.example'],
]);

/** The statement's SQLSTATE, or 'ok' when it ran. */
async function sqlState(client: pg.Client, sql: string): Promise<string> {
  try {
    await client.query(sql);
    return 'ok';
  } catch (error) {
    return String((error as { code?: string }).code);
  }
}

function withCredentials(databaseUrl: string, user: string, password: string): string {
  const url = new URL(databaseUrl);
  url.username = user;
  url.password = password;
  return url.toString();
}

// Issue 8 §5 and docs/postgresql-roles.md: migrations run as the schema owner, the service as a role
// that can do its work and nothing more: no TRUNCATE, no ALTER, no trigger switched off or dropped,
// no invoice number issued except by approving a draft.
describe.each(databaseKinds)('least-privilege set-up on %s', (kind) => {
  it.runIf(kind === 'postgres')('the service role runs the whole flow, and every forbidden statement is denied', async () => {
    const suffix = `${process.pid}_${Date.now()}`;
    const owner = `confbill_owner_${suffix}`;
    const app = `confbill_app_${suffix}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE ROLE ${owner} LOGIN PASSWORD 'owner-secret'`);
    await admin.query(`CREATE ROLE ${app} LOGIN PASSWORD 'app-secret'`);
    const db = await createTestDatabase(kind);
    const dir = mkdtempSync(join(tmpdir(), 'confbill-roles-'));
    const name = new URL(db.location.databaseUrl!).pathname.slice(1);
    const ownerUrl = withCredentials(db.location.databaseUrl!, owner, 'owner-secret');
    const appUrl = withCredentials(db.location.databaseUrl!, app, 'app-secret');
    const asOwner = (...args: string[]) => runCli(args, { env: { DATABASE_URL: ownerUrl }, now });
    const asApp = (...args: string[]) => runCli(args, { env: { DATABASE_URL: appUrl }, now });
    const appClient = new pg.Client({ connectionString: appUrl });
    try {
      // As documented: the owner role owns the database (and so its public schema).
      await admin.query(`ALTER DATABASE ${name} OWNER TO ${owner}`);

      const migrated = await asOwner('migrate', '--service-role', app);
      expect(migrated.stderr).toBe('');
      expect(migrated.status).toBe(0);
      expect(migrated.stdout).toMatch(/Schema migrated to version \d+ \(applied: 0001, 0002, .*0008/);
      expect(migrated.stdout).toContain(`Role "${app}" may read and write confbill's data and approve drafts`);

      // The normal flow, as the service role: the schema is current, so it needs no right to change it.
      writeFileSync(join(dir, 'provider.yaml'), config);
      writeFileSync(join(dir, 'calls.csv'), calls);
      expect(await asApp('migrate')).toMatchObject({ status: 0, stderr: '', stdout: expect.stringMatching(/Schema is current \(version \d+\)/) });
      expect(await asApp('apply', join(dir, 'provider.yaml'))).toMatchObject({ status: 0, stderr: '' });
      expect((await asApp('ingest', '--format', 'confbill-csv', join(dir, 'calls.csv'))).stdout).toContain('Calls new: 2');
      expect(await asApp('rate')).toMatchObject({ status: 0, stderr: '' });
      const generated = await asApp('invoice', 'generate', '--customer', 'lp', '--from', '2026-09-01', '--to', '2026-10-01', '--json');
      expect(generated.stderr).toBe('');
      const [september] = JSON.parse(generated.stdout) as { id: string; total: string }[];
      expect(september!.total).toBe('31.20');
      expect((await asApp('invoice', 'note', september!.id, 'Thank you.')).status).toBe(0);
      expect((await asApp('invoice', 'approve', september!.id, '--yes')).stdout).toContain('approved as number 1');
      const pdf = join(dir, 'invoice-1.pdf');
      expect((await asApp('invoice', 'export', september!.id, '--format', 'pdf', '--out', pdf)).status).toBe(0);
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
      const [october] = JSON.parse((await asApp('invoice', 'generate', '--customer', 'lp', '--from', '2026-10-01', '--to', '2026-11-01', '--json')).stdout) as { id: string }[];
      expect(await asApp('invoice', 'delete', october!.id)).toMatchObject({ status: 0, stderr: '' });
      const [draft] = JSON.parse((await asApp('invoice', 'generate', '--customer', 'lp', '--from', '2026-10-01', '--to', '2026-11-01', '--json')).stdout) as { id: string }[];

      // Everything the service role must not do, each refused by the server's privileges (42501).
      await appClient.connect();
      const forbidden = [
        'TRUNCATE calls',
        'TRUNCATE invoices CASCADE',
        'TRUNCATE invoice_snapshots',
        'TRUNCATE billing_items',
        'ALTER TABLE invoices ADD COLUMN forged integer',
        'ALTER TABLE calls DROP COLUMN duration_seconds',
        'ALTER TABLE invoices DISABLE TRIGGER invoices_immutable',
        'ALTER TABLE invoice_lines DISABLE TRIGGER USER',
        'ALTER TABLE invoice_snapshots DISABLE TRIGGER ALL',
        'DROP TRIGGER invoices_immutable ON invoices',
        'DROP TRIGGER invoice_snapshots_frozen ON invoice_snapshots',
        'DROP TABLE invoice_snapshots',
        'CREATE TABLE shadow (a integer)',
        'UPDATE invoice_number_sequence SET last_number = 100',
        'DELETE FROM invoice_number_sequence',
        'INSERT INTO invoice_number_sequence (singleton, last_number) VALUES (true, 100)',
        `UPDATE invoices SET status = 'approved', number = 77, approved_at = now() WHERE id = '${draft!.id}'`,
        `INSERT INTO invoices (id, status, number, customer_id, currency, from_date, to_date, total) VALUES ('forged', 'approved', 78, 'lp', 'EUR', '2026-01-01', '2026-02-01', 1)`,
        `UPDATE invoice_snapshots SET document = '{}'`,
        'DELETE FROM invoice_snapshots',
        `SELECT setval('calls_id_seq', 1)`,
        'ALTER FUNCTION approve_invoice(text, text) SECURITY INVOKER',
        'DELETE FROM schema_migrations',
        // The audit log: appended to by the flow above, never changed nor emptied.
        `UPDATE audit_log SET actor = 'mallory'`,
        'DELETE FROM audit_log',
        'TRUNCATE audit_log',
        'ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only',
        'DROP TRIGGER audit_log_append_only ON audit_log',
        'DROP VIEW plan_history',
      ];
      const states = Object.fromEntries(await Promise.all(forbidden.map(async (sql) => [sql, await sqlState(appClient, sql)] as const)));
      expect(states).toEqual(Object.fromEntries(forbidden.map((sql) => [sql, '42501'])));
      const [counter] = (await appClient.query<{ last_number: number }>('SELECT last_number FROM invoice_number_sequence')).rows;
      expect(counter!.last_number).toBe(1);
      expect((await appClient.query(`SELECT count(*)::int AS n FROM invoice_snapshots`)).rows[0]).toEqual({ n: 1 });
      const invoiceActions = await appClient.query<{ action: string }>(`SELECT action FROM audit_log WHERE object_kind = 'invoice' ORDER BY id`);
      expect(invoiceActions.rows.map((r) => r.action)).toEqual(['invoice.generated', 'invoice.notes-changed', 'invoice.approved', 'invoice.generated', 'invoice.deleted', 'invoice.generated']);

      // A schema that is behind (here: as if 0008 were new) is not migrated by the service role: a clear error says who can.
      await admin.end();
      const ownerClient = new pg.Client({ connectionString: ownerUrl });
      await ownerClient.connect();
      await ownerClient.query(`DELETE FROM schema_migrations WHERE version = 8`);
      const behind = await asApp('invoice', 'list');
      await ownerClient.query(`INSERT INTO schema_migrations (version, name) VALUES (8, '0008-invoice-snapshots.sql')`);
      await ownerClient.end();
      expect(behind.status).toBe(7);
      expect(behind.stderr).toContain(`needs migration 0008-invoice-snapshots.sql, which role "${app}" may not apply`);
      expect(behind.stderr).toContain("Migrate the schema with the schema owner's DATABASE_URL first (docs/postgresql-roles.md). `confbill migrate` does it.\n");
      expect(behind.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await appClient.end().catch(() => undefined);
      await db.drop();
      const cleanup = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await cleanup.connect();
      await cleanup.query(`DROP ROLE IF EXISTS ${app}`);
      await cleanup.query(`DROP ROLE IF EXISTS ${owner}`);
      await cleanup.end();
      await admin.end().catch(() => undefined);
    }
  });

  it.runIf(kind === 'pglite')('confbill migrate brings the embedded database up to date; it has no roles to grant', async () => {
    const db = await createTestDatabase(kind, { empty: true });
    try {
      const first = await runCli(['migrate'], { env: db.env, now });
      expect(first).toMatchObject({ status: 0, stderr: '' });
      expect(first.stdout).toMatch(/Schema migrated to version \d+ \(applied: 0001, .*0008/);
      expect((await runCli(['migrate'], { env: db.env, now })).stdout).toMatch(/Schema is current \(version \d+\)/);
      const roles = await runCli(['migrate', '--service-role', 'confbill_app'], { env: db.env, now });
      expect(roles.status).toBe(2);
      expect(roles.stderr).toBe('confbill: --service-role: The embedded database has no roles: a service role needs a PostgreSQL server (DATABASE_URL).\n');
    } finally {
      await db.drop();
    }
  });
});
