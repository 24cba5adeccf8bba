import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPexipEvents } from '../../../src/ingest/pexip-infinity/readPexipEvents.ts';
import { describeOnSamples, sharedDir } from '../../support/sharedSamples.ts';
import { outline, readAll } from './pexipFixtures.ts';

const samples = join(sharedDir, 'samples/pexip-infinity');
const sample = (name: string): string => readFileSync(join(samples, name), 'utf8');
const eventFiles = [
  'eventsink-v1-fixture/conference_started.json', 'eventsink-v1-fixture/participant_connected.json', 'eventsink-v1-fixture/participant_disconnected.json',
  'eventsink-v1-fixture/conference_ended.json', 'eventsink-v2-docs/participant_media_streams_destroyed.json', 'eventsink-v2-docs/participant_disconnected.json',
];

function disconnected(uuid: string, data: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    node: '10.44.34.11', seq: 1, version: 2, time: 1790000100.5, event: 'participant_disconnected',
    data: {
      uuid, call_id: uuid, conversation_id: uuid, conference: 'meet.acme', call_direction: 'in', protocol: 'SIP', service_type: 'conference', role: 'guest',
      connect_time: 1790000000.25, end_time: 1790000090.75, duration: 90.5, destination_alias: 'meet.acme@vc.provider.example', source_alias: 'sip:bob@elsewhere.example',
      disconnect_reason: 'Call disconnected', is_streaming: false, ...data,
    },
    ...envelope,
  };
}

describeOnSamples('pexip-events reader on the public samples', () => {
  it('v1 participant_disconnected: one inbound WebRTC leg, 999 s from connect_time to the envelope time (v1 has no end_time)', async () => {
    expect(await readAll(readPexipEvents, sample('eventsink-v1-fixture/participant_disconnected.json'))).toEqual([{
      kind: 'call', line: 1,
      call: {
        source: 'pexip-1', externalId: 'ac58a572-33e5-4b19-ac1c-f0b1d22215e6', conferenceId: 'meet.webapp', startedAt: 1559897886593, durationSeconds: 999,
        category: 'webrtc', direction: 'inbound', protocol: 'WebRTC', localAlias: 'meet.webapp', remoteAlias: 'Alice', disconnectReason: 'Call disconnected',
      },
    }]);
  });

  it('v2 participant_disconnected: 160 s from its duration field; it has no source_alias, so no remote alias', async () => {
    expect(await readAll(readPexipEvents, sample('eventsink-v2-docs/participant_disconnected.json'))).toEqual([{
      kind: 'call', line: 1,
      call: {
        source: 'pexip-1', externalId: 'a0ed2c58-f45b-4d96-a1cb-89812ec938ea', conferenceId: "Alice's VMR", startedAt: 1606392757777, durationSeconds: 160,
        category: 'webrtc', direction: 'inbound', protocol: 'WebRTC', localAlias: 'meet.alice', disconnectReason: 'Timer expired awaiting token refresh',
      },
    }]);
  });

  it.each(eventFiles.filter((f) => !f.endsWith('participant_disconnected.json')))('%s: excluded, an event without a finished leg', async (name) => {
    expect(await readAll(readPexipEvents, sample(name))).toEqual([{ kind: 'excluded', line: 1, reason: 'event without a finished leg' }]);
  });

  it('all sample events as JSONL, as a JSON array and as an eventsink_bulk envelope: two legs, four excluded', async () => {
    const events = eventFiles.map((f) => JSON.parse(sample(f)) as unknown);
    const jsonl = await readAll(readPexipEvents, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    expect(outline(jsonl)).toEqual([[1, 'excluded:event without a finished leg'], [2, 'excluded:event without a finished leg'], [3, 'call'], [4, 'excluded:event without a finished leg'], [5, 'excluded:event without a finished leg'], [6, 'call']]);
    expect(await readAll(readPexipEvents, JSON.stringify(events, null, 2))).toEqual(jsonl);
    const bulk = await readAll(readPexipEvents, JSON.stringify({ node: '10.44.34.11', seq: 1, version: 2, time: 1606392918, event: 'eventsink_bulk', data: events }));
    expect(bulk.map((r) => (r.kind === 'call' ? r.call : r.kind))).toEqual(jsonl.map((r) => (r.kind === 'call' ? r.call : r.kind)));
  });
});

describe('pexip-events reader', () => {
  it('an outbound leg: Pexip side is the source_alias, the far end the destination_alias', async () => {
    const [record] = await readAll(readPexipEvents, JSON.stringify(disconnected('out-1', { call_direction: 'out', service_type: 'gateway', source_alias: 'room@acme.example', destination_alias: '+4721000000' })));
    expect(record).toMatchObject({ kind: 'call', call: { externalId: 'out-1', direction: 'outbound', category: 'gateway', localAlias: 'room@acme.example', remoteAlias: '+4721000000', durationSeconds: 90, startedAt: 1790000000250 } });
  });

  it('takes end_time − connect_time without duration, and the envelope time without either', async () => {
    const records = await readAll(readPexipEvents, [
      JSON.stringify(disconnected('a', { duration: null })), '\n', JSON.stringify(disconnected('b', { duration: undefined, end_time: undefined })),
    ]);
    expect(records.map((r) => r.kind === 'call' && r.call.durationSeconds)).toEqual([90, 100]);
  });

  it('excludes never-connected legs and the default exclusions; rejects bad events with their index and field', async () => {
    const events = [
      disconnected('never', { connect_time: null }),
      disconnected('test', { service_type: 'test_call' }),
      disconnected('stream', { is_streaming: true }),
      { event: 'participant_disconnected', data: 'x' },
      { data: {} },
      disconnected('', {}),
      disconnected('early', { connect_time: 0 }),
      disconnected('late', { connect_time: 4200000000 }),
      disconnected('long', { duration: 1e9 }),
      disconnected('neg', { duration: -1 }),
      disconnected('str', { connect_time: '1790000000' }),
      disconnected('dir', { call_direction: 'both' }),
      disconnected('ok'),
    ];
    expect(outline(await readAll(readPexipEvents, JSON.stringify(events)))).toEqual([
      [1, 'excluded:never connected'], [2, 'excluded:test call'], [3, 'excluded:recorder or streamer leg'], [4, 'reject:data'], [5, 'reject:event'], [6, 'reject:uuid'],
      [7, 'reject:connect_time'], [8, 'reject:connect_time'], [9, 'reject:duration'], [10, 'reject:duration'], [11, 'reject:connect_time'], [12, 'reject:call_direction'], [13, 'call'],
    ]);
  });

  it('the same events twice and in another order give the identical legs', async () => {
    const events = Array.from({ length: 8 }, (_, i) => disconnected(`leg-${i}`, { duration: i * 61.9, protocol: i % 2 ? 'H323' : 'TEAMS' }));
    const legs = async (list: unknown[]) => (await readAll(readPexipEvents, list.map((e) => JSON.stringify(e)).join('\n')))
      .flatMap((r) => (r.kind === 'call' ? [r.call] : []))
      .sort((a, b) => a.externalId.localeCompare(b.externalId));
    const once = await legs(events);
    expect(await legs([...events].reverse())).toEqual(once);
    expect(once).toHaveLength(8);
  });
});
