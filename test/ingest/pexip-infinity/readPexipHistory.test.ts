import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Call } from '../../../src/domain/call.ts';
import { defaultMapping } from '../../../src/ingest/pexip-infinity/defaultMapping.ts';
import { readPexipHistory } from '../../../src/ingest/pexip-infinity/readPexipHistory.ts';
import { mergeVendorMapping } from '../../../src/ingest/vendorMapping.ts';
import { describeOnSamples, sharedDir } from '../../support/sharedSamples.ts';
import { historyPage, historyParticipant, outline, readAll } from './pexipFixtures.ts';

const samples = join(sharedDir, 'samples/pexip-infinity');
const sample = (name: string): string => readFileSync(join(samples, name), 'utf8');
const calls = (records: Awaited<ReturnType<typeof readAll>>): Call[] => records.flatMap((r) => (r.kind === 'call' ? [r.call] : []));

describeOnSamples('pexip-history reader on the public samples', () => {
  it('participant-2020-12-21.json: one inbound WebRTC leg of 1178 s into "Meetup", from its naive UTC start_time', async () => {
    const records = await readAll(readPexipHistory, sample('history-api/participant-2020-12-21.json'));
    expect(records).toEqual([{
      kind: 'call', line: 1,
      call: {
        source: 'pexip-1', externalId: 'a94332fc-7a07-4935-9f78-6f87bc4df0d0', conferenceId: 'Meetup',
        startedAt: Date.UTC(2020, 11, 21, 8, 39, 50, 905), durationSeconds: 1178, category: 'webrtc', direction: 'inbound',
        protocol: 'WebRTC', localAlias: 'meetup', remoteAlias: 'Test', disconnectReason: 'Call disconnected',
      },
    }]);
  });

  it('participant-docs-example-2015.json: Bob, 519 s into meet.alice (the inconsistent media stream dates play no part)', async () => {
    const records = await readAll(readPexipHistory, sample('history-api/participant-docs-example-2015.json'));
    expect(records).toEqual([{
      kind: 'call', line: 1,
      call: {
        source: 'pexip-1', externalId: '00000000-0000-0000-0000-000000000003', conferenceId: 'meet.alice',
        startedAt: Date.UTC(2015, 3, 2, 9, 46, 53, 712), durationSeconds: 519, category: 'webrtc', direction: 'inbound',
        protocol: 'WebRTC', localAlias: 'meet@example.com', remoteAlias: 'Infinity_Connect_Media_10.0.0.2', disconnectReason: 'Call disconnected',
      },
    }]);
  });

  it.each(['history-api/conference-2020-12-21.json', 'history-api/conference-docs-example-2015.json'])('%s: a conference record is excluded, not a leg', async (name) => {
    expect(await readAll(readPexipHistory, sample(name))).toEqual([{ kind: 'excluded', line: 1, reason: 'conference record, not a participant' }]);
  });

  it('status-api/participant-docs-example.json: a live status record is rejected (the leg has not ended)', async () => {
    const [record] = await readAll(readPexipHistory, sample('status-api/participant-docs-example.json'));
    expect(record).toMatchObject({ kind: 'reject', line: 1, field: 'end_time' });
    expect(record?.kind === 'reject' && record.reason).toContain('live status record');
  });

  it('the samples as one API page, an array of pages and a bare array give the same legs', async () => {
    const objects = ['history-api/participant-2020-12-21.json', 'history-api/conference-2020-12-21.json', 'history-api/participant-docs-example-2015.json'].map((n) => JSON.parse(sample(n)) as unknown);
    const page = await readAll(readPexipHistory, JSON.stringify(historyPage(objects)));
    const pages = await readAll(readPexipHistory, JSON.stringify([historyPage(objects.slice(0, 2)), historyPage(objects.slice(2))]));
    const bare = await readAll(readPexipHistory, JSON.stringify(objects, null, 2));
    expect(outline(page)).toEqual([[1, 'call'], [2, 'excluded:conference record, not a participant'], [3, 'call']]);
    expect(pages).toEqual(page);
    expect(bare).toEqual(page);
  });
});

