import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { isSourceId } from '../../src/domain/sourceId.ts';
import type { Database } from '../../src/storage/database.ts';
import { applyMutation, controlCharacter, mutations } from '../support/formatMutations.ts';
import { formatSamples, type FormatSample } from '../support/formatSamples.ts';
import { databaseKinds } from '../support/testDatabases.ts';
import { fuzzRuns, fuzzTimeoutMs } from '../support/fuzzRuns.ts';
import { useReceiverServer } from '../support/receiverServer.ts';

const count = 3;
const pexip = formatSamples.find((s) => s.format === 'pexip-events')!;
const cms = formatSamples.find((s) => s.format === 'cms-xml')!;

/** The bodies the receivers get: Pexip events in one JSON array, CMS records in one <records> document. */
const receivers: { name: string; contentType: string; sample: FormatSample; externalId: (i: number) => string }[] = [
  { name: 'pexip', contentType: 'application/json', sample: { ...pexip, file: (records) => `[${records.join(',\n')}]` }, externalId: (i) => `e-${i}` },
  {
    name: 'cms',
    contentType: 'text/xml',
    sample: {
      ...cms,
      values: (i) => Object.fromEntries(Object.entries(cms.values(i)).filter(([k]) => k !== 'session')),
      record: (i, values) => cms.record(i, { ...values, session: 'fuzz-session' }).replace(/^[\s\S]*?<records session="fuzz-session">|<\/records>$/g, ''),
      file: (records) => `<?xml version="1.0"?>\n<records session="fuzz-session">${records.join('')}</records>`,
    },
    externalId: (i) => `leg-${i}`,
  },
];

/** URL segments: mostly hostile names (encoded as a client would), some that no decoder accepts. */
const hostileSegment = fc.oneof(
  fc.string({ unit: fc.oneof(controlCharacter, fc.constantFrom('a', 'Z', '0', '.', '-', '_', '/', '%', '<', '>', ':', ' ', 'é', '😀', '\u202e', '\u200b')), minLength: 1, maxLength: 70 }).map(encodeURIComponent),
  fc.constantFrom('%zz', '%', '%ED%A0%80', '%C0%80', 'a%2', '..', '.'),
);

describe.each(databaseKinds)('CDR receivers fuzzed with NUL bytes, control characters and hostile source ids on %s', (kind) => {
  let db: Database;
  let app: FastifyInstance;
  let run = 0;
  const counts = async () => (await db.query<{ calls: number; rejects: number; records: number; stats: number }>(
    `SELECT (SELECT count(*)::int FROM calls) AS calls, (SELECT count(*)::int FROM ingest_rejects) AS rejects,
            (SELECT count(*)::int FROM cms_records) AS records, (SELECT count(*)::int FROM source_stats) AS stats`))[0]!;

  useReceiverServer(kind, (server) => ({ db, app } = server));

  it.each(receivers.map((r) => [r.name, r] as const))('/cdr/%s/:source never answers 500; 400 stores nothing; the records around a damaged one go in', async (name, receiver) => {
    const mutation = fc.oneof(mutations(receiver.sample, count, { anywhere: false }), mutations(receiver.sample, count, { anywhere: true }));
    await fc.assert(fc.asyncProperty(mutation, fc.option(hostileSegment, { freq: 3 }), async (m, hostile) => {
      const segment = hostile ?? `rx-${name}-${++run}`;
      const { text, untouched } = applyMutation(receiver.sample, count, m);
      const before = await counts();
      const response = await app.inject({ method: 'POST', url: `/cdr/${name}/${segment}`, headers: { 'content-type': receiver.contentType }, payload: Buffer.from(text) });
      expect([200, 400, 404]).toContain(response.statusCode);
      if (response.statusCode !== 200) {
        expect(await counts()).toEqual(before);
        return;
      }
      const source = decodeURIComponent(segment);
      expect(isSourceId(source)).toBe(true);
      const answer = response.json() as { read: number; new: number; rejected: number };
      expect(answer.new).toBeLessThanOrEqual(count);
      if (m.kind === 'anywhere') return;
      const stored = new Set((await db.query<{ id: string }>('SELECT external_id AS id FROM calls WHERE source = $1', [source])).map((r) => r.id));
      expect(untouched.map(receiver.externalId).filter((id) => !stored.has(id))).toEqual([]);
    }), { numRuns: fuzzRuns(200) });
  }, fuzzTimeoutMs());

  it.each(receivers.map((r) => [r.name, r] as const))('/cdr/%s/:source: a body damaged only inside field values is always read (200)', async (name, receiver) => {
    const names = Object.keys(receiver.sample.values(0));
    const valueMutation = fc.record({
      kind: fc.constant('value' as const), index: fc.nat({ max: count - 1 }), name: fc.constantFrom(...names), at: fc.nat(),
      text: fc.array(controlCharacter, { minLength: 1, maxLength: 3 }).map((c) => c.join('')),
    });
    await fc.assert(fc.asyncProperty(valueMutation, async (m) => {
      const source = `rv-${name}-${++run}`;
      const { text, untouched } = applyMutation(receiver.sample, count, m);
      const response = await app.inject({ method: 'POST', url: `/cdr/${name}/${source}`, headers: { 'content-type': receiver.contentType }, payload: Buffer.from(text) });
      expect(response.statusCode).toBe(200);
      const stored = new Set((await db.query<{ id: string }>('SELECT external_id AS id FROM calls WHERE source = $1', [source])).map((r) => r.id));
      expect(untouched.map(receiver.externalId).filter((id) => !stored.has(id))).toEqual([]);
    }), { numRuns: fuzzRuns(200) });
  }, fuzzTimeoutMs());
});
