import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Call } from '../../../src/domain/call.ts';
import { defaultMapping } from '../../../src/ingest/cisco-expressway/defaultMapping.ts';
import { expresswayLocalTime } from '../../../src/ingest/cisco-expressway/expresswayLocalTime.ts';
import { readExpresswayJson } from '../../../src/ingest/cisco-expressway/readExpresswayJson.ts';
import type { IngestRecord } from '../../../src/ingest/ingestRecord.ts';
import { mergeVendorMapping, type VendorMappingOverride } from '../../../src/ingest/vendorMapping.ts';
import { describeOnSamples, sharedDir } from '../../support/sharedSamples.ts';

const samples = join(sharedDir, 'samples/cisco-expressway');

async function read(input: string | Buffer | Buffer[], options: { timeZone?: string; source?: string; mapping?: VendorMappingOverride } = {}): Promise<IngestRecord[]> {
  const records: IngestRecord[] = [];
  const mapping = options.mapping ? mergeVendorMapping(defaultMapping, options.mapping) : undefined;
  for await (const r of readExpresswayJson(Readable.from(Array.isArray(input) ? input : [input]), { file: 'cdr.json', timeZone: options.timeZone, source: options.source, mapping })) records.push(r);
  return records;
}

const callsOf = (records: IngestRecord[]): Call[] => records.flatMap((r) => (r.kind === 'call' ? [r.call] : []));
const summary = (records: IngestRecord[]): (string | number | null)[][] =>
  records.map((r) => (r.kind === 'call' ? [r.line, 'call'] : r.kind === 'reject' ? [r.line, 'reject', r.field] : [r.line, 'excluded', r.reason]));

/** A minimal record of the get_all_records shape. */
function record(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uuid: 'u-1', tag: 't-1', initial_call: 'true', licensed: 'true', active: 'false', protocol: 'SIP <-> SIP', audio: 'false',
    source_alias: 'sip:alice@provider.example', destination_alias: 'sip:room@customer.example', disconnect_reason: '200 OK',
    start_time: '2026-03-10 09:00:00.250000', end_time: '2026-03-10 09:01:05.900000', ...changes,
  };
}

describe('expresswayLocalTime', () => {
  it('reads the box wall clock in its time zone, the DST overlap as the first and the gap as one hour later', () => {
    expect(expresswayLocalTime('2018-08-13 07:58:44.375125', 'Europe/Oslo')).toBe(Date.UTC(2018, 7, 13, 5, 58, 44, 375));
    expect(expresswayLocalTime('2015-10-13 01:36:29.745651', 'America/Los_Angeles')).toBe(Date.UTC(2015, 9, 13, 8, 36, 29, 745));
    // Oslo 2018-10-28 02:30 happens twice (CEST, then CET): the first, 00:30 UTC.
    expect(expresswayLocalTime('2018-10-28 02:30:00', 'Europe/Oslo')).toBe(Date.UTC(2018, 9, 28, 0, 30));
    // Oslo 2018-03-25 02:30 never happens: read as 03:30 CEST, 01:30 UTC.
    expect(expresswayLocalTime('2018-03-25 02:30:00', 'Europe/Oslo')).toBe(Date.UTC(2018, 2, 25, 1, 30));
    expect(expresswayLocalTime('2018-08-13T07:58:44', 'UTC')).toBe(Date.UTC(2018, 7, 13, 7, 58, 44));
  });

  it('refuses what is not a wall time or a date that does not exist', () => {
    for (const bad of ['', '2018-02-30 10:00:00', '2018-08-13 25:00:00', '2018-08-13 07:58', '2018-08-13 07:58:44Z', '1534141296']) expect(expresswayLocalTime(bad, 'UTC')).toBeUndefined();
  });
});

