import { callCategories } from '../../src/domain/call.ts';
import { describe, it, expect } from 'vitest';
import { parse } from 'csv-parse/sync';
import { Temporal } from 'temporal-polyfill';
import {
  CONFBILL_CSV_HEADER,
  callsToCsvLines,
  createRandom,
  syntheticCalls,
  syntheticConfig,
  type CustomerConfig,
  type ProviderConfig,
  type SyntheticCall,
} from '../../src/services/syntheticProvider.ts';

const MONTH = '2026-10';
const MONTH_START = Date.UTC(2026, 9, 1);
const MONTH_END = Date.UTC(2026, 10, 1);
const MONEY = /^-?\d+(\.\d+)?$/;

function take<T>(it: Iterable<T>, n: number): T[] {
  const out: T[] = [];
  for (const x of it) {
    if (out.length >= n) break;
    out.push(x);
  }
  return out;
}

// A small reference implementation of the matching rules of billing-rules §2 (enough for the rules
// that syntheticConfig generates), to check that the synthetic calls match whom they are meant to.
function normalize(end: string): string {
  return end.toLowerCase().replace(/^(sip|h323):/, '').replace(/;.*$/, '');
}

function matchEnd(customers: CustomerConfig[], end: string, at: number): Set<string> {
  const e = normalize(end);
  const at1 = new Set<string>();
  const at2 = new Set<string>();
  const at3 = new Set<string>();
  const user = e.includes('@') ? e.slice(0, e.indexOf('@')) : e;
  const host = e.includes('@') ? e.slice(e.indexOf('@') + 1).replace(/:\d+$/, '') : null;
  const digits = user.replace(/[^0-9]/g, '');
  for (const c of customers) {
    for (const ent of c.entities ?? []) {
      const from = Date.parse(ent.createdAt);
      const to = ent.deletedAt ? Date.parse(ent.deletedAt) : Infinity;
      if (normalize(ent.alias ?? "") === e && from <= at && at < to) at1.add(c.id);
    }
    for (const r of c.matching ?? []) {
      if (r.kind === 'alias' && normalize(r.value) === e) at1.add(c.id);
      if (r.kind === 'number-range' && digits.length === r.from.length && digits >= r.from && digits <= r.to) at2.add(c.id);
      if (r.kind === 'domain' && host !== null && (host === r.value || host.endsWith(`.${r.value}`))) at3.add(c.id);
    }
  }
  return at1.size > 0 ? at1 : at2.size > 0 ? at2 : at3;
}

function customerOf(customers: CustomerConfig[], call: SyntheticCall): { local: Set<string>; remote: Set<string>; tenant: Set<string> } {
  const at = Date.parse(call.startedAt);
  const tenant = new Set<string>();
  if (call.tenant !== '') {
    for (const c of customers) {
      if ((c.matching ?? []).some((r) => r.kind === 'tenant' && r.value === call.tenant)) tenant.add(c.id);
    }
  }
  return { local: matchEnd(customers, call.localAlias, at), remote: matchEnd(customers, call.remoteAlias, at), tenant };
}

function moneyValues(config: ProviderConfig): unknown[] {
  const values: unknown[] = [];
  for (const p of config.plans ?? []) {
    values.push(p.monthlyFee, p.portPool?.overagePerPortMinute, p.includedMinutes?.overagePerMinute);
    for (const r of p.callRates ?? []) values.push(r.startupCharge, r.perMinute);
    values.push(...Object.values(p.services ?? {}));
    for (const ce of p.customElements ?? []) values.push(ce.unitPrice);
  }
  for (const c of config.customers ?? []) for (const ce of c.customElements ?? []) values.push(ce.unitPrice);
  return values.filter((v) => v !== undefined);
}

describe('createRandom', () => {
  it('is deterministic and returns floats in [0, 1)', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(Array.from({ length: 10_000 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 10 }, () => c())).not.toEqual(xs.slice(0, 10));
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });
});

