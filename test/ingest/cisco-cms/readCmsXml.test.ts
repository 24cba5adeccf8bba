import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { IngestRecord } from '../../../src/ingest/ingestRecord.ts';
import { readCmsXml } from '../../../src/ingest/cisco-cms/readCmsXml.ts';
import { parseCmsRecords } from '../../../src/ingest/cisco-cms/parseCmsRecords.ts';
import { describeOnSamples, sharedDir } from '../../support/sharedSamples.ts';

const dir = join(sharedDir, 'samples/cisco-cms');
const text = (path: string): string => readFileSync(join(dir, path), 'utf8');
const folder = (path: string): string => readdirSync(join(dir, path)).sort().map((f) => text(join(path, f))).join('\n');

async function read(input: string, source = 'cms-oslo'): Promise<IngestRecord[]> {
  const out: IngestRecord[] = [];
  for await (const r of readCmsXml(Readable.from([Buffer.from(input)]), { file: 'capture', source })) out.push(r);
  return out;
}
const callsOf = (records: IngestRecord[]) => records.flatMap((r) => (r.kind === 'call' ? [r.call] : []));

const conference2017 = 'f50d36fb-b258-43d2-951f-e33a8c42baa9';
/** The 2017 "techsupport" call, read by hand from the nine posts. */
const legs2017 = [
  // Only a callLegUpdate (connected 12:01:52) came for this SIP leg: closed at the callEnd, 13:06:05.
  { externalId: '900ad298-dd62-4d24-a47f-406fd5564cb2', startedAt: Date.UTC(2017, 3, 24, 12, 1, 52), durationSeconds: 3853, category: 'video', direction: 'inbound', protocol: 'sip', remoteAlias: 'user2@example.org', disconnectReason: 'callEnd' },
  { externalId: '9d9a01c5-8e44-4953-b8bc-a0fdf56ea1ef', startedAt: Date.UTC(2017, 3, 24, 12, 0, 11), durationSeconds: 3953, category: 'webrtc', direction: 'inbound', protocol: 'acano', remoteAlias: 'participant1@example.org', disconnectReason: 'remoteTeardown' },
  { externalId: 'aa7c3c54-07d6-4af3-b853-a25fe676e554', startedAt: Date.UTC(2017, 3, 24, 12, 0, 53), durationSeconds: 3912, category: 'webrtc', direction: 'inbound', protocol: 'acano', remoteAlias: 'participant2@example.org', disconnectReason: 'remoteTeardown' },
].map((leg) => ({ source: 'cms-oslo', conferenceId: conference2017, ...leg }));

