import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/database.ts';
import { writeFormatMapping } from '../../src/storage/sourceStore.ts';
import { hasShared, sharedDir } from '../support/sharedSamples.ts';
import { databaseKinds } from '../support/testDatabases.ts';
import { useReceiverServer } from '../support/receiverServer.ts';

const sampleDir = join(sharedDir, 'samples/pexip-infinity');
const sampleNames = [
  'eventsink-v1-fixture/conference_started.json', 'eventsink-v1-fixture/participant_connected.json', 'eventsink-v1-fixture/participant_disconnected.json',
  'eventsink-v1-fixture/conference_ended.json', 'eventsink-v2-docs/participant_media_streams_destroyed.json', 'eventsink-v2-docs/participant_disconnected.json',
];

function disconnected(uuid: string, data: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    node: '10.0.0.1', seq: 9, version: 2, time: 1790000100.5, event: 'participant_disconnected',
    data: { uuid, conference: 'meet.acme', call_direction: 'in', protocol: 'SIP', service_type: 'conference', connect_time: 1790000000.25, duration: 100.2, destination_alias: 'meet.acme@vc.example', source_alias: 'bob@far.example', ...data },
  };
}

/** The sample events when ../shared is there, else events of the same shapes; either way two of them are legs. */
const events: string[] = hasShared
  ? sampleNames.map((n) => readFileSync(join(sampleDir, n), 'utf8'))
  : [JSON.stringify({ event: 'participant_connected', data: {} }), JSON.stringify(disconnected('leg-a')), JSON.stringify(disconnected('leg-b', { protocol: 'WebRTC' }))];

describe.each(databaseKinds)('Pexip event sink endpoint POST /cdr/pexip/:source on %s', (kind) => {
  let db: Database;
  let app: FastifyInstance;
  const post = (body: string | Buffer, contentType = 'application/json', source = 'pexip-1') =>
    app.inject({ method: 'POST', url: `/cdr/pexip/${source}`, headers: { 'content-type': contentType }, payload: body });
  const storedCalls = () => db.query<Record<string, unknown>>(
    `SELECT source, external_id, conference_id, started_at, duration_seconds, category, direction, protocol, local_alias, remote_alias FROM calls ORDER BY source, external_id`,
  );
  const count = async (table: string) => Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`))[0]!.n);

  useReceiverServer(kind, (server) => ({ db, app } = server));

  it('stores the leg of each participant_disconnected event before answering 200; other events are counted as excluded', async () => {
    let excluded = 0;
    for (const body of events) {
      const response = await post(body);
      expect(response.statusCode).toBe(200);
      excluded += (response.json() as { excluded: number }).excluded;
    }
    expect(excluded).toBe(events.length - 2);
    const rows = await storedCalls();
    expect(rows).toHaveLength(2);
    if (hasShared) {
      expect(rows).toMatchObject([
        { source: 'pexip-1', external_id: 'a0ed2c58-f45b-4d96-a1cb-89812ec938ea', duration_seconds: 160, category: 'webrtc', direction: 'inbound', local_alias: 'meet.alice', remote_alias: null },
        { source: 'pexip-1', external_id: 'ac58a572-33e5-4b19-ac1c-f0b1d22215e6', duration_seconds: 999, category: 'webrtc', direction: 'inbound', local_alias: 'meet.webapp', remote_alias: 'Alice' },
      ]);
    }
  });

  it('resent events, in another order, and the same events in one array change nothing', async () => {
    const before = await storedCalls();
    for (const body of [...events].reverse()) {
      const response = await post(body);
      expect(response.statusCode).toBe(200);
      expect((response.json() as { new: number; updated: number }).new + (response.json() as { updated: number }).updated).toBe(0);
    }
    const batch = await post(`[${events.join(',')}]`);
    expect(batch.json()).toMatchObject({ read: events.length, new: 0, updated: 0, unchanged: 2 });
    expect(await storedCalls()).toEqual(before);
  });

  it('keeps a bad event as a reject and answers 200 (Pexip must not resend it forever)', async () => {
    const rejectsBefore = await count('ingest_rejects');
    const response = await post(JSON.stringify([disconnected('bad', { connect_time: 'yesterday' }), disconnected('good-1')]));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ read: 2, new: 1, rejected: 1 });
    expect(await count('ingest_rejects')).toBe(rejectsBefore + 1);
    const [reject] = await db.query<{ field: string; format: string; file: string }>(`SELECT field, format, file FROM ingest_rejects ORDER BY id DESC LIMIT 1`);
    expect(reject).toMatchObject({ field: 'connect_time', format: 'pexip-events' });
    expect(reject!.file).toMatch(/^http:/);
  });

  it('refuses garbage with 400, a 10 MB body with 413 and another content type with 415, storing nothing', async () => {
    const calls = await count('calls');
    const rejects = await count('ingest_rejects');
    const garbage = await post(Buffer.from([0x3c, 0x68, 0xff, 0x00, 0x7b, 0x22]));
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json()).toMatchObject({ code: 'unreadable-input' });
    expect((await post('"just a string"')).statusCode).toBe(400);
    const truncated = await post(events[events.length - 1]!.slice(0, -20));
    expect(truncated.statusCode).toBe(400);
    const huge = await post(Buffer.alloc(10 * 1024 * 1024, 0x20));
    expect(huge.statusCode).toBe(413);
    const xml = await post('<event/>', 'text/xml');
    expect(xml.statusCode).toBe(415);
    expect(await count('calls')).toBe(calls);
    expect(await count('ingest_rejects')).toBe(rejects);
  });

  it('posts that arrive together share a transaction, and each answer counts its own records', async () => {
    const bodies = Array.from({ length: 40 }, (_, n) => JSON.stringify(disconnected(`together-${n % 30}`)));
    const answers = await Promise.all(bodies.map((b) => post(b)));
    expect(answers.map((a) => a.statusCode)).toEqual(bodies.map(() => 200));
    const counts = answers.map((a) => a.json() as { new: number; updated: number; unchanged: number });
    // Ten calls posted twice (a resend): whether the resend found the first stored or came in its group, the call is stored once.
    expect(counts.reduce((n, c) => n + c.new, 0)).toBe(30);
    expect(counts.reduce((n, c) => n + c.new + c.updated + c.unchanged, 0)).toBe(40);
    expect(counts.reduce((n, c) => n + c.updated, 0)).toBe(0);
    expect(await db.query(`SELECT count(*)::int AS n FROM calls WHERE external_id LIKE 'together-%'`)).toEqual([{ n: 30 }]);
  });

  it('keeps sources apart: the same event to another source is another call', async () => {
    const response = await post(JSON.stringify(disconnected('good-1')), 'application/json; charset=utf-8', 'pexip-2');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ new: 1 });
  });

  it('a changed format mapping is read by the next post (the process keeps the configuration only while its generation stands)', async () => {
    expect((await post(JSON.stringify(disconnected('mapped-1')))).json()).toMatchObject({ new: 1 });
    await writeFormatMapping(db, 'pexip-events', { directions: { in: 'outbound', out: 'inbound' } });
    expect((await post(JSON.stringify(disconnected('mapped-2')))).json()).toMatchObject({ new: 1 });
    expect(await db.query(`SELECT external_id AS "externalId", direction FROM calls WHERE external_id LIKE 'mapped-%' ORDER BY external_id`)).toEqual([
      { externalId: 'mapped-1', direction: 'inbound' }, { externalId: 'mapped-2', direction: 'outbound' },
    ]);
  });
});
