import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { IngestRecord, ReaderOptions } from '../../../src/ingest/ingestRecord.ts';
import { readTeamsJson } from '../../../src/ingest/microsoft-teams/readTeamsJson.ts';
import { describeOnSamples, hasShared, sharedDir } from '../../support/sharedSamples.ts';

async function read(input: string | Buffer, options: Partial<ReaderOptions> = {}): Promise<IngestRecord[]> {
  const records: IngestRecord[] = [];
  for await (const r of readTeamsJson(Readable.from([input]), { file: 'callrecords.json', source: 'teams-tenant', ...options })) records.push(r);
  return records;
}

const callsOf = (records: IngestRecord[]) => records.flatMap((r) => (r.kind === 'call' ? [r.call] : []));
const customerOfDomain = (d: string) => ({ 'contoso.com': 'contoso', 'acme.example': 'acme' })[d];

const samplePath = join(sharedDir, 'samples/microsoft-teams-graph/callrecord-get-expanded-docs-example.json');
const sampleLeg = {
  source: 'teams-tenant',
  externalId: 'e523d2ed-2966-4b6b-925b-754a88034cc5/e523d2ed-2966-4b6b-925b-754a88034cc5',
  conferenceId: 'e523d2ed-2966-4b6b-925b-754a88034cc5',
  // 18:52:21.2169889 → 18:52:46.7640013: 25.547 s, 26 s to the nearest second.
  startedAt: Date.UTC(2020, 1, 25, 18, 52, 21, 216),
  durationSeconds: 26,
  category: 'teams',
  direction: 'internal',
  localAlias: 'abbie.wilkins@contoso.com',
  remoteAlias: 'owen.franklin@contoso.com',
  tenant: 'dc368399-474c-4d40-900c-6265431fd81f',
};

describeOnSamples('teams-json reader on the Graph documentation sample', () => {
  it('yields the one peer-to-peer audio session as one internal leg', async () => {
    const records = await read(readFileSync(samplePath));
    expect(records).toEqual([{ kind: 'call', line: 1, call: sampleLeg }]);
    expect(await read(readFileSync(samplePath), { customerOfDomain })).toEqual(records);
  });

  it('makes it external when the two domains are different customers', async () => {
    const other = readFileSync(samplePath, 'utf8').replace('owen.franklin@contoso.com', 'owen.franklin@acme.example');
    expect(callsOf(await read(other, { customerOfDomain }))[0]).toMatchObject({ direction: 'external', localAlias: 'abbie.wilkins@contoso.com' });
  });
});

// CONSTRUCTED from the callRecord/session/endpoint fields of the Graph docs (docs/vendors/microsoft-teams.md):
// a meeting whose sessions go to the conferencing server.
const organizer = { user: { id: 'u-org', displayName: 'Olga', tenantId: 'tenant-acme' } };
const endpoint = (identity: unknown, productFamily = 'teams') => ({ '@odata.type': '#microsoft.graph.callRecords.participantEndpoint', userAgent: { productFamily, platform: 'windows' }, ...(identity ? { associatedIdentity: identity } : {}) });
const server = { '@odata.type': '#microsoft.graph.callRecords.serviceEndpoint', userAgent: { role: 'skypeForBusinessAudioVideoMcu', productFamily: 'unknown' } };
const session = (id: string, caller: unknown, start: string, end: string, extra: Record<string, unknown> = {}) => ({ id, modalities: ['audio', 'video'], startDateTime: start, endDateTime: end, isTest: false, caller, callee: server, segments: [], ...extra });
const meeting = {
  id: 'meet-1',
  version: 2,
  type: 'groupCall',
  modalities: ['audio', 'video', 'screenSharing'],
  startDateTime: '2026-10-05T08:59:00.0000000Z',
  endDateTime: '2026-10-05T10:00:00.0000000Z',
  organizer_v2: { id: 'u-org', identity: organizer },
  sessions: [
    session('s-1', endpoint({ id: 'u-org', tenantId: 'tenant-acme', userPrincipalName: 'olga@acme.example' }), '2026-10-05T09:00:00.1234567Z', '2026-10-05T10:00:00.0000000Z'),
    session('s-2', endpoint({ id: 'g-1', displayName: 'Guest', tenantId: 'tenant-other' }), '2026-10-05T09:10:00Z', '2026-10-05T09:40:30Z', { modalities: ['audio'] }),
    session('s-3', endpoint({ id: 'u-org', tenantId: 'tenant-acme', userPrincipalName: 'olga@acme.example' }), '2026-10-05T09:00:00Z', '2026-10-05T09:01:00Z', { isTest: true }),
    session('s-4', endpoint({ id: 'u-2', tenantId: 'tenant-acme', userPrincipalName: 'paul@acme.example' }), '05/10/2026 09:00', '2026-10-05T09:01:00Z'),
    // No session times: the span of its segments.
    session('s-5', endpoint({ id: 'u-2', tenantId: 'tenant-acme', userPrincipalName: 'paul@acme.example' }), '', '', {
      startDateTime: undefined, endDateTime: undefined,
      segments: [{ id: 'g1', startDateTime: '2026-10-05T09:20:00Z', endDateTime: '2026-10-05T09:30:00Z' }, { id: 'g2', startDateTime: '2026-10-05T09:30:00Z', endDateTime: '2026-10-05T09:45:00Z' }],
    }),
  ],
};

