import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/database.ts';
import { formatSamples } from '../support/formatSamples.ts';
import { databaseKinds } from '../support/testDatabases.ts';
import { useReceiverServer } from '../support/receiverServer.ts';

const cms = formatSamples.find((s) => s.format === 'cms-xml')!;
const pexip = formatSamples.find((s) => s.format === 'pexip-events')!;
const receivers = [
  { name: 'cms', contentType: 'text/xml', body: () => cms.record(0, cms.values(0)) },
  { name: 'pexip', contentType: 'application/json', body: () => pexip.record(0, pexip.values(0)) },
];

/** URL path segments that are no source id, as the URL carries them, and what the receiver sees. */
const hostileSources: [string, string][] = [
  ['..%2F..%2Fetc%2Fpasswd', '../../etc/passwd'],
  ['%3Cscript%3Ealert(1)%3C%2Fscript%3E', '<script>alert(1)</script>'],
  ['cms%E2%80%AEfdp.exe', 'cms\u202efdp.exe'],
  ['cms%00oslo', 'cms\0oslo'],
  ['cms%01oslo', 'cms\u0001oslo'],
  ['CMS-Oslo', 'CMS-Oslo'],
  ['-cms', '-cms'],
  ['cms%20oslo', 'cms oslo'],
  ['cms:oslo', 'cms:oslo'],
  ['a'.repeat(65), 'a'.repeat(65)],
];

