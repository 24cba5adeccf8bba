import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { IngestRecord } from '../../../src/ingest/ingestRecord.ts';
import { parseCmsRecords } from '../../../src/ingest/cisco-cms/parseCmsRecords.ts';
import { readCmsXml } from '../../../src/ingest/cisco-cms/readCmsXml.ts';
import { hasShared, sharedDir } from '../../support/sharedSamples.ts';

/** The public 2017 capture's posts when the samples are there, else the in-repo capture's (test/fixtures/cisco-cms). */
const fixture = fileURLToPath(new URL('../../fixtures/cisco-cms/capture-2026-10-05/', import.meta.url));
const samples = hasShared
  ? ['01-callStart', '02-callLegStart', '03-callLegUpdate', '06-callLegUpdate', '07-callLegEnd', '09-callLegEnd+callEnd'].map((f) => readFileSync(join(sharedDir, 'samples/cisco-cms/capture-2017-04-24', `${f}.xml`), 'utf8'))
  : readdirSync(fixture).filter((f) => f.endsWith('.xml')).sort().map((f) => readFileSync(join(fixture, f), 'utf8'));
/** A post that yields a leg on its own (a callLegEnd with its duration). */
const legEnd = samples.find((s) => s.includes('type="callLegEnd"') && !s.includes('recording'))!;

/** Mutations that real senders and broken proxies produce. */
const mutated = fc.oneof(
  fc.tuple(fc.constantFrom(...samples), fc.nat()).map(([s, n]) => s.slice(0, n % (s.length + 1))),
  fc.tuple(fc.constantFrom(...samples), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([s, n, bytes]) => {
    const b = Buffer.from(s);
    const at = n % (b.length + 1);
    return new TextDecoder().decode(Buffer.concat([b.subarray(0, at), Buffer.from(bytes), b.subarray(at)]));
  }),
  fc.tuple(fc.constantFrom(...samples), fc.constantFrom('1970', '2100', '1999', '0000'), fc.constantFrom('99999999999999999999', '-1', '1e9', '3.5', '')).map(([s, year, n]) =>
    s.replace(/\d{4}-/g, `${year}-`).replace(/<durationSeconds>\d+/g, `<durationSeconds>${n}`).replace(/correlatorIndex="\d+"/, `correlatorIndex="${n}"`)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom(...samples),
);

describe('cms-xml fuzz', () => {
  it('parse: never throws; unreadable bodies and rejects carry reasons', () => {
    fc.assert(fc.property(mutated, (xml) => {
      const parsed = parseCmsRecords(xml);
      if (!parsed.readable) expect(parsed.reason.length).toBeGreaterThan(0);
      else for (const item of parsed.items) if (item.kind === 'reject') expect(item.reason.length).toBeGreaterThan(0);
    }), { numRuns: 3000 });
  });

  it('reader: never throws, calls are plausible, the untouched samples still yield their legs', async () => {
    await fc.assert(fc.asyncProperty(fc.array(mutated, { maxLength: 6 }), async (docs) => {
      const out: IngestRecord[] = [];
      for await (const r of readCmsXml(Readable.from([Buffer.from(docs.join('\n'))]), { file: 'f', source: 'cms' })) out.push(r);
      for (const r of out) {
        if (r.kind === 'reject') expect(r.reason.length).toBeGreaterThan(0);
        if (r.kind === 'call') {
          expect(Number.isInteger(r.call.durationSeconds) && r.call.durationSeconds >= 0 && r.call.durationSeconds <= 604800).toBe(true);
          expect(r.call.startedAt).toBeGreaterThanOrEqual(Date.UTC(2000, 0, 1));
          expect(r.call.startedAt).toBeLessThan(Date.UTC(2100, 0, 1));
        }
      }
      if (docs.length > 0 && docs.every((d) => samples.includes(d)) && docs.includes(legEnd)) expect(out.some((r) => r.kind === 'call')).toBe(true);
    }), { numRuns: 1500 });
  });
});
