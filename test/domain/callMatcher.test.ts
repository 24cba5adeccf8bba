import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CallMatcher, type MatchableCall, type MatchingRule, type MatchOutcome } from '../../src/domain/callMatcher.ts';

// docs/billing-rules.md §2: alias (1) > number-range (2) > domain (3) > regex (4) on the local end, then the remote end,
// then tenant, then source; ambiguity at the deciding priority stops there.

const T0 = Date.parse('2026-10-05T10:00:00Z');

function matcherOf(rules: MatchingRule[]): (call: Partial<MatchableCall>) => MatchOutcome {
  const matcher = new CallMatcher(rules);
  return (call) => matcher.match({ source: 'bridge-1', startedAt: T0, ...call });
}

const rule = (id: string, customerId: string, kind: MatchingRule['kind'], value: string, extra: Partial<MatchingRule> = {}): MatchingRule => ({ id, customerId, kind, value, ...extra });
const range = (id: string, customerId: string, from: string, to: string, extra: Partial<MatchingRule> = {}): MatchingRule => ({ id, customerId, kind: 'number-range', value: '', from, to, ...extra });
const matched = (customerId: string, ruleId: string): MatchOutcome => ({ status: 'matched', customerId, ruleId });

describe('call matching: alias rules (priority 1)', () => {
  const m = matcherOf([rule('A-alias', 'A', 'alias', '1001@vc.provider.example')]);

  it('match case-insensitively, ignoring a sip:/h323: prefix and a ;parameters tail', () => {
    for (const end of [
      '1001@vc.provider.example',
      '1001@VC.Provider.EXAMPLE',
      'sip:1001@vc.provider.example',
      'SIP:1001@vc.provider.example',
      'h323:1001@vc.provider.example',
      'sip:1001@vc.provider.example;transport=tls',
      'H323:1001@VC.provider.example;x=1;y=2',
    ]) {
      expect(m({ localAlias: end }), end).toEqual(matched('A', 'A-alias'));
    }
  });

  it('match the end exactly, not a part of it', () => {
    for (const end of ['21001@vc.provider.example', '1001@vc.provider.example.org', '1001', 'x1001@vc.provider.example', '1001@vc.provider.exampl']) {
      expect(m({ localAlias: end }), end).toEqual({ status: 'no-customer' });
    }
  });

  it('an alias rule written with prefix and parameters matches the bare end', () => {
    const m2 = matcherOf([rule('B-alias', 'B', 'alias', 'SIP:Meet.Room@Video.Example;transport=tcp')]);
    expect(m2({ localAlias: 'meet.room@video.example' })).toEqual(matched('B', 'B-alias'));
  });
});

describe('call matching: number ranges (priority 2)', () => {
  const m = matcherOf([range('A-range', 'A', '4721000000', '4721009999'), range('B-range', 'B', '1000', '1999')]);

  it('reduce the user part to its ASCII digits and compare inclusively', () => {
    expect(m({ localAlias: 'sip:+47-21-00-01-00@gw.provider.example' })).toEqual(matched('A', 'A-range'));
    expect(m({ localAlias: 'tel:+47 (21) 00 99 99' })).toEqual(matched('A', 'A-range'));
    expect(m({ localAlias: '4721000000@x' })).toEqual(matched('A', 'A-range'));
    expect(m({ localAlias: '4721009999' })).toEqual(matched('A', 'A-range'));
    expect(m({ localAlias: '4720999999' })).toEqual({ status: 'no-customer' });
    expect(m({ localAlias: '4721010000' })).toEqual({ status: 'no-customer' });
    expect(m({ localAlias: 'sip:1000@gw' })).toEqual(matched('B', 'B-range'));
    expect(m({ localAlias: 'sip:1999@gw' })).toEqual(matched('B', 'B-range'));
    expect(m({ localAlias: 'sip:2000@gw' })).toEqual({ status: 'no-customer' });
  });

  it('require the same number of digits as the bounds', () => {
    // 01500 and 150 are numerically inside [1000, 1999]-ish territory but have 5 and 3 digits.
    expect(m({ localAlias: '01500@gw' })).toEqual({ status: 'no-customer' });
    expect(m({ localAlias: '150@gw' })).toEqual({ status: 'no-customer' });
    expect(m({ localAlias: '1500@gw' })).toEqual(matched('B', 'B-range'));
    expect(m({ localAlias: '15000@gw' })).toEqual({ status: 'no-customer' });
  });

  it('look only at the user part, not the host', () => {
    // The host holds digits of A's range; the user part has none.
    expect(m({ localAlias: 'room@4721000001.example' })).toEqual({ status: 'no-customer' });
    expect(m({ localAlias: 'room1500@host99.example' })).toEqual(matched('B', 'B-range'));
  });

  it('overlapping ranges of two customers are ambiguous, of one customer are not', () => {
    const amb = matcherOf([range('A-r', 'A', '1000', '1999'), range('B-r', 'B', '1500', '1599'), range('A-r2', 'A', '1200', '1300')]);
    expect(amb({ localAlias: '1550' })).toEqual({ status: 'ambiguous', customerIds: ['A', 'B'], ruleIds: expect.arrayContaining(['A-r', 'B-r']) });
    expect(amb({ localAlias: '1250' })).toMatchObject({ status: 'matched', customerId: 'A' });
    expect(amb({ localAlias: '1600' })).toEqual(matched('A', 'A-r'));
  });
});

