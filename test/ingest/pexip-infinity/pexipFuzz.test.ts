import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join as pathJoin } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callCategories, callDirections } from '../../../src/domain/call.ts';
import type { IngestRecord } from '../../../src/ingest/ingestRecord.ts';
import { readPexipEvents } from '../../../src/ingest/pexip-infinity/readPexipEvents.ts';
import { readPexipHistory } from '../../../src/ingest/pexip-infinity/readPexipHistory.ts';
import { hasShared, sharedDir } from '../../support/sharedSamples.ts';
import { historyPage, historyParticipant, readAll } from './pexipFixtures.ts';

/** The public samples when they are there (mutated real JSON), else fixtures of the same shape. */
function realText(names: string[], join: (texts: string[]) => string): string | undefined {
  return hasShared ? join(names.map((n) => readFileSync(pathJoin(sharedDir, 'samples/pexip-infinity', n), 'utf8'))) : undefined;
}
const realHistory = realText(['history-api/participant-2020-12-21.json', 'history-api/conference-2020-12-21.json', 'history-api/participant-docs-example-2015.json'], (t) => `{"meta": {"total_count": 3}, "objects": [${t.join(',')}]}`);
const realEvents = realText(['eventsink-v1-fixture/participant_connected.json', 'eventsink-v1-fixture/participant_disconnected.json', 'eventsink-v2-docs/participant_disconnected.json', 'eventsink-v2-docs/participant_media_streams_destroyed.json'], (t) => t.map((x) => JSON.stringify(JSON.parse(x))).join('\n'));

type Reader = typeof readPexipHistory;

/** What every record must satisfy, whatever the input: a valid leg, or a reason. */
function checkRecord(r: IngestRecord): void {
  if (r.kind === 'call') {
    const c = r.call;
    expect(c.source.length).toBeGreaterThan(0);
    expect(c.externalId.length).toBeGreaterThan(0);
    expect(c.startedAt).toBeGreaterThanOrEqual(Date.UTC(2000, 0, 1));
    expect(c.startedAt).toBeLessThan(Date.UTC(2100, 0, 1));
    expect(Number.isSafeInteger(c.durationSeconds) && c.durationSeconds >= 0 && c.durationSeconds <= 604800).toBe(true);
    expect(callCategories).toContain(c.category);
    expect(callDirections).toContain(c.direction);
    for (const value of Object.values(c)) if (typeof value === 'string') expect(value.includes('\u0000') || value.includes('\uFFFD')).toBe(false);
  } else {
    expect(r.reason.length).toBeGreaterThan(0);
    if (r.kind === 'reject') expect(r.raw.includes('\u0000')).toBe(false);
  }
}

function event(uuid: string, data: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    node: '10.0.0.1', seq: 3, version: 2, time: 1790000100.5, event: 'participant_disconnected',
    data: { uuid, conference: 'meet.acme', call_direction: 'in', protocol: 'WebRTC', service_type: 'conference', connect_time: 1790000000.25, duration: 100.2, destination_alias: 'meet.acme', source_alias: 'Alice', ...data },
  };
}

const weirdValues = fc.oneof(
  fc.constantFrom('valueOf', 'constructor', '__proto__', null, true, -1, 0, 1e12, 99_999_999, -0.5, '', 'x', '1970-01-01T00:00:00', '2100-06-01T00:00:00', '2026-02-30T10:00:00', 7.5e9, 1e-9, 'in', 'out', [], {}),
  fc.string({ maxLength: 12 }),
  fc.double(),
  fc.integer(),
);

/** Byte-level damage to JSON text: truncation, deleted/inserted characters, invalid UTF-8, NUL. */
const damage = (bytes: Buffer) => fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('truncate' as const), at: fc.nat({ max: bytes.length }) }),
    fc.record({ op: fc.constant('delete' as const), at: fc.nat({ max: bytes.length }), n: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ op: fc.constant('insert' as const), at: fc.nat({ max: bytes.length }), text: fc.oneof(fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', '\n', '"objects":['), fc.string({ maxLength: 6 })) }),
    fc.record({ op: fc.constant('bytes' as const), at: fc.nat({ max: bytes.length }), raw: fc.constantFrom([0xff], [0xc3], [0xe4, 0xbc], [0x00], [0xfe, 0xff, 0x00]) }),
  ),
  { maxLength: 4 },
).map((ops) => ops.reduce((b, o) => {
  const at = Math.min(o.at, b.length);
  if (o.op === 'truncate') return b.subarray(0, at);
  if (o.op === 'delete') return Buffer.concat([b.subarray(0, at), b.subarray(at + o.n)]);
  if (o.op === 'insert') return Buffer.concat([b.subarray(0, at), Buffer.from(o.text), b.subarray(at)]);
  return Buffer.concat([b.subarray(0, at), Buffer.from(o.raw), b.subarray(at)]);
}, bytes));

const historyFields = Object.keys(historyParticipant('x'));
const eventFields = Object.keys(event('x').data as object);

describe.each([
  { name: 'pexip-history', real: realHistory, reader: readPexipHistory as Reader, good: (i: number) => historyParticipant(`p-${i}`), fields: historyFields, set: (o: Record<string, unknown>, f: string, v: unknown) => ({ ...o, [f]: v }), wrap: (objects: unknown[]) => JSON.stringify(historyPage(objects), null, 1) },
  { name: 'pexip-events', real: realEvents, reader: readPexipEvents as Reader, good: (i: number) => event(`e-${i}`), fields: eventFields, set: (o: Record<string, unknown>, f: string, v: unknown) => ({ ...o, data: { ...(o.data as object), [f]: v } }), wrap: (objects: unknown[]) => objects.map((o) => JSON.stringify(o)).join('\n') },
])('fuzz: $name', ({ real, reader, good, fields, set, wrap }) => {
  it('damaged bytes never crash the reader; every record is a valid leg or has a reason', async () => {
    const base = Buffer.from(real ?? wrap([0, 1, 2, 3].map(good)));
    await fc.assert(
      fc.asyncProperty(damage(base), fc.integer({ min: 1, max: 64 }), async (bytes, chunk) => {
        const chunks: Buffer[] = [];
        for (let i = 0; i < bytes.length; i += chunk * 37) chunks.push(bytes.subarray(i, i + chunk * 37));
        const records = await readAll(reader, chunks.length ? chunks : [Buffer.alloc(0)]);
        records.forEach(checkRecord);
        // At most the four objects plus a few problems; never more legs than objects.
        expect(records.filter((r) => r.kind === 'call').length).toBeLessThanOrEqual(4);
      }),
      { numRuns: 1500 },
    );
  });

  it('wrong values in some objects reject those objects, with a field, and every untouched object is still a leg', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(fc.record({ field: fc.constantFrom(...fields), value: weirdValues }), { nil: undefined }), { minLength: 1, maxLength: 8 }), async (plan) => {
        const objects = plan.map((m, i) => (m ? set(good(i), m.field, m.value) : good(i)));
        const records = await readAll(reader, wrap(objects));
        records.forEach(checkRecord);
        expect(records.map((r) => r.line)).toEqual(plan.map((_, i) => i + 1));
        plan.forEach((m, i) => {
          const r = records[i]!;
          if (!m) expect(r.kind).toBe('call');
          if (r.kind === 'reject') expect(r.field).not.toBeNull();
        });
      }),
      { numRuns: 1500 },
    );
  });
});