describeOnSamples('expressway-json reader on the public samples', () => {
  const usage = (): string => readFileSync(join(samples, 'callusage-records-2018-08-13.json'), 'utf8');
  const guide = (): string => readFileSync(join(samples, 'admin-guide-X14.2-sample-cdr.normalized.json'), 'utf8');

  it('reads the 2018 VCS records (box in UTC+2, Europe/Stockholm): a failed 0 s call and a 1372 s traversal video call, both placed by registered SX10s', async () => {
    const records = await read(usage(), { timeZone: 'Europe/Stockholm', source: 'vcs-1' });
    expect(summary(records)).toEqual([[1, 'call'], [3, 'call']]);
    expect(callsOf(records)).toEqual([
      {
        source: 'vcs-1', externalId: 'b03924b3-bdb6-4b26-ad41-b1c6678037b2', conferenceId: '04f801c5-2f89-4e47-9351-37f15da22ca6',
        startedAt: Date.UTC(2018, 7, 13, 6, 1, 43, 152), durationSeconds: 0, category: 'video', direction: 'outbound', protocol: 'sip',
        localAlias: 'sip:bewi.norrtalje@umemeeting.se', remoteAlias: 'sip:bewi.norrtalje.vr@mindspacecloud.com', disconnectReason: '487 Request Terminated',
      },
      {
        // end_time 08:21:36 local = last_updated_timestamp 1534141296 (06:21:36 UTC): the zone is right.
        source: 'vcs-1', externalId: '8f7d23d5-f967-4067-bd6d-2ea1229b6959', conferenceId: 'c2e874f5-fc7f-44d5-9014-368f8316fd04',
        startedAt: Date.UTC(2018, 7, 13, 5, 58, 44, 375), durationSeconds: 1372, category: 'video', direction: 'outbound', protocol: 'sip',
        localAlias: 'sip:bewi.vargarda@umemeeting.se', remoteAlias: 'sip:bewi.norrtalje.vr@mindspacecloud.com', disconnectReason: '200 OK',
      },
    ]);
  });

  it('excludes the admin guide sample: a B2BUA secondary component (initial_call false)', async () => {
    expect(summary(await read(guide(), { timeZone: 'America/Los_Angeles' }))).toEqual([[1, 'excluded', 'B2BUA secondary component']]);
    // With the rule removed it is an inbound 3 s leg from an unregistered caller, at 08:36:26 UTC.
    const records = await read(guide(), { timeZone: 'America/Los_Angeles', mapping: { exclude: [] } });
    expect(callsOf(records)).toEqual([
      expect.objectContaining({ source: 'expressway', startedAt: Date.UTC(2015, 9, 13, 8, 36, 26, 485), durationSeconds: 3, direction: 'inbound', localAlias: 'sip:10000010@cucm-82', remoteAlias: 'sip:10000005@10.196.4.82' }),
    ]);
  });

  it('is idempotent: twice, records in another order, or split into odd chunks give the same legs', async () => {
    const first = callsOf(await read(usage()));
    expect(callsOf(await read(usage()))).toEqual(first);
    const reversed = JSON.stringify((JSON.parse(usage()) as unknown[]).reverse());
    expect(callsOf(await read(reversed)).sort((a, b) => a.externalId.localeCompare(b.externalId))).toEqual([...first].sort((a, b) => a.externalId.localeCompare(b.externalId)));
    const bytes = Buffer.from(usage());
    expect(callsOf(await read(Array.from({ length: Math.ceil(bytes.length / 5) }, (_, i) => bytes.subarray(i * 5, i * 5 + 5))))).toEqual(first);
  });

  it('fuzz: mutated real sample text never throws, and every record is a leg, a reject with a reason, or excluded', async () => {
    const text = Buffer.from(usage());
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('bytes' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 4 }) }),
      fc.record({ kind: fc.constant('replace' as const), from: fc.constantFrom('2018-08-13', '"1372"', '"true"', '{', '}', '"', ','), to: fc.constantFrom('1970-01-01', '2100-01-01', '"99999999"', '"-4"', '', '"', '{', ']') }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { maxLength: 5 }), fc.constantFrom('UTC', 'Europe/Oslo', 'America/New_York'), async (mutations, timeZone) => {
        let body = text;
        for (const m of mutations) {
          if (m.kind === 'cut') body = body.subarray(0, m.at % (body.length + 1));
          else if (m.kind === 'bytes') body = Buffer.concat([body.subarray(0, m.at % (body.length + 1)), Buffer.from(m.bytes), body.subarray(m.at % (body.length + 1))]);
          else body = Buffer.from(body.toString('latin1').replace(m.from, m.to), 'latin1');
        }
        const records = await read(body, { timeZone });
        for (const r of records) {
          if (r.kind === 'call') {
            expect(r.call.startedAt).toBeGreaterThanOrEqual(Date.UTC(2000, 0, 1));
            expect(r.call.startedAt).toBeLessThan(Date.UTC(2100, 0, 1));
            expect(Number.isInteger(r.call.durationSeconds) && r.call.durationSeconds >= 0 && r.call.durationSeconds <= 604800).toBe(true);
            expect(r.call.externalId).not.toBe('');
            expect(`${r.call.localAlias ?? ''}${r.call.remoteAlias ?? ''}${r.call.externalId}`).not.toContain('\uFFFD');
          } else if (r.kind === 'reject') {
            expect(r.line).toBeGreaterThanOrEqual(1);
            expect(r.reason.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 1500 },
    );
  });
});