describe('call matching: domains (priority 3)', () => {
  const m = matcherOf([rule('A-dom', 'A', 'domain', 'a.example')]);

  it('match the host part, its subdomains and a host with :port', () => {
    for (const end of ['bob@a.example', 'sip:bob@A.Example', 'bob@sub.a.example', 'bob@x.y.a.example', 'sip:bob@a.example:5061', 'bob@a.example:5061;transport=tls']) {
      expect(m({ localAlias: end }), end).toEqual(matched('A', 'A-dom'));
    }
  });

  it('do not match look-alike hosts or an end without @', () => {
    for (const end of ['bob@nota.example', 'bob@a.example.org', 'bob@example', 'a.example', 'sip:a.example', 'bob@']) {
      expect(m({ localAlias: end }), end).toEqual({ status: 'no-customer' });
    }
  });

  it('a domain and a subdomain of two customers both match at priority 3: ambiguous', () => {
    const amb = matcherOf([rule('A-dom', 'A', 'domain', 'a.example'), rule('B-sub', 'B', 'domain', 'sub.a.example')]);
    expect(amb({ localAlias: 'bob@sub.a.example' })).toMatchObject({ status: 'ambiguous', customerIds: ['A', 'B'] });
    expect(amb({ localAlias: 'bob@other.a.example' })).toEqual(matched('A', 'A-dom'));
  });
});

describe('call matching: regular expressions (priority 4)', () => {
  it('match the normalized end as a whole', () => {
    const m = matcherOf([rule('A-re', 'A', 'regex', 'room\\d+@video\\.example'), rule('B-re', 'B', 'regex', 'alice|bob@b\\.example')]);
    expect(m({ localAlias: 'SIP:Room42@Video.Example;transport=tls' })).toEqual(matched('A', 'A-re'));
    expect(m({ localAlias: 'room42@video.example.org' })).toEqual({ status: 'no-customer' });
    expect(m({ localAlias: 'xroom42@video.example' })).toEqual({ status: 'no-customer' });
    // The alternation is anchored as a whole: "alice" alone or "bob@b.example", nothing around them.
    expect(m({ localAlias: 'alice' })).toEqual(matched('B', 'B-re'));
    expect(m({ localAlias: 'bob@b.example' })).toEqual(matched('B', 'B-re'));
    expect(m({ localAlias: 'alice@b.example' })).toEqual({ status: 'no-customer' });
    expect(m({ localAlias: 'malice' })).toEqual({ status: 'no-customer' });
  });
});

