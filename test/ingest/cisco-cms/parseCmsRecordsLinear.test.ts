import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCmsRecords } from '../../../src/ingest/cisco-cms/parseCmsRecords.ts';

const envelope = (inner: string): string => `<?xml version="1.0"?><records session="s-1">${inner}</records>`;

/** Elements whose names begin with "record" and self-closed records with a ">" in an attribute (issue 8 §2). */
function hostileBody(elements: number): string {
  const parts: string[] = [];
  for (let i = 0; i < elements; i++) parts.push(i % 2 ? `<record-x>${i}</record-x>` : `<record type="a>b" n="${i}"/>`);
  return envelope(parts.join(''));
}

function elapsedMs(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The expression the raw text of records was cut with before issue 8: a search per record. */
const regexOfRecords = /<record\b[^>]*?(?:\/>|>[\s\S]*?<\/record\s*>)/g;

describe('parseCmsRecords in linear time', () => {
  it('4 times the elements take at most about 4 times as long (medians; was 16 times and more)', () => {
    // 0.25 and 1 MiB. Before the fix, 2,500 and 10,000 elements already measured a ratio of 23.
    const small = hostileBody(8_000);
    const large = hostileBody(32_000);
    // Warm the JIT first, so the first measurement is not the slow one.
    parseCmsRecords(large);
    // Interleaved, so that a burst of load on a shared machine slows both sizes alike.
    const smallMs: number[] = [];
    const largeMs: number[] = [];
    for (let run = 0; run < 5; run++) {
      smallMs.push(elapsedMs(() => parseCmsRecords(small)));
      largeMs.push(elapsedMs(() => parseCmsRecords(large)));
    }
    // Linear is 4; a busy machine's noise stays under 6; the old quadratic cut was 16 and more.
    expect(median(largeMs) / median(smallMs)).toBeLessThan(6);
  });

  it('a reject keeps its record exactly as written, whatever its attributes and siblings hold', () => {
    const bad = `<record type="callLegEnd" note="a>b" time="1970-01-01T00:00:00Z" correlatorIndex="1"/>`;
    const bad2 = `<record type="callLegEnd" time="1970-01-01T00:00:00Z"\r\n  correlatorIndex="2"><callLeg id="l"><![CDATA[</record>]]></callLeg></record >`;
    const parsed = parseCmsRecords(envelope(`${bad}<record-note>x</record-note>${bad2}`));
    expect(parsed).toMatchObject({ readable: true, items: [{ kind: 'reject', raw: bad, field: 'time' }, { kind: 'reject', raw: bad2, field: 'time' }] });
  });

  it('on ordinary documents, the raw text of every rejected record is what the old expression cut', () => {
    const field = fc.constantFrom('<durationSeconds>60</durationSeconds>', '<reason>remoteTeardown</reason>', '<rxVideo><codec>h264</codec></rxVideo>', '<alarm type="packetLoss" durationPercentage="1.4" />', '<remoteParty>a&amp;b@example.org</remoteParty>', '');
    const record = fc.record({
      type: fc.constantFrom('callStart', 'callEnd', 'callLegStart', 'callLegEnd', 'recordingStart', 'meetingStart'),
      // Half the records are rejected (1970 is out of range), which is when the raw text is kept.
      year: fc.constantFrom('2017', '1970'),
      index: fc.nat({ max: 99_999 }),
      fields: fc.array(field, { maxLength: 4 }),
      space: fc.constantFrom('', '\n', '\r\n', '  '),
      selfClosed: fc.boolean(),
    }).map(({ type, year, index, fields, space, selfClosed }) => {
      const element = type.startsWith('call') && !type.startsWith('callLeg') ? 'call' : type.startsWith('recording') ? 'recording' : 'callLeg';
      const open = `<record type="${type}" time="${year}-04-24T12:00:11Z"${space} correlatorIndex="${index}"`;
      return selfClosed ? `${open}/>` : `${open}>${space}<${element} id="id-${index}">${fields.join(space)}</${element}></record${space}>`;
    });
    fc.assert(fc.property(fc.array(record, { minLength: 1, maxLength: 12 }), fc.constantFrom('', '\n', '\r\n'), (records, between) => {
      const xml = envelope(records.join(between));
      const parsed = parseCmsRecords(xml);
      expect(parsed.readable).toBe(true);
      if (!parsed.readable) return;
      const old = xml.match(regexOfRecords)!;
      expect(old).toHaveLength(records.length);
      parsed.items.forEach((item, i) => {
        if (item.kind === 'reject') expect(item.raw).toBe(old[i]);
      });
    }), { numRuns: 500 });
  });
});
