import { describe, expect, it } from 'vitest';
import { migrationFiles } from '../../src/storage/migrations.ts';
import { createTestDatabase, databaseKinds } from '../support/testDatabases.ts';

// Issue 10 §5: migration 0015 moves the plan history into the audit log, one entry per row with the
// same user, time, field and values, and `plan_history` reads back exactly what it held.

/** A migrated schema taken back to before 0015 (its plan_history table as migration 0001 made it). */
const before0015 = `
  DROP VIEW plan_history;
  DROP TABLE audit_log;
  DROP FUNCTION refuse_audit_log_change();
  CREATE TABLE plan_history (
    id         bigserial PRIMARY KEY,
    plan_id    text NOT NULL,
    field      text NOT NULL,
    old_value  jsonb,
    new_value  jsonb,
    user_name  text NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
  );
`;

const historyColumns = 'id, plan_id, field, old_value, new_value, user_name, changed_at';

describe.each(databaseKinds)('migration 0015 on %s', (kind) => {
  it('moves every plan history row into the audit log, and the view shows the same rows', async () => {
    const database = await createTestDatabase(kind);
    const db = await database.open();
    const sql = { exec: (s: string) => db.exec(s), rows: <T>(s: string) => db.query<T>(s) };
    try {
      await sql.exec(before0015);
      await sql.exec(`
        INSERT INTO plan_history (plan_id, field, old_value, new_value, user_name, changed_at) VALUES
          ('gold', 'version', 'null', '1', 'apply', '2026-09-01T08:00:00Z'),
          ('gold', 'copyOf', NULL, '"concurrent-calls"', 'apply', '2026-09-01T08:00:00Z'),
          ('gold', 'locked', 'true', 'false', 'anna', '2026-09-02T09:30:00Z'),
          ('gold', 'callRates[0].perMinute', '"0.05"', '"0.04"', 'anna', '2026-09-02T09:31:00Z'),
          ('gold', 'version', '1', '2', 'anna', '2026-09-02T09:32:00Z'),
          ('gold', 'locked', 'false', 'true', 'anna', '2026-09-02T09:32:00Z'),
          ('old', 'deleted', 'false', 'true', 'bob', '2026-09-03T10:00:00Z');
      `);
      const before = await sql.rows(`SELECT ${historyColumns} FROM plan_history ORDER BY id`);
      await sql.exec(migrationFiles().find((m) => m.version === 15)!.sql);

      expect(await sql.rows(`SELECT ${historyColumns} FROM plan_history ORDER BY id`)).toEqual(before.map((r) => ({ ...(r as object), old_value: (r as { old_value: unknown }).old_value ?? null })));
      const entries = await sql.rows<{ actor: string; action: string; object: string; before: unknown; after: unknown; at: Date }>(
        `SELECT actor, action, object_kind || ' ' || object_id AS object, before, after, at FROM audit_log ORDER BY id`,
      );
      expect(entries.map((e) => [e.at.toISOString(), e.actor, e.action, e.object, e.before, e.after])).toEqual([
        ['2026-09-01T08:00:00.000Z', 'apply', 'plan.added', 'plan gold', { version: null }, { version: 1 }],
        ['2026-09-01T08:00:00.000Z', 'apply', 'plan.added', 'plan gold', { copyOf: null }, { copyOf: 'concurrent-calls' }],
        ['2026-09-02T09:30:00.000Z', 'anna', 'plan.unlocked', 'plan gold', { locked: true }, { locked: false }],
        ['2026-09-02T09:31:00.000Z', 'anna', 'plan.field-changed', 'plan gold', { 'callRates[0].perMinute': '0.05' }, { 'callRates[0].perMinute': '0.04' }],
        ['2026-09-02T09:32:00.000Z', 'anna', 'plan.version-locked', 'plan gold', { version: 1 }, { version: 2 }],
        ['2026-09-02T09:32:00.000Z', 'anna', 'plan.locked', 'plan gold', { locked: false }, { locked: true }],
        ['2026-09-03T10:00:00.000Z', 'bob', 'plan.deleted', 'plan old', { deleted: false }, { deleted: true }],
      ]);
      expect(await sql.rows(`SELECT table_type FROM information_schema.tables WHERE table_name = 'plan_history'`)).toEqual([{ table_type: 'VIEW' }]);
    } finally {
      await db.close();
      await database.drop();
    }
  });
});