describe('call matching: priorities and steps', () => {
  // One end matches a rule of every kind, each of another customer.
  const all: MatchingRule[] = [
    rule('A-alias', 'A', 'alias', '1500@a.example'),
    range('B-range', 'B', '1000', '1999'),
    rule('C-dom', 'C', 'domain', 'a.example'),
    rule('D-re', 'D', 'regex', '.*@a\\.example'),
  ];

  it('the lowest priority number wins on one end: alias, then number range, then domain, then regex', () => {
    const end = 'sip:1500@a.example';
    expect(matcherOf(all)({ localAlias: end })).toEqual(matched('A', 'A-alias'));
    expect(matcherOf(all.slice(1))({ localAlias: end })).toEqual(matched('B', 'B-range'));
    expect(matcherOf(all.slice(2))({ localAlias: end })).toEqual(matched('C', 'C-dom'));
    expect(matcherOf(all.slice(3))({ localAlias: end })).toEqual(matched('D', 'D-re'));
    // Order of the rules given to the matcher plays no part.
    expect(matcherOf([...all].reverse())({ localAlias: end })).toEqual(matched('A', 'A-alias'));
  });

  it('the local end decides before the remote end, even with a weaker rule', () => {
    const rules = [...all, rule('E-re', 'E', 'regex', 'meet@vc\\.provider\\.example'), rule('F-alias', 'F', 'alias', 'bob@f.example')];
    const m = matcherOf(rules);
    // Local matches only E's regex (priority 4); remote matches F's alias (priority 1): local wins.
    expect(m({ localAlias: 'meet@vc.provider.example', remoteAlias: 'bob@f.example' })).toEqual(matched('E', 'E-re'));
    // Local matches nothing: the remote end decides.
    expect(m({ localAlias: 'other@vc.provider.example', remoteAlias: 'bob@f.example' })).toEqual(matched('F', 'F-alias'));
    expect(m({ localAlias: undefined, remoteAlias: 'sip:1500@a.example' })).toEqual(matched('A', 'A-alias'));
    expect(m({ localAlias: '', remoteAlias: '1234@elsewhere' })).toEqual(matched('B', 'B-range'));
  });

  it('tenant rules come after both ends, source rules after tenant rules', () => {
    const rules = [rule('F-alias', 'F', 'alias', 'bob@f.example'), rule('T-tenant', 'T', 'tenant', 'acme'), rule('S-source', 'S', 'source', 'bridge-1')];
    const m = matcherOf(rules);
    expect(m({ localAlias: 'x@nowhere', remoteAlias: 'bob@f.example', tenant: 'acme' })).toEqual(matched('F', 'F-alias'));
    expect(m({ localAlias: 'x@nowhere', remoteAlias: 'y@nowhere', tenant: 'acme' })).toEqual(matched('T', 'T-tenant'));
    expect(m({ localAlias: 'x@nowhere', tenant: 'other' })).toEqual(matched('S', 'S-source'));
    expect(m({ localAlias: 'x@nowhere' })).toEqual(matched('S', 'S-source'));
    expect(m({ localAlias: 'x@nowhere', source: 'bridge-2' })).toEqual({ status: 'no-customer' });
    // Tenant values are compared exactly.
    expect(m({ localAlias: 'x@nowhere', tenant: 'ACME', source: 'bridge-2' })).toEqual({ status: 'no-customer' });
  });

  it('ambiguity at the deciding priority stops matching: later priorities and steps are not tried', () => {
    const rules = [
      rule('A-dom', 'A', 'domain', 'shared.example'),
      rule('B-dom', 'B', 'domain', 'shared.example'),
      rule('C-re', 'C', 'regex', 'room@shared\\.example'),
      rule('D-alias', 'D', 'alias', 'bob@d.example'),
      rule('T-tenant', 'T', 'tenant', 'acme'),
      rule('S-source', 'S', 'source', 'bridge-1'),
    ];
    const m = matcherOf(rules);
    const outcome = m({ localAlias: 'room@shared.example', remoteAlias: 'bob@d.example', tenant: 'acme' });
    expect(outcome).toMatchObject({ status: 'ambiguous', customerIds: ['A', 'B'] });
    expect(outcome.status === 'ambiguous' && [...outcome.ruleIds].sort()).toEqual(['A-dom', 'B-dom']);
    // Ambiguity on the remote end likewise stops before tenant and source.
    expect(m({ localAlias: 'x@nowhere', remoteAlias: 'sip:eve@shared.example', tenant: 'acme' })).toMatchObject({ status: 'ambiguous', customerIds: ['A', 'B'] });
    // Ambiguous tenant rules stop before source rules.
    const t = matcherOf([rule('T1', 'T1', 'tenant', 'acme'), rule('T2', 'T2', 'tenant', 'acme'), rule('S-source', 'S', 'source', 'bridge-1')]);
    expect(t({ localAlias: 'x@nowhere', tenant: 'acme' })).toMatchObject({ status: 'ambiguous', customerIds: ['T1', 'T2'] });
    // Two customers at a lower priority than the deciding one do not make the call ambiguous.
    const u = matcherOf([rule('A-alias', 'A', 'alias', 'room@shared.example'), ...rules]);
    expect(u({ localAlias: 'room@shared.example' })).toEqual(matched('A', 'A-alias'));
  });

  it('two rules of one customer at the deciding priority are a match, not an ambiguity', () => {
    const m = matcherOf([rule('A-dom1', 'A', 'domain', 'a.example'), rule('A-dom2', 'A', 'domain', 'sub.a.example')]);
    expect(m({ localAlias: 'bob@sub.a.example' })).toMatchObject({ status: 'matched', customerId: 'A' });
  });
});