const osloFile = fileURLToPath(new URL('../../fixtures/cisco-expressway/call-usage-2026-03-29-oslo.json', import.meta.url));

describe('expressway-json reader on the in-repo file (test/fixtures/cisco-expressway)', () => {
  const leg = (n: number) => `3c1d2e4f-000${n}-4a5b-8c6d-7e8f9a0b1c2d`;
  const tag = (n: number) => `5f6a7b8c-${String(n).repeat(4)}-4d2e-9f3a-4b5c6d7e8f90`;

  it('a box in Europe/Oslo on the day the clocks go forward: legs, the B2BUA and peer records excluded, a bad record rejected', async () => {
    const records = await read(readFileSync(osloFile), { timeZone: 'Europe/Oslo', source: 'vcs-oslo' });
    expect(summary(records)).toEqual([
      [2, 'call'], [3, 'call'], [4, 'call'], [5, 'excluded', 'B2BUA secondary component'], [6, 'excluded', 'not licensed on this box (counted on its peer)'], [7, 'call'], [8, 'reject', 'end_time'],
    ]);
    const base = { source: 'vcs-oslo', disconnectReason: 'Call disconnected' };
    expect(callsOf(records)).toEqual([
      // 10:15:02.5 summer time (+02:00); 1372 s from details; the caller is registered here: outbound, its alias local.
      { ...base, externalId: leg(1), conferenceId: tag(1), startedAt: Date.UTC(2026, 2, 29, 8, 15, 2, 500), durationSeconds: 1372, category: 'video', direction: 'outbound', protocol: 'sip', localAlias: 'sip:boardroom@acme.example', remoteAlias: 'sip:sales@partner.example' },
      // 23:59:30 winter time (+01:00) the day before; no details: 00:04:31.4 − 23:59:30 = 301.4 s → 301; an unregistered H.323 audio caller: inbound.
      { ...base, externalId: leg(2), conferenceId: tag(2), startedAt: Date.UTC(2026, 2, 28, 22, 59, 30), durationSeconds: 301, category: 'audio', direction: 'inbound', protocol: 'h323', localAlias: 'sip:helpdesk@acme.example', remoteAlias: 'h323:+4722334455@gw.partner.example' },
      // Never answered (487): 0 s, not billable.
      { ...base, externalId: leg(3), conferenceId: tag(3), startedAt: Date.UTC(2026, 2, 29, 9, 0, 0), durationSeconds: 0, category: 'video', direction: 'outbound', protocol: 'sip', localAlias: 'sip:boardroom@acme.example', remoteAlias: 'sip:ceo@partner.example', disconnectReason: '487 Request Terminated' },
      // 02:30 does not exist in Oslo that night: read as 03:30+02:00.
      { ...base, externalId: leg(6), conferenceId: tag(6), startedAt: Date.UTC(2026, 2, 29, 1, 30, 0), durationSeconds: 600, category: 'video', direction: 'inbound', protocol: 'sip', localAlias: 'sip:ops@acme.example', remoteAlias: 'sip:night-shift@partner.example' },
    ]);
    expect(records.at(-1)).toMatchObject({ reason: 'end_time "2026-03-29 13:00:00.000000" is before start_time "2026-03-29 14:00:00.000000"' });
  });

  it('read as UTC (no time zone configured) every wall time lands one or two hours later', async () => {
    const calls = callsOf(await read(readFileSync(osloFile), { source: 'vcs-oslo' }));
    expect(calls.map((c) => new Date(c.startedAt).toISOString())).toEqual(['2026-03-29T10:15:02.500Z', '2026-03-28T23:59:30.000Z', '2026-03-29T11:00:00.000Z', '2026-03-29T02:30:00.000Z']);
  });
});

