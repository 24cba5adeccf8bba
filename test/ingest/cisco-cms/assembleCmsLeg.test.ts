import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleCmsLeg } from '../../../src/ingest/cisco-cms/assembleCmsLeg.ts';
import type { CmsRecord } from '../../../src/ingest/cisco-cms/cmsRecord.ts';
import { groupCmsLegs } from '../../../src/ingest/cisco-cms/groupCmsLegs.ts';
import { parseCmsRecords } from '../../../src/ingest/cisco-cms/parseCmsRecords.ts';

let index = 0;
function records(session: string, bridge: string, ...bodies: string[]): CmsRecord[] {
  const parsed = parseCmsRecords(`<records session="${session}" callBridge="${bridge}">${bodies.map((b) => b.replace('<record ', `<record correlatorIndex="${index++}" `)).join('')}</records>`);
  if (!parsed.readable) throw new Error(parsed.reason);
  return parsed.items.flatMap((i) => (i.kind === 'record' ? [i.record] : []));
}
const callStart = (call: string, extra = '') => `<record type="callStart" time="2026-10-05T09:00:00Z"><call id="${call}"><name>Board</name><callType>coSpace</callType><callCorrelator>corr-1</callCorrelator>${extra}</call></record>`;
const legStart = (leg: string, call: string, extra = '') => `<record type="callLegStart" time="2026-10-05T09:00:10Z"><callLeg id="${leg}"><localAddress>board@vc.example</localAddress><remoteAddress>alice@acme.example</remoteAddress><type>sip</type><direction>incoming</direction><call>${call}</call>${extra}</callLeg></record>`;
const legEnd = (leg: string, extra = '<rxVideo><codec>h264</codec></rxVideo>', seconds = 120) => `<record type="callLegEnd" time="2026-10-05T09:02:10Z"><callLeg id="${leg}"><reason>remoteTeardown</reason><durationSeconds>${seconds}</durationSeconds>${extra}</callLeg></record>`;

function assembleAll(all: CmsRecord[]) {
  return groupCmsLegs(all).map((leg) => assembleCmsLeg(leg, { source: 'cms' }));
}

describe('assembling CMS legs', () => {
  it('one meeting on two Call Bridges is one conference (callCorrelator); the link between them is not a leg', () => {
    const all = [
      ...records('s-a', 'cb-a', callStart('call-a'), legStart('leg-a', 'call-a'), legStart('link-a', 'call-a', '<subType>distributionLink</subType>'), legEnd('leg-a'), legEnd('link-a')),
      ...records('s-b', 'cb-b', callStart('call-b'), legStart('leg-b', 'call-b'), legEnd('leg-b')),
    ];
    const outcomes = assembleAll(all);
    expect(outcomes.filter((o) => o.kind === 'call').map((o) => o.kind === 'call' && [o.call.externalId, o.call.conferenceId, o.call.localAlias, o.call.category])).toEqual([
      ['leg-a', 'corr-1', 'board@vc.example', 'video'], ['leg-b', 'corr-1', 'board@vc.example', 'video'],
    ]);
    expect(outcomes).toContainEqual({ kind: 'excluded', reason: 'link between Call Bridges' });
  });

  it('keeps the tenant, and the cdrTag as tenant when there is none; audio-only SIP is audio; lync is skype', () => {
    const [withTenant] = assembleAll(records('s', 'cb', callStart('c1', '<tenant>t-9</tenant>'), legStart('l1', 'c1', '<cdrTag>acme</cdrTag>'), legEnd('l1')));
    expect(withTenant).toMatchObject({ kind: 'call', call: { tenant: 't-9' } });
    const [tagged] = assembleAll(records('s', 'cb', callStart('c2'), legStart('l2', 'c2', '<cdrTag>acme</cdrTag>'), legEnd('l2', '<rxAudio><codec>g722</codec></rxAudio>')));
    expect(tagged).toMatchObject({ kind: 'call', call: { tenant: 'acme', category: 'audio' } });
    const [lync] = assembleAll(records('s', 'cb', legStart('l3', 'c3', '<subType>lync</subType>'), legEnd('l3')));
    expect(lync).toMatchObject({ kind: 'call', call: { category: 'skype', conferenceId: 'c3' } });
  });

  it('excludes IVR-only legs and unanswered calls to unknown destinations; a leg without end waits', () => {
    const ivr = records('s', 'cb', '<record type="callLegStart" time="2026-10-05T09:00:10Z"><callLeg id="ivr"><type>sip</type><direction>incoming</direction></callLeg></record>',
      '<record type="callLegUpdate" time="2026-10-05T09:00:11Z"><callLeg id="ivr"><state>connected</state><ivr/></callLeg></record>', legEnd('ivr'));
    expect(assembleAll(ivr)).toEqual([{ kind: 'excluded', reason: 'IVR only' }]);
    const scanner = records('s', 'cb', legStart('scan', 'c9'), legEnd('scan', '', 0).replace('remoteTeardown', 'unknownDestination'));
    expect(assembleAll(scanner)).toEqual([{ kind: 'excluded', reason: 'call to an unknown destination' }]);
    expect(assembleAll(records('s', 'cb', legStart('open', 'c9')))).toMatchObject([{ kind: 'incomplete' }]);
  });

  it('property: any order and any duplication of a leg\'s records gives the same outcome', () => {
    const all = records('s', 'cb', callStart('c'), legStart('l', 'c'), '<record type="callLegUpdate" time="2026-10-05T09:00:11Z"><callLeg id="l"><state>connected</state><call>c</call></callLeg></record>', legEnd('l'),
      '<record type="callEnd" time="2026-10-05T09:05:00Z"><call id="c"><durationSeconds>300</durationSeconds></call></record>');
    const expected = assembleAll(all);
    expect(expected).toMatchObject([{ kind: 'call', call: { startedAt: Date.UTC(2026, 9, 5, 9, 0, 10), durationSeconds: 120 } }]);
    fc.assert(fc.property(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), fc.array(fc.constantFrom(...all), { maxLength: 5 }), (order, extra) => {
      expect(assembleAll([...order, ...extra])).toEqual(expected);
    }), { numRuns: 300 });
  });
});
