import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/database.ts';
import { hasShared, onSamplesName, sharedDir } from '../support/sharedSamples.ts';
import { databaseKinds } from '../support/testDatabases.ts';
import { useReceiverServer } from '../support/receiverServer.ts';

const posts: string[] = hasShared
  ? readFileSync(join(sharedDir, 'samples/cisco-cms/capture-2017-04-24/posts.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { rawpost: string }).rawpost)
  : [];

describe.skipIf(!hasShared).each(databaseKinds)(onSamplesName('POST /cdr/cms/:source on %s'), (kind) => {
  let db: Database;
  let app: FastifyInstance;
  let ingestKey: string;
  const post = (body: string | Buffer, contentType = 'text/xml', source = 'cms-oslo') =>
    app.inject({ method: 'POST', url: `/cdr/cms/${source}`, headers: { 'content-type': contentType }, payload: body });
  const calls = () => db.query<{ externalId: string; startedAt: Date; durationSeconds: number; category: string; conferenceId: string }>(
    `SELECT external_id AS "externalId", started_at AS "startedAt", duration_seconds AS "durationSeconds", category, conference_id AS "conferenceId" FROM calls WHERE source = 'cms-oslo' ORDER BY external_id`);
  const storedRecords = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cms_records'))[0]!.n;
  const expected = [
    { externalId: '900ad298-dd62-4d24-a47f-406fd5564cb2', startedAt: new Date('2017-04-24T12:01:52Z'), durationSeconds: 3853, category: 'video' },
    { externalId: '9d9a01c5-8e44-4953-b8bc-a0fdf56ea1ef', startedAt: new Date('2017-04-24T12:00:11Z'), durationSeconds: 3953, category: 'webrtc' },
    { externalId: 'aa7c3c54-07d6-4af3-b853-a25fe676e554', startedAt: new Date('2017-04-24T12:00:53Z'), durationSeconds: 3912, category: 'webrtc' },
  ].map((c) => ({ ...c, conferenceId: 'f50d36fb-b258-43d2-951f-e33a8c42baa9' }));

  useReceiverServer(kind, (server) => ({ db, app, ingestKey } = server));
  beforeEach(async () => {
    await db.exec('DELETE FROM cms_records; DELETE FROM ingest_conflicts; DELETE FROM calls; DELETE FROM ingest_rejects;');
  });

  it('the nine captured posts in order: 200 each, three legs once the call has ended', async () => {
    for (const body of posts) expect((await post(body)).statusCode).toBe(200);
    expect(await calls()).toEqual(expected);
    expect(await storedRecords()).toBe(10);
  });

  it('shuffled, and everything twice (CMS resends until 200): the same calls', async () => {
    const order = [8, 3, 0, 6, 1, 7, 5, 2, 4];
    for (const i of order) expect((await post(posts[i]!)).statusCode).toBe(200);
    expect(await calls()).toEqual(expected);
    for (const body of [...posts].reverse()) {
      const answer = await post(body, 'application/xml; charset=utf-8');
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toMatchObject({ new: 0, updated: 0 });
    }
    expect(await calls()).toEqual(expected);
    expect(await storedRecords()).toBe(10);
  });

  it('all nine posts at once, twice over (two Call Bridges resending concurrently): the same calls', async () => {
    const answers = await Promise.all([...posts, ...[...posts].reverse()].map((body) => post(body)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(18).fill(200));
    expect(await calls()).toEqual(expected);
    expect(await storedRecords()).toBe(10);
  });

  it('a later callLegEnd updates the leg that was closed at callEnd without it (start = end − duration)', async () => {
    for (const body of posts) await post(body);
    const lateEnd = posts[6]!.replaceAll('9d9a01c5-8e44-4953-b8bc-a0fdf56ea1ef', '900ad298-dd62-4d24-a47f-406fd5564cb2').replace('correlatorIndex="3550"', 'correlatorIndex="3560"').replace('3953', '3800');
    expect((await post(lateEnd)).json()).toMatchObject({ updated: 1 });
    expect((await calls())[0]).toMatchObject({ externalId: '900ad298-dd62-4d24-a47f-406fd5564cb2', durationSeconds: 3800, startedAt: new Date('2017-04-24T12:02:45Z') });
  });

  it('refuses a 10 MB body (413), garbage and truncated XML (400), another content type (415), and stores nothing', async () => {
    const huge = `<?xml version="1.0"?><records session="s">${'<x/>'.repeat(2_600_000)}</records>`;
    expect((await post(huge)).statusCode).toBe(413);
    const garbage = await post(Buffer.from([0x00, 0xff, 0x3c, 0x72, 0x65]));
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json()).toMatchObject({ code: 'unreadable-input' });
    expect((await post(posts[8]!.slice(0, 400))).statusCode).toBe(400);
    expect((await post(posts[0]!, 'application/json')).statusCode).toBe(415);
    expect(await storedRecords()).toBe(0);
    expect(await calls()).toEqual([]);
  });

  it('rejects bad records one by one and stores the rest (200)', async () => {
    const body = posts[8]!.replace('time="2017-04-24T13:06:05Z" recordIndex="3554"', 'time="1970-01-01T00:00:00Z" recordIndex="3554"');
    const answer = await post(body);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ read: 2, rejected: 1 });
    expect(await storedRecords()).toBe(1);
  });

  it('posts that arrive together are stored together, and each answer counts its own records and rejects', async () => {
    const bad = posts[8]!.replace('time="2017-04-24T13:06:05Z" recordIndex="3554"', 'time="1970-01-01T00:00:00Z" recordIndex="3554"');
    const answers = await Promise.all([...posts.slice(0, 8), bad].map((body) => post(body)));
    expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 200));
    const counts = answers.map((a) => a.json() as { read: number; rejected: number; new: number; updated: number });
    expect(counts.map((c) => c.rejected)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(counts.reduce((n, c) => n + c.read, 0)).toBe(10);
    const [reject] = await db.query<{ file: string }>('SELECT file FROM ingest_rejects');
    expect(reject!.file).toBe(`http:${(answers[8]!.json() as { requestId: string }).requestId}`);
    // Every leg is counted new in one answer or another, once, whichever group it was assembled in.
    expect(counts.reduce((n, c) => n + c.new, 0)).toBe((await calls()).length);
  });

  it('a client that sends a few bytes and stalls does not block others', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const socket = connect(Number(port), '127.0.0.1');
    socket.write(`POST /cdr/cms/cms-oslo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ingestKey}\r\nContent-Type: text/xml\r\nContent-Length: 100000\r\n\r\n<?xml`);
    const response = await fetch(`${address}/cdr/cms/cms-oslo`, { method: 'POST', headers: { 'content-type': 'text/xml', authorization: `Bearer ${ingestKey}` }, body: posts[0] });
    expect(response.status).toBe(200);
    expect(app.server.requestTimeout).toBeGreaterThan(0);
    socket.destroy();
  });
});
