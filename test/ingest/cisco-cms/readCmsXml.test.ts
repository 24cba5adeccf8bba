import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { IngestRecord } from '../../../src/ingest/ingestRecord.ts';
import { readCmsXml } from '../../../src/ingest/cisco-cms/readCmsXml.ts';
import { parseCmsRecords } from '../../../src/ingest/cisco-cms/parseCmsRecords.ts';
import { hasShared, sharedDir } from '../../support/sharedSamples.ts';

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

describe.runIf(hasShared)('cms-xml reader on the shared samples', () => {
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
