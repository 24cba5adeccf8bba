import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readConfbillCsv } from '../../src/ingest/confbill-csv/readConfbillCsv.ts';
import { mergeVendorMapping, exclusionOf } from '../../src/ingest/vendorMapping.ts';
import { applyConfig } from '../../src/services/applyConfig.ts';
import { ingestCalls } from '../../src/services/ingestCalls.ts';
import { parseProviderConfig } from '../../src/services/providerConfig.ts';
import { loadCallMatcher } from '../../src/services/matchingRules.ts';
import { resolveSource } from '../../src/services/sourceReaderOptions.ts';
import type { Database } from '../../src/storage/database.ts';
import { sourceStatistics } from '../../src/storage/sourceStore.ts';
import { callsCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const config = `
settings: { timezone: America/New_York }
customers:
  - { id: so1, name: Sources One, matching: [{ kind: domain, value: so1.example }] }
  - { id: so2, name: Sources Two }
sources:
  - { id: mcu-oslo, format: confbill-csv, timezone: Europe/Oslo, defaultCustomer: so2 }
  - { id: mcu-plain, format: confbill-csv }
mappings:
  confbill-csv: { categories: { lync: skype }, exclude: [{ field: subType, equals: distributionLink, reason: inter-bridge link }] }
`;

describe.each(databaseKinds)('sources and mappings on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('configures sources; a default customer takes the calls nothing else matches; statistics per source', async () => {
    const applied = await applyConfig(db, parseProviderConfig(config, 's.yaml'));
    expect(applied.sourcesChanged).toBe(3);
    expect((await applyConfig(db, parseProviderConfig(config, 's.yaml'))).sourcesChanged).toBe(0);

    const csv = callsCsv('mcu-oslo', [
      ['a', '2026-10-05T09:00:00Z', 60, 'video', 'inbound', 'room@so1.example'],
      ['b', '2026-10-05T10:00:00Z', 120, 'audio', 'inbound', 'someone@else.example'],
      ['c', '1970-01-01T00:00:00Z', 60, 'audio', 'inbound', 'someone@else.example'],
    ]);
    const summary = await ingestCalls(db, readConfbillCsv, Readable.from([csv]), { format: 'confbill-csv', file: 's.csv', source: 'mcu-oslo' });
    expect([summary.read, summary.new, summary.rejected]).toEqual([3, 2, 1]);
    const matched = await db.query<{ external_id: string; customer_id: string; match_rule: string }>(`SELECT external_id, customer_id, match_rule FROM calls ORDER BY external_id`);
    expect(matched.map((m) => [m.external_id, m.customer_id, m.match_rule])).toEqual([
      ['a', 'so1', 'so1#001'],
      ['b', 'so2', 'source:mcu-oslo'],
    ]);

    const stats = await sourceStatistics(db);
    expect(stats.map((s) => [s.source, s.calls, s.recordsRead, s.rejected, s.unmatched, s.lastCallAt])).toEqual([
      ['mcu-oslo', 2, 3, 1, 0, '2026-10-05T10:00:00.000Z'],
      ['mcu-plain', 0, 0, 0, 0, null],
    ]);
  });

  it('counts every format in the statistics: a confbill-csv file names its sources itself, and a --source that was never configured counts too', async () => {
    // No --source: each row names its source (19 records in the issue, 3 of them rejected).
    const csv = callsCsv('mcu-plain', [
      ['p1', '2026-10-06T09:00:00Z', 60, 'video', 'inbound', 'room@so1.example'],
      ['p2', '2026-10-06T10:00:00Z', 60, 'smell', 'inbound', 'room@so1.example'],
      ['p3', '2026-10-06T11:00:00Z', 60, 'audio', 'inbound', 'room@so1.example'],
    ]) + 'mcu-unlisted,u1,,2026-10-06T12:00:00Z,60,video,inbound,sip,room@so1.example,,\n,u2,,2026-10-06T12:00:00Z,60,video,inbound,sip,room@so1.example,,\n';
    const summary = await ingestCalls(db, readConfbillCsv, Readable.from([csv]), { format: 'confbill-csv', file: 'plain.csv' });
    expect([summary.read, summary.new, summary.rejected]).toEqual([5, 3, 2]);
    await ingestCalls(db, readConfbillCsv, Readable.from([callsCsv('', [['n1', '2026-10-07T09:00:00Z', 60, 'video', 'inbound', 'x@y.example'], ['n2', 'later', 60, 'video', 'inbound', 'x@y.example']])]), { format: 'confbill-csv', file: 'never.csv', source: 'never-configured' });

    const stats = new Map((await sourceStatistics(db)).map((s) => [s.source, s]));
    expect([...stats.keys()]).toEqual(['mcu-oslo', 'mcu-plain', 'mcu-unlisted', 'never-configured']);
    const row = (id: string) => { const s = stats.get(id)!; return [s.calls, s.recordsRead, s.rejected, s.lastCallAt]; };
    expect(row('mcu-plain')).toEqual([2, 3, 1, '2026-10-06T11:00:00.000Z']);
    expect(row('mcu-unlisted')).toEqual([1, 1, 0, '2026-10-06T12:00:00.000Z']);
    expect(row('never-configured')).toEqual([1, 2, 1, '2026-10-07T09:00:00.000Z']);
    // The row without a source at all counts for no source; it is still kept as a reject.
    expect((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ingest_rejects WHERE file = 'plain.csv' AND source IS NULL`))[0]!.n).toBe(1);
  });

  it('resolves a reader: the source time zone (else the settings one), the merged mapping, and customers by domain', async () => {
    const oslo = await resolveSource(db, { source: 'mcu-oslo' });
    expect(oslo.format.name).toBe('confbill-csv');
    expect(oslo.reader.timeZone).toBe('Europe/Oslo');
    expect((await resolveSource(db, { source: 'mcu-plain' })).reader.timeZone).toBe('America/New_York');
    const october = Date.parse('2026-10-05T09:00:00Z');
    expect(oslo.reader.customerOfDomain!('vc.so1.example', october)).toBe('so1');
    expect(oslo.reader.customerOfDomain!('so1.example.org', october)).toBeUndefined();
    await expect(resolveSource(db, { source: 'mcu-oslo', format: 'nope' })).rejects.toThrow(/configured for format confbill-csv, not nope/);
    await expect(resolveSource(db, {})).rejects.toThrow(/Say which format/);
  });

  it("tells a domain's customer as matching does: only rules valid at the call's start, and no one when two customers' rules cover it", async () => {
    await applyConfig(db, parseProviderConfig(`
customers:
  - { id: so3, name: Old Owner, timezone: Europe/Oslo, matching: [{ kind: domain, value: moved.example, validTo: '2026-10-01' }] }
  - { id: so4, name: New Owner, matching: [{ kind: domain, value: moved.example, validFrom: '2026-10-01' }, { kind: domain, value: shared.example }] }
  - { id: so5, name: Sharer, matching: [{ kind: domain, value: shared.example }, { kind: domain, value: vc.so1.example }] }
`, 'domains.yaml'));
    const { reader } = await resolveSource(db, { format: 'sfb-csv' });
    const matcher = await loadCallMatcher(db);
    const cases: [string, string, string | undefined][] = [
      // so3's rule ends at midnight in Oslo (22:00 UTC), not at midnight UTC.
      ['room.moved.example', '2026-09-30T21:59:00Z', 'so3'],
      ['room.moved.example', '2026-09-30T22:00:00Z', undefined], // so4's starts at midnight in New York
      ['room.moved.example', '2026-10-05T09:00:00Z', 'so4'],
      ['shared.example', '2026-10-05T09:00:00Z', undefined],
      ['vc.so1.example', '2026-10-05T09:00:00Z', undefined],
      ['other.so1.example', '2026-10-05T09:00:00Z', 'so1'],
    ];
    for (const [domain, at, owner] of cases) {
      expect([domain, at, reader.customerOfDomain!(domain, Date.parse(at))]).toEqual([domain, at, owner]);
      // The same answer as matching gives a call from that domain.
      const outcome = matcher.match({ startedAt: Date.parse(at), localAlias: `someone@${domain}`, source: 'nowhere' });
      expect(outcome.status === 'matched' ? outcome.customerId : undefined).toBe(owner);
    }
  });

  it('merges mappings key by key and applies exclusion rules', () => {
    const merged = mergeVendorMapping({ categories: { sip: 'video', lync: 'video' }, directions: { incoming: 'inbound' }, exclude: [] }, { categories: { lync: 'skype' }, exclude: [{ field: 'subType', equals: 'distributionLink', reason: 'link' }] });
    expect(merged).toEqual({ categories: { sip: 'video', lync: 'skype' }, directions: { incoming: 'inbound' }, exclude: [{ field: 'subType', equals: 'distributionLink', reason: 'link' }] });
    expect(exclusionOf(merged.exclude, { subType: 'distributionLink' })?.reason).toBe('link');
    expect(exclusionOf([{ field: 'remote', matches: '^scanner-', reason: 'scanner' }], { remote: 'scanner-17' })?.reason).toBe('scanner');
    expect(exclusionOf(merged.exclude, { subType: 'lync' })).toBeUndefined();
    expect(exclusionOf([{ field: 'constructor', matches: '.', reason: 'x' }], {})).toBeUndefined();
  });

  it('refuses a source with an unknown format or default customer, with the key path', async () => {
    expect(() => parseProviderConfig('sources: [{ id: x, format: fax }]', 'bad.yaml')).toThrow(/sources\[0\]\.format: must be a known format/);
    await expect(applyConfig(db, parseProviderConfig('sources: [{ id: x, format: confbill-csv, defaultCustomer: ghost }]', 'bad.yaml'))).rejects.toThrow(/defaultCustomer "ghost" does not exist/);
  });
});