describe('teams-json reader (constructed meeting)', () => {
  it('yields one leg per session: times, identities, directions against the organizer, tenant of the organizer', async () => {
    const records = await read(JSON.stringify(meeting), { customerOfDomain });
    expect(records.map((r) => r.kind)).toEqual(['call', 'call', 'excluded', 'reject', 'call']);
    expect(records[2]).toEqual({ kind: 'excluded', line: 1, reason: 'test call' });
    expect(records[3]).toMatchObject({ kind: 'reject', line: 1, field: 'sessions[3].startDateTime', reason: 'sessions[3].startDateTime "05/10/2026 09:00" is not an ISO 8601 instant' });
    const common = { source: 'teams-tenant', conferenceId: 'meet-1', category: 'teams', tenant: 'tenant-acme', remoteAlias: undefined };
    expect(callsOf(records)).toEqual([
      { ...common, externalId: 'meet-1/s-1', startedAt: Date.UTC(2026, 9, 5, 9, 0, 0, 123), durationSeconds: 3600, direction: 'internal', localAlias: 'olga@acme.example' },
      // A guest of another tenant, without a user principal name: external, no alias of its own.
      { ...common, externalId: 'meet-1/s-2', startedAt: Date.UTC(2026, 9, 5, 9, 10), durationSeconds: 1830, direction: 'external', localAlias: undefined },
      { ...common, externalId: 'meet-1/s-5', startedAt: Date.UTC(2026, 9, 5, 9, 20), durationSeconds: 1500, direction: 'internal', localAlias: 'paul@acme.example' },
    ]);
  });

  it('reads arrays, { value } pages, pages of sessions (sessions@odata.nextLink) and JSON Lines alike', async () => {
    const other = { ...meeting, id: 'meet-2', sessions: [meeting.sessions[0]] };
    const asArray = callsOf(await read(JSON.stringify([meeting, other])));
    const asPage = callsOf(await read(JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#communications/callRecords', value: [meeting, other] })));
    const asLines = await read(`${JSON.stringify(meeting)}\n\n${JSON.stringify(other)}\n`);
    expect(asPage).toEqual(asArray);
    expect(callsOf(asLines)).toEqual(asArray);
    expect(asLines.filter((r) => r.kind === 'call').map((r) => r.line)).toEqual([1, 1, 1, 3]);
    const sessionsPage = await read(JSON.stringify({ '@odata.context': "https://graph.microsoft.com/v1.0/$metadata#communications/callRecords('meet-1')/sessions(segments())", value: [meeting.sessions[1]] }));
    // Without its callRecord, a session of a page has no organizer: no tenant, compared as given.
    expect(callsOf(sessionsPage)).toEqual([expect.objectContaining({ externalId: 'meet-1/s-2', conferenceId: 'meet-1', durationSeconds: 1830, tenant: undefined })]);
  });

  it('lets the mapping make audio-only sessions audio', async () => {
    const calls = callsOf(await read(JSON.stringify(meeting), { mapping: { categories: { audio: 'audio' }, directions: {}, exclude: [] } }));
    expect(calls.map((c) => [c.externalId, c.category])).toEqual([['meet-1/s-1', 'teams'], ['meet-1/s-2', 'audio'], ['meet-1/s-3', 'teams'], ['meet-1/s-5', 'teams']]);
  });

  it('rejects records per record and files that are not JSON in one reject', async () => {
    const records = await read(JSON.stringify([{ id: 'x' }, { sessions: [] }, 42, { ...meeting, sessions: [{ ...meeting.sessions[0], endDateTime: '2100-01-01T00:00:00Z' }, { ...meeting.sessions[0], id: 'late', endDateTime: '2026-12-05T09:00:00Z' }] }]));
    expect(records.map((r) => (r.kind === 'reject' ? [r.line, r.field] : [r.line, r.kind]))).toEqual([[1, 'sessions'], [2, 'id'], [3, null], [4, 'sessions[0].endDateTime'], [4, 'sessions[1].endDateTime']]);
    expect(records[0]).toMatchObject({ reason: 'sessions is missing: fetch the record with ?$expand=sessions($expand=segments)' });
    expect(records[4]).toMatchObject({ reason: 'sessions[1].endDateTime gives 5270400 s, longer than a week' });
    const truncated = await read(JSON.stringify(meeting, null, 2).slice(0, 300));
    expect(truncated).toEqual([expect.objectContaining({ kind: 'reject', line: null, field: null })]);
    expect(truncated[0]!.kind === 'reject' && truncated[0]!.reason).toMatch(/^not valid JSON/);
  });

  it('rejects a session whose identity is not UTF-8', async () => {
    const text = JSON.stringify(meeting).replace('olga@acme', 'ol\u0000@acme');
    const bytes = Buffer.from(text);
    bytes[bytes.indexOf(0)] = 0xff;
    const records = await read(bytes);
    expect(records[0]).toMatchObject({ kind: 'reject', field: 'sessions[0].caller', reason: 'sessions[0].caller is not valid UTF-8' });
  });

  it('is idempotent: the same records again, in another order or split across files give the same legs', async () => {
    const other = { ...meeting, id: 'meet-2' };
    const sorted = (calls: ReturnType<typeof callsOf>) => [...calls].sort((a, b) => a.externalId.localeCompare(b.externalId));
    const once = callsOf(await read(JSON.stringify([meeting, other]), { customerOfDomain }));
    const reversed = callsOf(await read(JSON.stringify([other, { ...meeting, sessions: [...meeting.sessions].reverse() }]), { customerOfDomain }));
    const split = [...callsOf(await read(JSON.stringify(other), { customerOfDomain })), ...callsOf(await read(JSON.stringify(meeting), { customerOfDomain }))];
    expect(sorted(reversed)).toEqual(sorted(once));
    expect(sorted(split)).toEqual(sorted(once));
    expect(new Set(once.map((c) => c.externalId)).size).toBe(once.length);
  });

  it('fuzz: mutated documents never throw; legs are plausible and rejects have a reason', async () => {
    const base = JSON.stringify([meeting, hasShared ? JSON.parse(readFileSync(samplePath, 'utf8')) : meeting], null, 1);
    const mutation = fc.oneof(
      fc.nat().map((n) => (s: string) => s.slice(0, n % (s.length + 1))),
      fc.nat().map((n) => (s: string) => s.replace(/20(20|26)-/g, n % 2 ? '1970-' : '2100-')),
      fc.constant((s: string) => s.replace('2026-10-05T10:00:00.0000000Z', '2027-10-05T10:00:00Z')),
      fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([n, bytes]) => (s: string) => {
        const at = n % (s.length + 1);
        return Buffer.concat([Buffer.from(s.slice(0, at)), Buffer.from(bytes), Buffer.from(s.slice(at))]).toString('latin1');
      }),
      fc.tuple(fc.nat(), fc.string({ maxLength: 8 })).map(([n, junk]) => (s: string) => {
        const at = n % (s.length + 1);
        return s.slice(0, at) + junk + s.slice(at + junk.length);
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { maxLength: 3 }), fc.boolean(), async (mutations, asLatin1) => {
        const text = mutations.reduce((s, m) => m(s), base);
        const records = await read(asLatin1 ? Buffer.from(text, 'latin1') : text, { customerOfDomain });
        for (const r of records) {
          if (r.kind === 'call') {
            expect(r.call.startedAt).toBeGreaterThanOrEqual(Date.UTC(2000, 0, 1));
            expect(r.call.startedAt).toBeLessThan(Date.UTC(2100, 0, 1));
            expect(Number.isInteger(r.call.durationSeconds) && r.call.durationSeconds >= 0 && r.call.durationSeconds <= 604800).toBe(true);
            expect(r.call.externalId.length).toBeGreaterThan(1);
          } else if (r.kind === 'reject') {
            expect(r.reason.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