describe('expressway-json reader on made-up records', () => {
  it('rejects bad records with their line, field and reason, and the good ones around them still yield legs', async () => {
    const lines = [
      record({ uuid: 'a' }),
      record({ uuid: 'b', start_time: '1970-01-01 00:00:00' }),
      record({ uuid: 'c', start_time: '2100-01-01 00:00:00' }),
      record({ uuid: 'd', end_time: '2026-03-18 09:00:00' }), // 8 days
      record({ uuid: 'e', end_time: '2026-03-10 08:00:00' }),
      record({ uuid: '' }),
      record({ uuid: 'f', start_time: 'yesterday' }),
      record({ uuid: 'g', active: 'true' }),
      record({ uuid: 'h', licensed: 'false' }),
      record({ uuid: 'i', audio: 'true', protocol: 'H323 <-> SIP', disconnect_reason: '' }),
    ].map((r) => JSON.stringify(r));
    const text = `[${lines.join(',\n')},\n{"uuid": "cut-off", "start_time": "2026-03-10`;
    const records = await read(text);
    expect(summary(records)).toEqual([
      [1, 'call'], [2, 'reject', 'start_time'], [3, 'reject', 'start_time'], [4, 'reject', 'end_time'], [5, 'reject', 'end_time'], [6, 'reject', 'uuid'], [7, 'reject', 'start_time'],
      [8, 'excluded', 'call still in progress'], [9, 'excluded', 'not licensed on this box (counted on its peer)'], [10, 'call'], [11, 'reject', null],
    ]);
    const reasons = records.flatMap((r) => (r.kind === 'reject' ? [r.reason] : []));
    expect(reasons[0]).toBe('start_time "1970-01-01 00:00:00" is outside the years 2000-2099');
    expect(reasons[2]).toBe('end_time gives 691199 s, longer than a week');
    expect(reasons[6]).toBe('record is cut off: the input ends inside it (truncated file?)');
    const [a, i] = callsOf(records);
    // Without details, the duration is end - start in whole seconds (65.65 s → 65); an unregistered caller is inbound.
    expect(a).toEqual({ source: 'expressway', externalId: 'a', conferenceId: 't-1', startedAt: Date.UTC(2026, 2, 10, 9, 0, 0, 250), durationSeconds: 65, category: 'video', direction: 'inbound', protocol: 'sip', localAlias: 'sip:room@customer.example', remoteAlias: 'sip:alice@provider.example', disconnectReason: '200 OK' });
    expect(i).toMatchObject({ category: 'audio', protocol: 'h323' });
  });

  it('maps protocols to categories when configured, and refuses bytes that are not UTF-8 in the fields it uses', async () => {
    const interworked = JSON.stringify(record({ protocol: 'SIP <-> H323' }));
    expect(callsOf(await read(`[${interworked}]`, { mapping: { categories: { 'SIP <-> H323': 'gateway' } } }))[0]).toMatchObject({ category: 'gateway' });
    const [before, after] = `[${JSON.stringify(record())}]`.split('alice');
    const records = await read(Buffer.concat([Buffer.from(`${before!}al`), Buffer.from([0xff]), Buffer.from(`ice${after!}`)]));
    expect(summary(records)).toEqual([[1, 'reject', 'source_alias']]);
  });

  it('fuzz: among damaged records, each good record still yields its leg, one record per line', async () => {
    const damages: Record<string, unknown>[] = [
      { start_time: '1970-01-01 00:00:00' }, { start_time: '2100-06-01 00:00:00' }, { end_time: '2099-01-01 00:00:00' }, { start_time: 42 }, { uuid: null },
      { details: '{"Call":{"Duration":"99999999"}}' }, { details: '{broken' }, { start_time: '2026-13-01 00:00:00' },
    ];
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(fc.constantFrom(...damages), { nil: undefined }), { maxLength: 15 }), async (plan) => {
        const text = `[\n${plan.map((d, i) => JSON.stringify(record({ uuid: `u-${i}`, ...d }))).join(',\n')}\n]`;
        const records = await read(text, { timeZone: 'Europe/Oslo' });
        expect(records).toHaveLength(plan.length);
        plan.forEach((d, i) => {
          if (d === undefined) expect(records[i]).toMatchObject({ kind: 'call', line: i + 2, call: { externalId: `u-${i}` } });
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses an unknown time zone once, and text between records', async () => {
    expect(summary(await read(`[${JSON.stringify(record())}]`, { timeZone: 'Mars/Base' }))).toEqual([[null, 'reject', null]]);
    expect(summary(await read(`[${JSON.stringify(record())},\ngarbage\n]`))).toEqual([[1, 'call'], [2, 'reject', null]]);
  });
});