describe('pexip-history reader', () => {
  it('defaults the source to "pexip" and takes the conference UUID when there is no conference_name', async () => {
    const [record] = await readAll(readPexipHistory, JSON.stringify(historyParticipant('p-1', { conference_name: null })), { source: undefined });
    expect(record).toMatchObject({ kind: 'call', call: { source: 'pexip', conferenceId: 'c4cc1c92-6b05-4ed9-9be6-92074cfecf7f' } });
    // An empty service_tag is no tenant.
    expect(record?.kind === 'call' && 'tenant' in record.call).toBe(false);
  });

  it('maps protocols, services, media and directions by the default mapping; aliases stay as the history gives them', async () => {
    const participants = [
      historyParticipant('sip-video'),
      historyParticipant('sip-audio', { media_streams: [{ stream_type: 'audio' }] }),
      historyParticipant('h323-audio-licence', { protocol: 'H323', license_type: 'audio', media_streams: [] }),
      historyParticipant('gateway', { service_type: 'gateway', call_direction: 'out', local_alias: 'sip:room@acme.example', remote_alias: '+4721000000' }),
      historyParticipant('skype', { protocol: 'MSSIP' }),
      historyParticipant('teams', { protocol: 'TEAMS', service_type: 'gateway', call_direction: 'out' }),
      historyParticipant('rtmp', { protocol: 'RTMP', call_direction: 'out' }),
      historyParticipant('lecture-tagged', { service_type: 'lecture', role: 'chair', service_tag: 'acme' }),
      historyParticipant('zero', { duration: 0 }),
    ];
    const got = calls(await readAll(readPexipHistory, JSON.stringify(historyPage(participants))));
    expect(got.map((c) => [c.externalId, c.category, c.direction])).toEqual([
      ['sip-video', 'video', 'inbound'], ['sip-audio', 'audio', 'inbound'], ['h323-audio-licence', 'audio', 'inbound'], ['gateway', 'gateway', 'outbound'],
      ['skype', 'skype', 'inbound'], ['teams', 'teams', 'outbound'], ['rtmp', 'streaming', 'outbound'], ['lecture-tagged', 'video', 'inbound'], ['zero', 'video', 'inbound'],
    ]);
    expect(got[3]).toMatchObject({ localAlias: 'sip:room@acme.example', remoteAlias: '+4721000000', protocol: 'SIP' });
    expect(got[7]!.tenant).toBe('acme');
    expect(got[8]!.durationSeconds).toBe(0);
    // Microseconds are truncated to milliseconds.
    expect(got[0]!.startedAt).toBe(Date.UTC(2026, 9, 5, 8, 0, 0, 250));
  });

  it('excludes test calls, IVR-only and waiting-room legs and recorder/streamer legs, each with its reason', async () => {
    const participants = ['test_call', 'ivr', 'two_stage_dialing', 'waiting_room', 'connecting'].map((t) => historyParticipant(t, { service_type: t }));
    participants.push(historyParticipant('recorder', { is_streaming: true, protocol: 'RTMP' }));
    expect(outline(await readAll(readPexipHistory, JSON.stringify(participants)))).toEqual([
      [1, 'excluded:test call'], [2, 'excluded:IVR only (Virtual Reception)'], [3, 'excluded:IVR only (two-stage dialing)'], [4, 'excluded:waiting room only'],
      [5, 'excluded:never reached a service'], [6, 'excluded:recorder or streamer leg'],
    ]);
  });

  it('follows a configured mapping: categories and exclusion rules replaced', async () => {
    const mapping = mergeVendorMapping(defaultMapping, { categories: { 'protocol:WebRTC': 'video', 'service_type:lecture': 'audio' }, exclude: [{ field: 'local_alias', matches: '^scanner', reason: 'scanner' }] });
    const records = await readAll(readPexipHistory, JSON.stringify([
      historyParticipant('a', { protocol: 'WebRTC' }), historyParticipant('b', { service_type: 'lecture' }), historyParticipant('c', { local_alias: 'scanner-1' }), historyParticipant('d', { service_type: 'test_call' }),
    ]), { mapping });
    expect(records.map((r) => (r.kind === 'call' ? r.call.category : r.kind === 'excluded' ? r.reason : r.field))).toEqual(['video', 'audio', 'scanner', 'video']);
  });

  it('uses end − start when duration is absent, and accepts times with an offset', async () => {
    const [record] = await readAll(readPexipHistory, JSON.stringify(historyParticipant('p', { duration: null, start_time: '2026-10-05T10:00:00.250+02:00' })));
    expect(record).toMatchObject({ kind: 'call', call: { startedAt: Date.UTC(2026, 9, 5, 8, 0, 0, 250), durationSeconds: 600 } });
  });

  it('rejects each bad participant with its index and field, and reads on', async () => {
    const bad = [
      historyParticipant('ok-1'),
      historyParticipant('', {}),
      historyParticipant('start', { start_time: '2026-10-05 08:00' }),
      historyParticipant('y1970', { start_time: '1970-01-01T00:00:00' }),
      historyParticipant('y2100', { start_time: '2100-01-01T00:00:00' }),
      historyParticipant('negative', { duration: -5 }),
      historyParticipant('absurd', { duration: 99_999_999 }),
      historyParticipant('type', { duration: '600' }),
      historyParticipant('direction', { call_direction: 'sideways' }),
      historyParticipant('alias-type', { local_alias: 42 }),
      historyParticipant('no-end', { duration: null, end_time: null }),
      'not an object',
      historyParticipant('ok-2'),
    ];
    const records = await readAll(readPexipHistory, JSON.stringify(historyPage(bad)));
    expect(outline(records)).toEqual([
      [1, 'call'], [2, 'reject:id'], [3, 'reject:start_time'], [4, 'reject:start_time'], [5, 'reject:start_time'], [6, 'reject:duration'], [7, 'reject:duration'],
      [8, 'reject:duration'], [9, 'reject:call_direction'], [10, 'reject:local_alias'], [11, 'reject:end_time'], [12, 'reject:null'], [13, 'call'],
    ]);
    const reasons = records.flatMap((r) => (r.kind === 'reject' ? [r.reason] : []));
    expect(reasons[2]).toBe('start_time "1970-01-01T00:00:00" is outside the years 2000-2099');
    expect(reasons[5]).toBe('duration gives 99999999 s, longer than a week');
    expect(reasons[7]).toBe('call_direction "sideways" is not one of in, out');
    expect(records[1]).toMatchObject({ raw: expect.stringContaining('"id":""') });
  });

  it('vendor text that names an Object.prototype member is just an unknown value (found by the fuzz test)', async () => {
    const records = await readAll(readPexipHistory, JSON.stringify([historyParticipant('a', { call_direction: 'valueOf' }), historyParticipant('b', { protocol: 'constructor', service_type: '__proto__' })]));
    expect(outline(records)).toEqual([[1, 'reject:call_direction'], [2, 'call']]);
    expect(records[1]).toMatchObject({ call: { category: 'video', protocol: 'constructor' } });
  });

  it('rejects a field with bytes that are not UTF-8', async () => {
    const [head, tail] = JSON.stringify(historyParticipant('p')).split('meet.acme');
    const records = await readAll(readPexipHistory, Buffer.concat([Buffer.from(head!), Buffer.from([0xff, 0xfe]), Buffer.from(`meet.acme${tail!}`)]));
    expect(records).toMatchObject([{ kind: 'reject', line: 1, field: 'local_alias', reason: 'local_alias is not valid UTF-8' }]);
  });

  it('a truncated page still gives its complete participants, then says where it was cut', async () => {
    const text = JSON.stringify(historyPage([historyParticipant('a'), historyParticipant('b'), historyParticipant('c')]), null, 1);
    const records = await readAll(readPexipHistory, text.slice(0, text.indexOf('"id": "c"') + 5));
    expect(outline(records)).toEqual([[1, 'call'], [2, 'call'], [3, 'reject:null']]);
    expect(records[2]!.kind === 'reject' && records[2]!.reason).toBe('element 3 is cut short: the input ends inside it (truncated file?)');
  });

  it('reads objects split across chunks at any byte, a multi-byte character included', async () => {
    const text = JSON.stringify(historyPage([historyParticipant('a', { remote_alias: 'Bjørn 会議' }), historyParticipant('b')]));
    const bytes = Buffer.from(text);
    const whole = await readAll(readPexipHistory, bytes);
    for (const at of [1, 17, bytes.indexOf(Buffer.from('ø')) + 1, bytes.indexOf(Buffer.from('会')) + 2, bytes.length - 1]) {
      expect(await readAll(readPexipHistory, [bytes.subarray(0, at), bytes.subarray(at)])).toEqual(whole);
    }
    expect(calls(whole)[0]!.remoteAlias).toBe('Bjørn 会議');
  });

  it('says so for text that is not JSON, and reads the objects around it', async () => {
    const records = await readAll(readPexipHistory, `<html>502 Bad Gateway</html>\n${JSON.stringify(historyParticipant('a'))}\nnull`);
    expect(outline(records)).toEqual([[null, 'reject:null'], [1, 'call'], [null, 'reject:null']]);
  });

  it('the same file twice, in another order or split into other pages gives the identical legs', async () => {
    const participants = Array.from({ length: 12 }, (_, i) => historyParticipant(`p-${i}`, { duration: i * 37, protocol: i % 2 ? 'SIP' : 'WebRTC' }));
    const byId = (records: Awaited<ReturnType<typeof readAll>>): Call[] => calls(records).sort((a, b) => a.externalId.localeCompare(b.externalId));
    const once = byId(await readAll(readPexipHistory, JSON.stringify(historyPage(participants))));
    const shuffled = [...participants].reverse();
    const again = byId(await readAll(readPexipHistory, JSON.stringify([historyPage(shuffled.slice(0, 5)), historyPage(shuffled.slice(5))])));
    expect(again).toEqual(once);
    expect(once).toHaveLength(12);
  });
});