describeOnSamples('cms-xml reader on the public samples', () => {
  it('2017 capture (JSON lines): one coSpace call, three legs of about 66 minutes', async () => {
    const records = await read(text('capture-2017-04-24/posts.jsonl'));
    expect(records.filter((r) => r.kind !== 'call')).toEqual([]);
    expect(callsOf(records)).toEqual(legs2017);
  });

  it('2017 capture as the nine XML files, in any order, or twice: the same legs', async () => {
    const files = readdirSync(join(dir, 'capture-2017-04-24')).filter((f) => f.endsWith('.xml')).map((f) => text(join('capture-2017-04-24', f)));
    expect(callsOf(await read(files.join('\n')))).toEqual(legs2017);
    expect(callsOf(await read([...files].reverse().join('')))).toEqual(legs2017);
    expect(callsOf(await read([...files, ...files].join('\n')))).toEqual(legs2017);
  });

  it('2022 cluster fixture: the leg without callLegStart is billed from its callLegEnd, tenant kept', async () => {
    const records = await read(folder('fixture-2022-05-17-missing-callLegStart'));
    expect(callsOf(records)).toEqual([{
      source: 'cms-oslo', externalId: '1611cb0c-e6a1-4e54-bd3a-53926d321da3', conferenceId: '4417fa02-5538-48cc-a835-ff854afc0d8c',
      // callLegEnd at 10:09:08 minus its 98 s.
      startedAt: Date.UTC(2022, 4, 17, 10, 7, 30), durationSeconds: 98, category: 'video', direction: 'inbound', protocol: 'sip',
      remoteAlias: '0701234567@node01.example.org', tenant: '5f90ff0f-0705-4341-9b20-42b8df54c012', disconnectReason: 'remoteTeardown',
    }]);
    expect(records).toHaveLength(1);
  });

  it('2019 recording and streaming fragments: recorder and streamer legs, not billed', async () => {
    const records = await read(folder('fixture-2019-recording-streaming'));
    expect(records.map((r) => r.kind === 'excluded' && r.reason).sort()).toEqual(['recorder leg', 'streamer leg']);
  });

  it('CDR Guide example: a SIP leg that has not ended yields no call; the lab callStart none at all', async () => {
    expect(await read(folder('cms-2.0-cdr-guide-example'))).toEqual([{ kind: 'excluded', line: 2, reason: 'not ended in this input' }]);
    expect(await read(text('ciscocms-cdr-receiver-readme-callStart.xml'))).toEqual([]);
    const parsed = parseCmsRecords(text('cms-2.0-cdr-guide-example/post3-callLegStart.xml'));
    expect(parsed).toMatchObject({ readable: true, items: [{ kind: 'record', record: { callBridge: '158ba4f7-70eb-4a35-982c-71d4f1674277', legId: '9cfdb064-3ae9-4b08-a003-6478187f375f', fields: { localAddress: 'access2@127.0.0.1', type: 'sip', direction: 'incoming' } } }] });
  });

  it('the hand-made conflicting callEnd (same session and correlatorIndex as the callStart) is rejected and changes nothing', async () => {
    const records = await read(folder('capture-2017-04-24').replace(/^\{.*$/gm, '') + text('fixture-conflicting-callEnd.xml'));
    expect(callsOf(records)).toEqual(legs2017);
    expect(records.filter((r) => r.kind === 'reject')).toMatchObject([{ field: 'correlatorIndex', line: 11 }]);
  });
});

const fixture = fileURLToPath(new URL('../../fixtures/cisco-cms/capture-2026-10-05/', import.meta.url));
const fixtureXml = (): string[] => readdirSync(fixture).filter((f) => f.endsWith('.xml')).sort().map((f) => readFileSync(join(fixture, f), 'utf8'));
const conference = 'a4f2c9e7-1b3d-4e6a-8c5f-7d9b0e2a4c61';
const legId = (n: number): string => `11111111-aaaa-4bbb-8ccc-00000000000${n}`;
/** The in-repo capture's billable legs, worked out by hand from its records (times UTC). */
const fixtureLegs = [
  // callLegStart 08:00:04, callLegEnd says 2696 s (to 08:45:00); h264 received: video.
  { externalId: legId(1), startedAt: Date.UTC(2026, 9, 5, 8, 0, 4), durationSeconds: 2696, category: 'video', direction: 'inbound', protocol: 'sip', localAlias: 'weekly@cms.provider.example', remoteAlias: 'alice@acme.example', disconnectReason: 'remoteTeardown' },
  // A Meeting App (acano) leg with no localAddress: the remoteParty is its remote alias.
  { externalId: legId(2), startedAt: Date.UTC(2026, 9, 5, 8, 1, 30), durationSeconds: 1770, category: 'webrtc', direction: 'inbound', protocol: 'acano', remoteAlias: 'bjorn@acme.example', disconnectReason: 'clientTeardown' },
  // Only a callLegUpdate "connected" at 08:05:10 (its start was lost): closed at the callEnd, 08:46:00; a sipCallId makes it sip.
  { externalId: legId(4), startedAt: Date.UTC(2026, 9, 5, 8, 5, 10), durationSeconds: 2450, category: 'video', direction: 'inbound', protocol: 'sip', localAlias: 'weekly@cms.provider.example', remoteAlias: 'room-7@acme.example', disconnectReason: 'callEnd' },
  // Dialled out to a phone number, g711u only: audio.
  { externalId: legId(5), startedAt: Date.UTC(2026, 9, 5, 8, 10, 0), durationSeconds: 600, category: 'audio', direction: 'outbound', protocol: 'sip', localAlias: 'weekly@cms.provider.example', remoteAlias: '+4791234567@gw.provider.example', disconnectReason: 'remoteTeardown' },
].map((leg) => ({ source: 'cms-oslo', conferenceId: conference, tenant: 'acme', ...leg }));

describe('cms-xml reader on the in-repo capture (test/fixtures/cisco-cms)', () => {
  it('posts as JSON lines: four billable legs, the recorder and the unknown destination excluded, the bad time rejected', async () => {
    const records = await read(readFileSync(join(fixture, 'posts.jsonl'), 'utf8'));
    expect(callsOf(records).sort((a, b) => a.externalId.localeCompare(b.externalId))).toEqual(fixtureLegs);
    expect(records.flatMap((r) => (r.kind === 'excluded' ? [r.reason] : [])).sort()).toEqual(['call to an unknown destination', 'recorder leg']);
    expect(records.filter((r) => r.kind === 'reject')).toEqual([{
      kind: 'reject', line: 9, field: 'time', reason: 'time "2026-10-05T25:00:00Z" is not an RFC 3339 instant', raw: expect.stringContaining('correlatorIndex="208"'),
    }]);
    expect(records).toHaveLength(7);
  });

  it('the ten XML files in any order, or twice: the same legs', async () => {
    const files = fixtureXml();
    const sorted = async (text: string) => callsOf(await read(text)).sort((a, b) => a.externalId.localeCompare(b.externalId));
    expect(await sorted(files.join('\n'))).toEqual(fixtureLegs);
    expect(await sorted([...files].reverse().join(''))).toEqual(fixtureLegs);
    expect(await sorted([...files, ...files].join('\n'))).toEqual(fixtureLegs);
  });

  it('without the callEnd, the leg that only has an update waits; the others are complete', async () => {
    const records = await read(fixtureXml().slice(0, 9).join('\n'));
    expect(callsOf(records).map((c) => c.externalId).sort()).toEqual([legId(1), legId(2), legId(5)]);
    expect(records.filter((r) => r.kind === 'excluded' && r.reason === 'not ended in this input')).toHaveLength(1);
  });
});

describe('cms-xml parsing of bad input', () => {
  const leg = (attrs: string, body = '<durationSeconds>60</durationSeconds>') =>
    `<record type="callLegEnd" ${attrs}><callLeg id="leg-1">${body}</callLeg></record>`;
  const doc = (...records: string[]) => `<?xml version="1.0"?><records session="s-1">${records.join('')}</records>`;

  it('rejects each bad record with its field and reason, and keeps the good ones', () => {
    const parsed = parseCmsRecords(doc(
      leg('time="1970-01-01T00:00:00Z" correlatorIndex="1"'),
      leg('time="2100-01-01T00:00:00Z" correlatorIndex="2"'),
      leg('time="2020-01-01T00:00:00Z"'),
      leg('time="2020-01-01T00:00:00Z" correlatorIndex="4"', '<durationSeconds>99999999</durationSeconds>'),
      leg('time="2020-01-01T00:00:00Z" correlatorIndex="5"', '<durationSeconds>-3</durationSeconds>'),
      leg('time="yesterday" correlatorIndex="6"'),
      '<record type="meetingStart" time="2020-01-01T00:00:00Z" correlatorIndex="7"/>',
      leg('time="2020-01-01T00:00:00Z" correlatorIndex="8"'),
    ));
    expect(parsed.readable).toBe(true);
    if (!parsed.readable) return;
    expect(parsed.items.map((i) => (i.kind === 'reject' ? i.field : i.kind))).toEqual(['time', 'time', 'correlatorIndex', 'durationSeconds', 'durationSeconds', 'time', 'ignored', 'record']);
    expect(parsed.items[0]).toMatchObject({ reason: 'time "1970-01-01T00:00:00Z" is outside the years 2000-2099', raw: expect.stringContaining('1970') });
  });

  it('refuses truncated XML, garbage and entity declarations as a whole', () => {
    expect(parseCmsRecords(doc(leg('time="2020-01-01T00:00:00Z" correlatorIndex="1"')).slice(0, 80)).readable).toBe(false);
    expect(parseCmsRecords('\u0000\u0001garbage').readable).toBe(false);
    expect(parseCmsRecords('<!DOCTYPE r [<!ENTITY a "aaaa">]><records session="s"/>').readable).toBe(false);
  });

  it('rejects a record with bytes that are not UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from(doc(leg('time="2020-01-01T00:00:00Z" correlatorIndex="1"', '<durationSeconds>60</durationSeconds><displayName>A')).slice(0, -30)), Buffer.from([0xff, 0xfe]), Buffer.from('</displayName></callLeg></record></records>')]);
    const parsed = parseCmsRecords(new TextDecoder().decode(bytes));
    expect(parsed).toMatchObject({ readable: true, items: [{ kind: 'reject', field: 'displayName', reason: 'displayName is not valid UTF-8' }] });
  });
});