describe('call matching: validity windows [validFrom, validTo)', () => {
  const from = Date.parse('2026-10-01T00:00:00Z');
  const to = Date.parse('2026-11-01T00:00:00Z');
  const rules = [
    rule('A-alias', 'A', 'alias', 'vmr1@vc.example', { validFrom: from, validTo: to }),
    rule('B-dom', 'B', 'domain', 'vc.example'),
    rule('C-src', 'C', 'source', 'bridge-1', { validFrom: to }),
    rule('D-tenant', 'D', 'tenant', 'acme', { validTo: from }),
  ];
  const m = matcherOf(rules);

  it('a rule applies from validFrom inclusive until validTo exclusive', () => {
    expect(m({ localAlias: 'vmr1@vc.example', startedAt: from })).toEqual(matched('A', 'A-alias'));
    expect(m({ localAlias: 'vmr1@vc.example', startedAt: to - 1 })).toEqual(matched('A', 'A-alias'));
    // Outside the window the alias does not exist: the domain rule decides.
    expect(m({ localAlias: 'vmr1@vc.example', startedAt: from - 1 })).toEqual(matched('B', 'B-dom'));
    expect(m({ localAlias: 'vmr1@vc.example', startedAt: to })).toEqual(matched('B', 'B-dom'));
  });

  it('open-ended windows and tenant/source rules', () => {
    expect(m({ localAlias: 'x@nowhere', tenant: 'acme', startedAt: from - 1 })).toEqual(matched('D', 'D-tenant'));
    expect(m({ localAlias: 'x@nowhere', tenant: 'acme', startedAt: from })).toEqual({ status: 'no-customer' });
    expect(m({ localAlias: 'x@nowhere', startedAt: to - 1 })).toEqual({ status: 'no-customer' });
    expect(m({ localAlias: 'x@nowhere', startedAt: to })).toEqual(matched('C', 'C-src'));
  });

  it('two customers owning one alias one after the other are never ambiguous', () => {
    const mid = Date.parse('2026-10-15T00:00:00Z');
    const m2 = matcherOf([
      rule('A-vmr', 'A', 'alias', 'vmr9@vc.example', { validTo: mid }),
      rule('B-vmr', 'B', 'alias', 'vmr9@vc.example', { validFrom: mid }),
      range('A-r', 'A', '100', '199', { validTo: mid }),
      range('B-r', 'B', '150', '250', { validFrom: mid }),
    ]);
    expect(m2({ localAlias: 'vmr9@vc.example', startedAt: mid - 1 })).toEqual(matched('A', 'A-vmr'));
    expect(m2({ localAlias: 'vmr9@vc.example', startedAt: mid })).toEqual(matched('B', 'B-vmr'));
    expect(m2({ localAlias: '170', startedAt: mid - 1 })).toEqual(matched('A', 'A-r'));
    expect(m2({ localAlias: '170', startedAt: mid })).toEqual(matched('B', 'B-r'));
  });
});

