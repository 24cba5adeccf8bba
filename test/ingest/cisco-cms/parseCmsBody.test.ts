import { describe, expect, it } from 'vitest';
import { inlineParseBytes, parseCmsBody } from '../../../src/ingest/cisco-cms/parseCmsBody.ts';
import { parseCmsRecords } from '../../../src/ingest/cisco-cms/parseCmsRecords.ts';
import { probeEventLoop } from '../../support/eventLoopProbe.ts';

const envelope = (inner: string): string => `<?xml version="1.0"?><records session="s-1" callBridge="cb-1">${inner}</records>`;

/** Good legs, rejects (a time in 1970) and skipped types, in turn. */
function records(n: number): string {
  return Array.from({ length: n }, (_, i) => [
    `<record type="callLegEnd" time="2024-03-01T10:00:00Z" correlatorIndex="${i}"><callLeg id="leg-${i}"><durationSeconds>${i}</durationSeconds><rxVideo><codec>h264</codec></rxVideo></callLeg></record>`,
    `<record type="callLegStart" time="1970-01-01T00:00:00Z" correlatorIndex="${i}"><callLeg id="leg-${i}"/></record>`,
    `<record type="meetingStart" time="2024-03-01T10:00:00Z" correlatorIndex="${i}"/>`,
  ][i % 3]).join('\n');
}

describe('parseCmsBody', () => {
  it('parses a large body on the worker thread to exactly what parseCmsRecords makes of it', async () => {
    // Invalid UTF-8 in one field: decoded the same way on both threads.
    const bytes = Buffer.concat([Buffer.from(envelope(records(3_000)).replace('</records>', '')), Buffer.from('<record type="callLegEnd" time="2024-03-01T10:00:00Z" correlatorIndex="9"><callLeg id="x"><durationSeconds>1</durationSeconds><displayName>'), Buffer.from([0xff]), Buffer.from('</displayName></callLeg></record></records>')]);
    expect(bytes.length).toBeGreaterThan(inlineParseBytes);
    const expected = parseCmsRecords(new TextDecoder('utf-8').decode(bytes));
    const parsed = await parseCmsBody(bytes);
    expect(parsed).toEqual(expected);
    expect(parsed).toMatchObject({ readable: true });
    if (!parsed.readable) return;
    expect(parsed.items).toHaveLength(3_001);
    expect(parsed.items.filter((i) => i.kind === 'record')).toHaveLength(1_000);
    expect(parsed.items.at(-1)).toMatchObject({ kind: 'reject', field: 'displayName' });
  });

  it('bodies parsed at the same time each get their own items; an unreadable one its reason', async () => {
    const a = Buffer.from(envelope(records(1_500)));
    const b = Buffer.from(envelope(records(900)).replaceAll('s-1', 's-2'));
    const truncated = Buffer.from(envelope(records(1_200)).slice(0, -20));
    const [pa, pb, pt] = await Promise.all([parseCmsBody(a), parseCmsBody(b), parseCmsBody(truncated)]);
    expect(pa).toEqual(parseCmsRecords(a.toString()));
    expect(pb).toEqual(parseCmsRecords(b.toString()));
    expect(pt).toEqual({ readable: false, reason: expect.stringContaining('not well-formed XML') });
    expect(pt).toEqual(parseCmsRecords(truncated.toString()));
  });

  it('a 4 MiB body never holds the event loop for 100 ms while it is parsed (issue 8 §2)', async () => {
    const body = Buffer.from(envelope(records(30_000)));
    expect(body.length).toBeGreaterThan(3.5 * 1024 * 1024);
    // Start the worker first: its start-up is not what is measured.
    await parseCmsBody(Buffer.from(envelope(records(400))));
    const probe = probeEventLoop();
    const parsed = await parseCmsBody(body);
    const seen = probe.stop();
    expect(parsed.readable && parsed.items.length).toBe(30_000);
    // Parsed on this thread, the same body holds it for a second and more.
    expect(seen.maxBusyMs).toBeLessThan(100);
    expect(seen.ticks).toBeGreaterThan(10);
  });
});
