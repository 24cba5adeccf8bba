import { describe, expect, it } from 'vitest';
import { readGenerations } from '../../src/storage/configurationGeneration.ts';
import type { Database } from '../../src/storage/database.ts';
import { writeSettings } from '../../src/storage/settingsStore.ts';
import { upsertSource, writeFormatMapping } from '../../src/storage/sourceStore.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

describe.each(databaseKinds)('configuration generation on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('moves with every write of the sources, the settings and the format mappings, and with nothing else', async () => {
    const at = async (): Promise<number> => (await readGenerations(db)).configuration;
    // An upsert is an INSERT and an UPDATE to statement triggers: it may move it twice.
    const moves = async (write: () => Promise<unknown>): Promise<boolean> => {
      const before = await at();
      await write();
      return (await at()) > before;
    };
    expect(await moves(() => upsertSource(db, { id: 'pexip-a', format: 'pexip-events', timezone: null, defaultCustomer: null }))).toBe(true);
    expect(await moves(() => writeSettings(db, { timezone: 'Europe/Zurich' }))).toBe(true);
    expect(await moves(() => writeFormatMapping(db, 'pexip-events', { directions: { in: 'outbound', out: 'inbound' } }))).toBe(true);
    expect(await moves(() => db.query(`INSERT INTO calls (source, external_id, started_at, duration_seconds, category, direction, match_status) VALUES ('pexip-a', 'x', now(), 60, 'video', 'inbound', 'pending')`))).toBe(false);
    const start = await at();
    // A write rolled back leaves it where it was.
    await expect(db.transaction(async (tx) => {
      await upsertSource(tx, { id: 'pexip-b', format: 'pexip-events', timezone: null, defaultCustomer: null });
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    expect(await at()).toBe(start);
  });
});