describe('call matching: number ranges against a brute-force scan (property)', () => {
  const pad = (n: number, length: number): string => String(n).padStart(length, '0');

  /** Non-overlapping ranges of one digit length, one customer each. */
  const rangeSetArb = fc
    .tuple(fc.integer({ min: 2, max: 4 }), fc.uniqueArray(fc.integer({ min: 0, max: 9999 }), { minLength: 2, maxLength: 24 }))
    .map(([length, bounds]) => {
      const max = 10 ** length - 1;
      const sorted = [...new Set(bounds.map((b) => b % (max + 1)))].sort((a, b) => a - b);
      const rules: MatchingRule[] = [];
      for (let i = 0; i + 1 < sorted.length; i += 2) {
        rules.push(range(`r${i / 2}`, `cust-${i / 2}`, pad(sorted[i]!, length), pad(sorted[i + 1]!, length)));
      }
      return rules;
    });

  const endFor = (digits: string, style: number): string =>
    [digits, `sip:${digits}@gw.provider.example`, `tel:+${digits.split('').join(' ')}`, `h323:${digits}@gk;x=1`][style % 4]!;

  it('non-overlapping ranges of several lengths: the matcher equals a linear scan', () => {
    fc.assert(
      fc.property(
        fc.array(rangeSetArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 99_999 }), fc.nat()), { minLength: 1, maxLength: 30 }),
        (sets, queries) => {
          // Lengths may repeat across sets: keep one set per length so ranges stay non-overlapping.
          const byLength = new Map(sets.map((rs) => [rs[0]?.from?.length ?? 0, rs]));
          const rules = [...byLength.values()].flat().map((r, i) => ({ ...r, id: `rule-${i}`, customerId: `cust-${i}` }));
          const matcher = new CallMatcher(rules);
          // Query every bound and its neighbours, plus random numbers of random lengths.
          const probes: string[] = [];
          for (const r of rules) {
            const length = r.from!.length;
            for (const b of [Number(r.from), Number(r.to)]) for (const d of [-1, 0, 1]) if (b + d >= 0 && b + d < 10 ** length) probes.push(pad(b + d, length));
          }
          for (const [length, n] of queries) probes.push(pad(n % 10 ** length, length));
          probes.forEach((digits, i) => {
            const expected = rules.filter((r) => r.from!.length === digits.length && r.from! <= digits && digits <= r.to!);
            expect(expected.length).toBeLessThanOrEqual(1);
            const outcome = matcher.match({ source: 's', startedAt: T0, localAlias: endFor(digits, i) });
            expect(outcome).toEqual(expected.length ? matched(expected[0]!.customerId, expected[0]!.id) : { status: 'no-customer' });
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('overlapping ranges with validity windows: the matcher finds the same customers as a linear scan', () => {
    const ruleArb = fc
      .tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 4 }), fc.option(fc.integer({ min: 0, max: 10 })), fc.option(fc.integer({ min: 0, max: 10 })))
      .map(([a, b, customer, vf, vt]) => ({ from: pad(Math.min(a, b), 3), to: pad(Math.max(a, b), 3), customer: `c${customer}`, validFrom: vf ?? undefined, validTo: vt ?? undefined }));
    fc.assert(
      fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 20 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 10 })), { minLength: 1, maxLength: 20 }), (specs, queries) => {
        const rules = specs.map((s, i) => range(`r${i}`, s.customer, s.from, s.to, { validFrom: s.validFrom, validTo: s.validTo }));
        const matcher = new CallMatcher(rules);
        for (const [n, at] of queries) {
          const digits = pad(n, 3);
          const hits = rules.filter((r) => r.from! <= digits && digits <= r.to! && (r.validFrom === undefined || at >= r.validFrom) && (r.validTo === undefined || at < r.validTo));
          const customers = [...new Set(hits.map((r) => r.customerId))].sort();
          const outcome = matcher.match({ source: 's', startedAt: at, localAlias: `${digits}@gw` });
          if (customers.length === 0) expect(outcome).toEqual({ status: 'no-customer' });
          else if (customers.length === 1) expect(outcome).toMatchObject({ status: 'matched', customerId: customers[0] });
          else {
            expect(outcome).toMatchObject({ status: 'ambiguous', customerIds: customers });
            expect(outcome.status === 'ambiguous' && [...outcome.ruleIds].sort()).toEqual(hits.map((r) => r.id).sort());
          }
          if (outcome.status === 'matched') expect(hits.map((r) => r.id)).toContain(outcome.ruleId);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("a domain's owner (what adapters ask for directions and local ends): the matcher's own answer", () => {
  const t = Date.parse('2026-10-05T09:00:00Z');
  const matcher = new CallMatcher([
    { id: 'a/d', customerId: 'a', kind: 'domain', value: 'acme.example' },
    { id: 'b/d', customerId: 'b', kind: 'domain', value: 'sales.acme.example' },
    { id: 'c/d', customerId: 'c', kind: 'domain', value: 'old.example', validTo: t },
    { id: 'd/d', customerId: 'd', kind: 'domain', value: 'Beta.Example' },
  ]);

  it('covers subdomains, ignores case and a port, and only counts rules valid at the instant', () => {
    expect(matcher.domainOwner('vc.acme.example', t)).toBe('a');
    expect(matcher.domainOwner(' BETA.example:5061', t)).toBe('d');
    expect(matcher.domainOwner('old.example', t - 1)).toBe('c');
    expect(matcher.domainOwner('old.example', t)).toBeUndefined();
    expect(matcher.domainOwner('', t)).toBeUndefined();
  });

  it('is no one where rules of two customers cover the domain, as matching calls such a call ambiguous', () => {
    expect(matcher.domainOwner('room.sales.acme.example', t)).toBeUndefined();
    expect(matcher.match({ startedAt: t, localAlias: 'x@room.sales.acme.example', source: 's' }).status).toBe('ambiguous');
  });
});