describe.each(databaseKinds)('CDR receivers and hostile input on %s', (kind) => {
  let db: Database;
  let app: FastifyInstance;
  const post = (receiver: string, source: string, body: string | Buffer, contentType: string) =>
    app.inject({ method: 'POST', url: `/cdr/${receiver}/${source}`, headers: { 'content-type': contentType }, payload: body });
  const counts = async () => (await db.query<{ calls: number; rejects: number; cmsRecords: number; sourceStats: number }>(
    `SELECT (SELECT count(*)::int FROM calls) AS calls, (SELECT count(*)::int FROM ingest_rejects) AS rejects,
            (SELECT count(*)::int FROM cms_records) AS "cmsRecords", (SELECT count(*)::int FROM source_stats) AS "sourceStats"`))[0]!;

  useReceiverServer(kind, (server) => ({ db, app } = server));

  it.each(receivers.map((r) => [r.name, r] as const))('/cdr/%s/:source answers 400 for a source that is no source id, naming the rule, and stores nothing', async (name, { contentType, body }) => {
    const before = await counts();
    for (const [segment, seen] of hostileSources) {
      const response = await post(name, segment, body(), contentType);
      expect([segment, response.statusCode]).toEqual([segment, 400]);
      const answer = response.json() as { code: string; detail: string };
      expect(answer.code).toBe('invalid-argument');
      expect(answer.detail).toContain('is not a source id');
      expect(answer.detail).toContain('a-z, 0-9');
      // The id is shown with its control and invisible characters escaped, never as they came.
      expect([...answer.detail].every((c) => c >= ' ' && c !== '\u202e')).toBe(true);
      const escaped = seen.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      if (seen.length <= 64) expect(answer.detail).toContain(`"${escaped}"`);
    }
    expect(await counts()).toEqual(before);
    expect((await post(name, 'ok-source.1_a', body(), contentType)).statusCode).toBe(200);
  });

  it('Pexip: an event with a NUL in a field is a reject naming it (200); the other events of the body go in', async () => {
    const values = pexip.values(7);
    const bad = pexip.record(7, { ...values, source_alias: 'bob\0@far.example' });
    const before = await counts();
    const response = await post('pexip', 'pexip-nul', `[${bad}, ${pexip.record(8, pexip.values(8))}]`, 'application/json');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ read: 2, new: 1, rejected: 1 });
    const [reject] = await db.query<{ field: string; reason: string; raw: string; source: string }>(`SELECT field, reason, raw, source FROM ingest_rejects WHERE source = 'pexip-nul'`);
    expect(reject).toEqual({ field: 'data.source_alias', reason: 'data.source_alias contains a NUL byte (0x00)', raw: bad, source: 'pexip-nul' });
    expect(reject!.raw).toContain('bob\\u0000@far.example');
    expect(await counts()).toMatchObject({ calls: before.calls + 1, rejects: before.rejects + 1 });
    // In a bulk envelope too: only the event holding the NUL is refused.
    const bulk = JSON.stringify({ event: 'eventsink_bulk', data: [JSON.parse(pexip.record(9, { ...pexip.values(9), conference: 'x\0' })), JSON.parse(pexip.record(10, pexip.values(10)))] });
    expect((await post('pexip', 'pexip-nul', bulk, 'application/json')).json()).toMatchObject({ read: 2, new: 1, rejected: 1 });
  });

  it('a field longer than any CDR holds (5,000 characters) is a reject naming it, never a 500', async () => {
    // Incompressible (a seeded pseudo-random text): PostgreSQL would compress a repeated letter below its index limit.
    let seed = 8;
    const long = Array.from({ length: 5_000 }, () => 'abcdefghijklmnopqrstuvwxyz0123456789'[(seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) % 36]).join('');
    const before = await counts();
    const pexipResponse = await post('pexip', 'pexip-long', `[${pexip.record(30, { ...pexip.values(30), uuid: long })}, ${pexip.record(31, pexip.values(31))}]`, 'application/json');
    expect(pexipResponse.statusCode).toBe(200);
    expect(pexipResponse.json()).toMatchObject({ read: 2, new: 1, rejected: 1 });
    const cmsResponse = await post('cms', 'cms-long', cms.record(32, { ...cms.values(32), remoteAddress: long }), 'text/xml');
    expect(cmsResponse.statusCode).toBe(200);
    expect(cmsResponse.json()).toMatchObject({ rejected: 1 });
    const rejects = await db.query<{ source: string; field: string; reason: string }>(`SELECT source, field, reason FROM ingest_rejects WHERE source IN ('pexip-long', 'cms-long') ORDER BY source`);
    expect(rejects).toEqual([
      { source: 'cms-long', field: 'remoteAddress', reason: 'remoteAddress is longer than 4096 characters' },
      { source: 'pexip-long', field: 'externalId', reason: 'externalId is longer than 2000 bytes, more than any call data field holds' },
    ]);
    expect(await counts()).toMatchObject({ calls: before.calls + 1, rejects: before.rejects + 2 });
    // A CMS session is part of a stored key: a longer one makes the body unusable as a whole.
    const session = await post('cms', 'cms-long', cms.record(33, { ...cms.values(33), session: long }), 'text/xml');
    expect(session.statusCode).toBe(400);
    expect(await counts()).toMatchObject({ calls: before.calls + 1, rejects: before.rejects + 2 });
  });

  it('Pexip: a raw NUL byte inside a JSON string makes a body that is not JSON: 400, nothing stored', async () => {
    const before = await counts();
    const response = await post('pexip', 'pexip-nul', Buffer.from(pexip.record(11, pexip.values(11)).replace('bob', 'b\0ob')), 'application/json');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'unreadable-input' });
    expect(await counts()).toEqual(before);
  });

  it('CMS: a record with a NUL in a field is a reject naming it (200); the other records of the body are stored and billed', async () => {
    const values = cms.values(20);
    const bad = cms.record(20, { ...values, remoteAddress: 'bob\0@far.example' }).replace(/<\?xml[^>]*>\n<records session="[^"]*">|<\/records>/g, '');
    const good = cms.record(21, { ...cms.values(21), session: values.session! }).replace(/<\?xml[^>]*>\n<records session="[^"]*">|<\/records>/g, '');
    const body = `<?xml version="1.0"?>\n<records session="${values.session}">${bad}${good}</records>`;
    const before = await counts();
    const response = await post('cms', 'cms-nul', body, 'text/xml');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ read: 2, new: 1, rejected: 1 });
    const rejects = await db.query<{ field: string; reason: string; raw: string }>(`SELECT field, reason, raw FROM ingest_rejects WHERE source = 'cms-nul'`);
    expect(rejects).toEqual([{ field: 'remoteAddress', reason: 'remoteAddress contains a NUL byte (0x00)', raw: bad.replace('\0', '\\u0000') }]);
    expect(await counts()).toMatchObject({ calls: before.calls + 1, cmsRecords: before.cmsRecords + 1, rejects: before.rejects + 1 });
    // CMS resends until it gets 200: the same body again changes no call or record; its reject is
    // recorded under the resend's own request id (the "file" of a receiver's rejects).
    expect((await post('cms', 'cms-nul', body, 'text/xml')).json()).toMatchObject({ read: 2, new: 0, rejected: 1 });
    expect(await counts()).toMatchObject({ calls: before.calls + 1, cmsRecords: before.cmsRecords + 1, rejects: before.rejects + 2 });
  });
});
