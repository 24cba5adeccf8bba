import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readConfbillCsv } from '../../src/ingest/confbill-csv/readConfbillCsv.ts';
import { applyConfig } from '../../src/services/applyConfig.ts';
import { ingestCalls } from '../../src/services/ingestCalls.ts';
import { ingestCmsFile } from '../../src/services/ingestCmsRecords.ts';
import { parseProviderConfig } from '../../src/services/providerConfig.ts';
import type { Database } from '../../src/storage/database.ts';
import { formatSamples, sampleFile } from '../support/formatSamples.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const rule = 'must be a source id: lower-case letters a-z, 0-9, ".", "_" and "-", starting with a letter or digit, at most 64 characters';

describe.each(databaseKinds)('one source id rule for configuration and ingest on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));
  const stored = async () => (await db.query<{ n: number }>(`SELECT (SELECT count(*) FROM calls) + (SELECT count(*) FROM ingest_rejects) + (SELECT count(*) FROM cms_records) + (SELECT count(*) FROM sources) AS n`))[0]!.n;

  it('configuration: sources[].id follows the rule; what the receivers refuse cannot be configured either', async () => {
    for (const id of ['CMS-Oslo', '../../etc/passwd', '<script>', 'cms\u202e', 'cms:1', 'a'.repeat(65), '']) {
      expect(() => parseProviderConfig(JSON.stringify({ sources: [{ id, format: 'cms-xml' }] }), 's.json')).toThrow(`s.json is not valid, nothing was applied: sources[0].id: ${rule}.`);
    }
    await applyConfig(db, parseProviderConfig(JSON.stringify({ sources: [{ id: 'cms-oslo-1', format: 'cms-xml' }, { id: 'p'.repeat(64), format: 'pexip-events' }] }), 's.json'));
    expect(await db.query('SELECT id FROM sources ORDER BY id')).toEqual([{ id: 'cms-oslo-1' }, { id: 'p'.repeat(64) }]);
  });

  it('ingest --source: refused before anything is read or stored, for file formats and CMS alike', async () => {
    const before = await stored();
    const csv = formatSamples.find((s) => s.format === 'confbill-csv')!;
    await expect(ingestCalls(db, readConfbillCsv, Readable.from([sampleFile(csv, 2)]), { format: 'confbill-csv', file: 'a.csv', source: '../../etc/passwd' }))
      .rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('The source "../../etc/passwd" is not a source id') });
    const cms = formatSamples.find((s) => s.format === 'cms-xml')!;
    await expect(ingestCmsFile(db, Readable.from([sampleFile(cms, 2)]), { source: 'CMS:1', file: 'c.xml' }))
      .rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('The source "CMS:1" is not a source id') });
    expect(await stored()).toBe(before);
    expect(await ingestCmsFile(db, Readable.from([sampleFile(cms, 2)]), { source: 'cms-oslo-1', file: 'c.xml' })).toMatchObject({ new: 2 });
  });
});