describe('syntheticConfig', () => {
  const config = syntheticConfig({ customers: 100, seed: 1, month: MONTH });

  it('is deterministic and a plain JSON-able object', () => {
    expect(syntheticConfig({ customers: 100, seed: 1, month: MONTH })).toEqual(config);
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
    expect(Object.keys(config).sort()).toEqual(['assignments', 'customers', 'plans', 'settings']);
    expect(config.settings).toMatchObject({ timezone: 'UTC', settlementDelayMinutes: 60, limitAvailableServicesToBillableServices: false });
    expect(config.settings?.provider?.name).toBe('Example Video Services Ltd');
    expect(config.customers?.[0]).toMatchObject({ email: 'billing@c0001.example', customerReference: 'PO-0001' });
  });

  it('has one plan per built-in template and a JPY plan', () => {
    const plans = config.plans ?? [];
    expect(new Set(plans.map((p) => p.copyOf))).toEqual(new Set(['concurrent-calls', 'pay-as-you-go', 'included-minutes']));
    for (const t of ['concurrent-calls', 'pay-as-you-go', 'included-minutes']) {
      expect(plans.some((p) => p.copyOf === t && p.currency === 'EUR')).toBe(true);
    }
    const jpy = plans.filter((p) => p.currency === 'JPY');
    expect(jpy).toHaveLength(1);
    expect(jpy[0]?.copyOf).toBe('pay-as-you-go');
    for (const r of jpy[0]?.callRates ?? []) {
      expect(r.startupCharge).toMatch(/^\d+$/);
      expect(r.perMinute).toMatch(/^\d+$/);
    }
    for (const v of Object.values(jpy[0]?.services ?? {})) expect(v).toMatch(/^-?\d+$/);
    const payg = plans.find((p) => p.copyOf === 'pay-as-you-go' && p.currency === 'EUR');
    expect(payg?.callRates?.some((r) => r.category === '*' && r.direction === '*')).toBe(true);
    expect(plans.find((p) => p.copyOf === 'concurrent-calls')?.portPool).toEqual({ ports: 10, overagePerPortMinute: '0.10' });
    expect(plans.find((p) => p.copyOf === 'included-minutes')?.includedMinutes).toEqual({ minutesPerMonth: 3000, overagePerMinute: '0.05' });
    expect(new Set(plans.map((p) => p.id)).size).toBe(plans.length);
  });

  it('has money values only as decimal strings', () => {
    const values = moneyValues(config);
    expect(values.length).toBeGreaterThan(20);
    for (const v of values) {
      expect(typeof v).toBe('string');
      expect(v).toMatch(MONEY);
    }
  });

  it('has customers with valid slugs, time zones and matching rules', () => {
    const customers = config.customers ?? [];
    expect(customers).toHaveLength(100);
    expect(customers[0]?.id).toBe('cust-0001');
    expect(new Set(customers.map((c) => c.id)).size).toBe(100);
    const zones = ['UTC', 'Europe/Oslo', 'Europe/London', 'America/New_York', 'Asia/Tokyo'];
    const ranges: [number, number][] = [];
    customers.forEach((c, idx) => {
      const i = idx + 1;
      const num = String(i).padStart(4, '0');
      expect(c.id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      expect(c.name.length).toBeGreaterThan(0);
      expect(zones).toContain(c.timezone);
      const rules = c.matching ?? [];
      expect(rules).toContainEqual({ kind: 'domain', value: `c${num}.example` });
      const range = rules.find((r) => r.kind === 'number-range');
      if (range?.kind !== 'number-range') throw new Error('no number range');
      expect(range.from).toMatch(/^\d{10}$/);
      expect(range.to.length).toBe(range.from.length);
      expect(Number(range.to) - Number(range.from)).toBe(9999);
      ranges.push([Number(range.from), Number(range.to)]);
      expect(rules.some((r) => r.kind === 'tenant')).toBe(i % 7 === 0);

      const entities = c.entities ?? [];
      expect(entities.length).toBeGreaterThanOrEqual(1);
      expect(entities.length).toBeLessThanOrEqual(3);
      entities.forEach((e, k) => {
        expect(e.alias).toBe(`vmr-${num}-${k + 1}@vc.provider.example`);
        expect(['pexip-vmr', 'cms-space']).toContain(e.serviceType);
        const created = Date.parse(e.createdAt);
        expect(e.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        expect(created).toBeLessThan(MONTH_END);
        if (e.deletedAt) {
          const deleted = Date.parse(e.deletedAt);
          expect(deleted).toBeGreaterThan(created);
          expect(deleted).toBeGreaterThanOrEqual(MONTH_START);
          expect(deleted).toBeLessThan(MONTH_END);
        }
      });
      for (const ce of c.customElements ?? []) expect(ce.date.startsWith(MONTH)).toBe(true);
    });
    ranges.sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < ranges.length; k++) expect((ranges[k] as [number, number])[0]).toBeGreaterThan((ranges[k - 1] as [number, number])[1]);
  });

  it('assigns every customer once, every 10th to the JPY plan', () => {
    const plans = new Map((config.plans ?? []).map((p) => [p.id, p]));
    const assignments = config.assignments ?? [];
    expect(assignments.map((a) => a.customer)).toEqual((config.customers ?? []).map((c) => c.id));
    assignments.forEach((a, idx) => {
      expect(plans.has(a.plan)).toBe(true);
      expect(plans.get(a.plan)?.currency === 'JPY').toBe((idx + 1) % 10 === 0);
      expect(a.from).toMatch(/^2026-10-\d{2}$/);
      expect(a.to).toBeNull();
    });
    const big = syntheticConfig({ customers: 500, seed: 3, month: MONTH });
    const froms = (big.assignments ?? []).map((a) => a.from);
    expect(froms.filter((f) => f === '2026-10-01').length).toBeGreaterThan(400);
    expect(froms.some((f) => f !== '2026-10-01')).toBe(true);
  });

  it('refuses an invalid month or customer count', () => {
    expect(() => syntheticConfig({ customers: 1, seed: 1, month: '2026-13' })).toThrow(/month/);
    expect(() => syntheticConfig({ customers: 1, seed: 1, month: 'October' })).toThrow(/month/);
    expect(() => syntheticConfig({ customers: -1, seed: 1, month: MONTH })).toThrow(/customers/);
  });
});

describe('syntheticCalls', () => {
  const config = syntheticConfig({ customers: 200, seed: 11, month: MONTH });
  const calls = [...syntheticCalls({ config, legs: 50_000, seed: 11, month: MONTH })];

  it('is deterministic: same seed, same calls', () => {
    const again = take(syntheticCalls({ config, legs: 50_000, seed: 11, month: MONTH }), 1000);
    expect(again).toEqual(calls.slice(0, 1000));
    const other = take(syntheticCalls({ config, legs: 1000, seed: 12, month: MONTH }), 1000);
    expect(other).not.toEqual(calls.slice(0, 1000));
  });

  it('yields exactly `legs` calls with unique, deterministic ids', () => {
    expect(calls).toHaveLength(50_000);
    expect(new Set(calls.map((c) => c.externalId)).size).toBe(50_000);
    expect(calls[0]?.externalId).toBe('synthetic-1-1');
    expect(calls[49_999]?.externalId).toBe('synthetic-1-50000');
    const custom = take(syntheticCalls({ config, legs: 3, seed: 11, month: MONTH, source: 'cms-oslo-1' }), 3);
    expect(custom.map((c) => [c.source, c.externalId])).toEqual([
      ['cms-oslo-1', 'cms-oslo-1-1'], ['cms-oslo-1', 'cms-oslo-1-2'], ['cms-oslo-1', 'cms-oslo-1-3'],
    ]);
  });

  it('has valid fields, all inside the month', () => {
    // One expect over all calls (50,000 × a dozen expect() calls would be slow).
    const problems: string[] = [];
    const check = (ok: boolean, what: string, c: SyntheticCall) => {
      if (!ok && problems.length < 20) problems.push(`${c.externalId}: ${what}`);
    };
    const stringFields = ['source', 'externalId', 'conferenceId', 'protocol', 'localAlias', 'remoteAlias', 'tenant'] as const;
    const categories: readonly string[] = callCategories;
    for (const c of calls) {
      const start = Date.parse(c.startedAt);
      check(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(c.startedAt) && !Number.isNaN(start), `startedAt ${c.startedAt}`, c);
      check(Number.isInteger(c.durationSeconds) && c.durationSeconds >= 0 && c.durationSeconds <= 3 * 3600, `duration ${c.durationSeconds}`, c);
      check(start >= MONTH_START && start + c.durationSeconds * 1000 <= MONTH_END, `outside the month ${c.startedAt}+${c.durationSeconds}`, c);
      check(categories.includes(c.category), `category ${c.category}`, c);
      check(c.direction === 'inbound' || c.direction === 'outbound', `direction ${c.direction}`, c);
      check(stringFields.every((f) => typeof c[f] === 'string'), 'a field is not a string', c);
      check(c.localAlias !== '' && c.remoteAlias !== '' && c.source !== '' && c.protocol !== '', 'empty required field', c);
    }
    expect(problems).toEqual([]);
  });

  it('stays inside other months too (DST changes, leap February)', () => {
    for (const month of ['2026-03', '2028-02', '2026-12']) {
      const cfg = syntheticConfig({ customers: 30, seed: 5, month });
      const [y, m] = month.split('-').map(Number) as [number, number];
      const start = Date.UTC(y, m - 1, 1);
      const end = Date.UTC(y, m, 1);
      const outside = [...syntheticCalls({ config: cfg, legs: 5000, seed: 5, month })].filter((c) => {
        const t = Date.parse(c.startedAt);
        return !(t >= start && t + c.durationSeconds * 1000 <= end);
      });
      expect(outside).toEqual([]);
    }
  });

  it('has a realistic mix of categories, directions and durations', () => {
    const count = (pred: (c: SyntheticCall) => boolean) => calls.filter(pred).length / calls.length;
    expect(count((c) => c.category === 'video')).toBeGreaterThan(0.4);
    expect(count((c) => c.category === 'audio')).toBeGreaterThan(0.1);
    for (const cat of ['webrtc', 'teams', 'skype', 'gateway', 'streaming', 'recording']) {
      expect(count((c) => c.category === cat)).toBeGreaterThan(0.002);
    }
    expect(count((c) => c.direction === 'inbound')).toBeGreaterThan(0.5);
    expect(count((c) => c.direction === 'outbound')).toBeGreaterThan(0.1);
    const zero = count((c) => c.durationSeconds === 0);
    expect(zero).toBeGreaterThan(0.01);
    expect(zero).toBeLessThan(0.03);
    const durations = calls.map((c) => c.durationSeconds).sort((a, b) => a - b);
    const median = durations[durations.length >> 1] ?? 0;
    expect(median).toBeGreaterThan(18 * 60);
    expect(median).toBeLessThan(32 * 60);
    expect(durations.filter((d) => d > 2 * 3600).length).toBeGreaterThan(0);
  });

  it('groups legs into conferences of 2–8 legs starting within a few minutes', () => {
    const byConference = new Map<string, number[]>();
    for (const c of calls) {
      const list = byConference.get(c.conferenceId) ?? [];
      list.push(Date.parse(c.startedAt));
      byConference.set(c.conferenceId, list);
    }
    const sizes = [...byConference.values()].map((l) => l.length);
    // The last conference may be cut short by `legs`.
    for (const s of sizes.slice(0, -1)) {
      expect(s).toBeGreaterThanOrEqual(2);
      expect(s).toBeLessThanOrEqual(8);
    }
    for (const starts of byConference.values()) {
      expect(Math.max(...starts) - Math.min(...starts)).toBeLessThanOrEqual(150_000);
    }
  });

  it('matches each call to its one customer by the local end, except about unmatchedShare', () => {
    const customers = config.customers ?? [];
    let unmatched = 0;
    const perCustomer = new Map<string, number>();
    const problems: string[] = [];
    const sample = calls.filter((_, i) => i % 10 === 0);
    for (const c of sample) {
      const m = customerOf(customers, c);
      if (m.remote.size !== 0) problems.push(`${c.externalId}: remote ${c.remoteAlias} matches ${[...m.remote]}`);
      if (m.local.size > 1) problems.push(`${c.externalId}: local ${c.localAlias} is ambiguous`);
      if (m.local.size === 0) {
        unmatched++;
        if (c.tenant !== '' || m.tenant.size > 0) problems.push(`${c.externalId}: unmatched call with tenant ${c.tenant}`);
        continue;
      }
      const id = [...m.local][0] as string;
      perCustomer.set(id, (perCustomer.get(id) ?? 0) + 1);
      if (m.tenant.size > 0 && !(m.tenant.size === 1 && m.tenant.has(id))) problems.push(`${c.externalId}: tenant of another customer`);
    }
    expect(problems.slice(0, 20)).toEqual([]);
    const share = unmatched / sample.length;
    expect(share).toBeGreaterThan(0.003);
    expect(share).toBeLessThan(0.02);

    // Zipf-like: the busiest tenth of the customers has far more than a tenth of the legs.
    const counts = [...perCustomer.values()].sort((a, b) => b - a);
    const top = counts.slice(0, 20).reduce((s, x) => s + x, 0);
    expect(top / (sample.length - unmatched)).toBeGreaterThan(0.3);

    const none = [...syntheticCalls({ config, legs: 2000, seed: 2, month: MONTH, unmatchedShare: 1 })];
    expect(none.filter((c) => matchEnd(customers, c.localAlias, Date.parse(c.startedAt)).size !== 0)).toEqual([]);
    const all = [...syntheticCalls({ config, legs: 2000, seed: 2, month: MONTH, unmatchedShare: 0 })];
    expect(all.filter((c) => matchEnd(customers, c.localAlias, Date.parse(c.startedAt)).size !== 1)).toEqual([]);
  });

  it('starts calls mostly in business hours on weekdays, in the customer time zone', () => {
    const customers = config.customers ?? [];
    const zone = new Map(customers.map((c) => [c.id, c.timezone ?? 'UTC']));
    let business = 0;
    let weekend = 0;
    let n = 0;
    for (const c of calls.filter((_, i) => i % 25 === 0)) {
      const m = customerOf(customers, c);
      const id = [...m.local][0];
      if (id === undefined) continue;
      const local = Temporal.Instant.from(c.startedAt).toZonedDateTimeISO(zone.get(id) ?? 'UTC');
      n++;
      if (local.hour >= 7 && local.hour < 18) business++;
      if (local.dayOfWeek >= 6) weekend++;
    }
    expect(business / n).toBeGreaterThan(0.8);
    expect(weekend / n).toBeLessThan(0.12);
  });

  it('streams: works lazily for a huge leg count', () => {
    const first = take(syntheticCalls({ config, legs: 100_000_000, seed: 11, month: MONTH }), 5);
    expect(first).toEqual(calls.slice(0, 5));
  });

  it('works for a config without customers (everything unmatched)', () => {
    const out = [...syntheticCalls({ config: {}, legs: 100, seed: 1, month: MONTH })];
    expect(out).toHaveLength(100);
    expect(() => [...syntheticCalls({ config, legs: 1, seed: 1, month: '2026-1' })]).toThrow(/month/);
  });
});

describe('callsToCsvLines', () => {
  it('writes the confbill-csv header and one RFC 4180 line per call', () => {
    const config = syntheticConfig({ customers: 20, seed: 4, month: MONTH });
    const calls = [...syntheticCalls({ config, legs: 500, seed: 4, month: MONTH })];
    const lines = [...callsToCsvLines(calls)];
    expect(lines[0]).toBe('source,externalId,conferenceId,startedAt,durationSeconds,category,direction,protocol,localAlias,remoteAlias,tenant\n');
    expect(CONFBILL_CSV_HEADER + '\n').toBe(lines[0]);
    expect(lines).toHaveLength(501);
    for (const l of lines) expect(l.endsWith('\n')).toBe(true);
    const rows = parse(lines.join(''), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(500);
    rows.forEach((r, i) => {
      const c = calls[i] as SyntheticCall;
      expect(r).toEqual({ ...c, durationSeconds: String(c.durationSeconds) });
    });
  });

  it('quotes fields with commas, quotes and newlines', () => {
    const call: SyntheticCall = {
      source: 'src,1', externalId: 'a"b', conferenceId: '', startedAt: '2026-10-01T10:00:00Z', durationSeconds: 61,
      category: 'video', direction: 'inbound', protocol: 'SIP', localAlias: 'line\nbreak', remoteAlias: 'x\r\ny', tenant: '',
    };
    const lines = [...callsToCsvLines([call])];
    expect(lines[1]).toBe('"src,1","a""b",,2026-10-01T10:00:00Z,61,video,inbound,SIP,"line\nbreak","x\r\ny",\n');
    const rows = parse(lines.join(''), { columns: true }) as Record<string, string>[];
    expect(rows[0]).toEqual({ ...call, durationSeconds: '61' });
  });
});
