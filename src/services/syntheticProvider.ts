// A synthetic video-conferencing provider: a configuration in the shape of the `confbill apply` file
// (README, "Describe the provider"; example: docs/examples/provider.yaml) and a stream of realistic participant legs for one month in
// the `confbill-csv` call format. Everything is derived from a seed: no Math.random, no clock.
//
// Used by tests, benchmarks and demos. The call stream is generated lazily (a generator) and keeps
// O(1) state per call besides the per-customer tables built once from the config, so millions of legs
// can be produced without holding them in memory.

import { Temporal } from 'temporal-polyfill';

import type { CallCategory, CallDirection } from '../domain/call.ts';
import type { ProviderConfigInput } from './providerConfig.ts';

/** The `confbill apply` file, as `providerConfig.ts` defines and validates it. */
export type ProviderConfig = ProviderConfigInput;
export type CustomerConfig = NonNullable<ProviderConfig['customers']>[number];
type MatchingRuleConfig = NonNullable<CustomerConfig['matching']>[number];
type EntityConfig = NonNullable<CustomerConfig['entities']>[number];
type PlanConfig = NonNullable<ProviderConfig['plans']>[number];
type AssignmentConfig = NonNullable<ProviderConfig['assignments']>[number];

/** One participant leg as a `confbill-csv` record. Absent optional fields are empty strings. */
export interface SyntheticCall {
  source: string;
  externalId: string;
  conferenceId: string;
  /** ISO 8601 UTC instant with `Z`, whole seconds, e.g. `2026-10-05T09:03:12Z`. */
  startedAt: string;
  /** Connected seconds, integer ≥ 0. */
  durationSeconds: number;
  category: CallCategory;
  direction: CallDirection;
  protocol: string;
  localAlias: string;
  remoteAlias: string;
  tenant: string;
}

/** Column order of the confbill-csv format (docs/billing-rules.md, "Files and commands"). */
export const CONFBILL_CSV_COLUMNS = [
  'source', 'externalId', 'conferenceId', 'startedAt', 'durationSeconds', 'category', 'direction',
  'protocol', 'localAlias', 'remoteAlias', 'tenant',
] as const satisfies readonly (keyof SyntheticCall)[];

// ---------------------------------------------------------------------------------------------------
// Seeded randomness.
// ---------------------------------------------------------------------------------------------------

/** mulberry32: a small deterministic PRNG returning floats in [0, 1). */
export function createRandom(seed: number): () => number {
  let state = (Number.isFinite(seed) ? Math.trunc(seed) : 0) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;

function randInt(rng: Rng, minInclusive: number, maxInclusive: number): number {
  return minInclusive + Math.floor(rng() * (maxInclusive - minInclusive + 1));
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

/** Cumulative weights → index, by binary search. */
function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum;
  });
  return out;
}

function pickCumulative(rng: Rng, cum: Float64Array): number {
  const total = cum[cum.length - 1] ?? 0;
  const x = rng() * total;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cum[mid] as number) > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function standardNormal(rng: Rng): number {
  const u1 = 1 - rng(); // (0, 1]
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

// ---------------------------------------------------------------------------------------------------
// Month helpers.
// ---------------------------------------------------------------------------------------------------

interface MonthInfo {
  year: number;
  month: number;
  /** `YYYY-MM`. */
  label: string;
  daysInMonth: number;
  /** UTC epoch ms of the first instant of the month (UTC bounds). */
  startMs: number;
  /** UTC epoch ms of the first instant of the next month. */
  endMs: number;
}

function parseMonth(month: string): MonthInfo {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const year = Number(m?.[1]);
  const mon = Number(m?.[2]);
  if (!m || mon < 1 || mon > 12) {
    throw new Error(`Invalid month "${month}": expected YYYY-MM, e.g. 2026-10.`);
  }
  const startMs = Date.UTC(year, mon - 1, 1);
  const endMs = Date.UTC(year, mon, 1);
  return { year, month: mon, label: month, daysInMonth: Math.round((endMs - startMs) / 86_400_000), startMs, endMs };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function dateOf(info: MonthInfo, day: number): string {
  return `${info.label}-${pad(day, 2)}`;
}

/** ISO 8601 UTC with `Z` and whole seconds. */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19) + 'Z';
}

// ---------------------------------------------------------------------------------------------------
// syntheticConfig
// ---------------------------------------------------------------------------------------------------

export const SYNTHETIC_TIMEZONES = ['UTC', 'Europe/Oslo', 'Europe/London', 'America/New_York', 'Asia/Tokyo'] as const;

const NAME_PREFIXES = [
  'Nordic', 'Atlas', 'Blue', 'Granite', 'Harbor', 'Summit', 'Polar', 'Aurora', 'Cedar', 'Fjord',
  'Orion', 'Vertex', 'Lumen', 'Meridian', 'Pioneer', 'Silver', 'Kite', 'Tidewater',
];
const NAME_NOUNS = [
  'Logistics', 'Health', 'Energy', 'Law', 'Media', 'Capital', 'Robotics', 'Foods', 'Shipping',
  'Consulting', 'Telecom', 'Pharma', 'Education', 'Retail', 'Engineering', 'Insurance',
];
const NAME_SUFFIX_BY_TZ: Record<string, readonly string[]> = {
  UTC: ['Group', 'Holdings', 'International'],
  'Europe/Oslo': ['AS', 'ASA'],
  'Europe/London': ['Ltd', 'plc'],
  'America/New_York': ['Inc', 'LLC', 'Corp'],
  'Asia/Tokyo': ['KK', 'Co., Ltd.'],
};

/** Ids of the plans that syntheticConfig creates. */
export const SYNTHETIC_PLAN_IDS = {
  concurrentCalls: 'eur-concurrent-10',
  payAsYouGo: 'eur-payg',
  includedMinutes: 'eur-included-3000',
  jpyPayAsYouGo: 'jpy-payg',
} as const;

const NUMBER_RANGE_BASE = 4_720_000_000; // 10 digits; customer i owns [base + i·10000, base + i·10000 + 9999]
const NUMBER_RANGE_SIZE = 10_000;
const MAX_SYNTHETIC_CUSTOMERS = 500_000; // keeps every range at 10 digits

function syntheticPlans(): PlanConfig[] {
  return [
    {
      id: SYNTHETIC_PLAN_IDS.concurrentCalls,
      copyOf: 'concurrent-calls',
      name: 'Concurrent calls, 10 ports',
      currency: 'EUR',
      monthlyFee: '490.00',
      portPool: { ports: 10, overagePerPortMinute: '0.10' },
      includedMinutes: null,
      callRates: [],
      services: { 'pexip-vmr': '0', 'cms-space': '0' },
      customElements: [{ name: 'Premium support', unitPrice: '49.00', quantity: 1, recurrence: 'monthly' }],
    },
    {
      id: SYNTHETIC_PLAN_IDS.payAsYouGo,
      copyOf: 'pay-as-you-go',
      name: 'Pay as you go (EUR)',
      currency: 'EUR',
      monthlyFee: '0',
      portPool: null,
      includedMinutes: null,
      callRates: [
        { category: 'video', direction: 'outbound', startupCharge: '0.50', perMinute: '0.035' },
        { category: 'video', direction: 'inbound', startupCharge: '0', perMinute: '0.025' },
        { category: 'audio', direction: 'outbound', startupCharge: '0.10', perMinute: '0.045' },
        { category: 'audio', direction: 'inbound', startupCharge: '0', perMinute: '0.015' },
        { category: 'webrtc', direction: '*', startupCharge: '0', perMinute: '0.02' },
        { category: 'teams', direction: '*', startupCharge: '0.25', perMinute: '0.03' },
        { category: 'gateway', direction: '*', startupCharge: '0.20', perMinute: '0.05' },
        { category: 'streaming', direction: '*', startupCharge: '1.00', perMinute: '0.08' },
        { category: '*', direction: '*', startupCharge: '0', perMinute: '0.02' },
      ],
      services: { 'pexip-vmr': '6.20', 'cms-space': '4.00' },
      customElements: [],
    },
    {
      id: SYNTHETIC_PLAN_IDS.includedMinutes,
      copyOf: 'included-minutes',
      name: 'Included minutes, 3000 per month',
      currency: 'EUR',
      monthlyFee: '150.00',
      portPool: null,
      includedMinutes: { minutesPerMonth: 3000, overagePerMinute: '0.05' },
      callRates: [],
      services: { 'pexip-vmr': '3.10', 'cms-space': '2.00' },
      customElements: [{ name: 'Onboarding', unitPrice: '250.00', quantity: 1, recurrence: 'once' }],
    },
    {
      id: SYNTHETIC_PLAN_IDS.jpyPayAsYouGo,
      copyOf: 'pay-as-you-go',
      name: 'Pay as you go (JPY)',
      currency: 'JPY',
      monthlyFee: '0',
      portPool: null,
      includedMinutes: null,
      callRates: [
        { category: 'video', direction: 'outbound', startupCharge: '50', perMinute: '5' },
        { category: 'video', direction: 'inbound', startupCharge: '0', perMinute: '4' },
        { category: 'audio', direction: '*', startupCharge: '10', perMinute: '6' },
        { category: '*', direction: '*', startupCharge: '0', perMinute: '3' },
      ],
      services: { 'pexip-vmr': '900', 'cms-space': '600' },
      customElements: [],
    },
  ];
}

/**
 * A synthetic provider configuration in exactly the shape of the `confbill apply` file: four plans (one
 * per built-in template in EUR, plus a JPY pay-as-you-go plan for every 10th customer), `customers`
 * customers with domain, number-range, entity (and every 7th a tenant) rules, and one assignment each.
 */
export function syntheticConfig(options: { customers: number; seed: number; month: string }): ProviderConfig {
  const { customers: count, seed } = options;
  if (!Number.isInteger(count) || count < 0 || count > MAX_SYNTHETIC_CUSTOMERS) {
    throw new Error(`Invalid customers ${count}: expected an integer from 0 to ${MAX_SYNTHETIC_CUSTOMERS}.`);
  }
  const info = parseMonth(options.month);
  const rng = createRandom(seed);
  const monthMs = info.endMs - info.startMs;

  const customers: CustomerConfig[] = [];
  const assignments: AssignmentConfig[] = [];
  const eurPlans = [SYNTHETIC_PLAN_IDS.concurrentCalls, SYNTHETIC_PLAN_IDS.payAsYouGo, SYNTHETIC_PLAN_IDS.includedMinutes];

  for (let i = 1; i <= count; i++) {
    const num = pad(i, 4);
    const id = `cust-${num}`;
    const jpy = i % 10 === 0;
    const timezone = jpy ? 'Asia/Tokyo' : pick(rng, SYNTHETIC_TIMEZONES);
    const suffixes = NAME_SUFFIX_BY_TZ[timezone] ?? ['Group'];
    const name = `${pick(rng, NAME_PREFIXES)} ${pick(rng, NAME_NOUNS)} ${pick(rng, suffixes)}`;

    const rangeFrom = NUMBER_RANGE_BASE + i * NUMBER_RANGE_SIZE;
    const matching: MatchingRuleConfig[] = [
      { kind: 'domain', value: `c${num}.example` },
      { kind: 'number-range', from: String(rangeFrom), to: String(rangeFrom + NUMBER_RANGE_SIZE - 1) },
    ];
    if (i % 7 === 0) {
      const hex = Math.floor(rng() * 0x1_0000_0000).toString(16).padStart(8, '0');
      matching.push({ kind: 'tenant', value: `${hex}-tenant-${num}` });
    }

    const entityCount = randInt(rng, 1, 3);
    const entities: EntityConfig[] = [];
    for (let k = 1; k <= entityCount; k++) {
      let createdMs: number;
      let deletedMs: number | null = null;
      if (k === 1 || rng() < 0.7) {
        // Provisioned before the month: 1 to 700 days earlier, during office hours-ish.
        createdMs = info.startMs - randInt(rng, 1, 700) * 86_400_000 + randInt(rng, 7 * 3600, 17 * 3600) * 1000;
      } else {
        // Provisioned during the first two thirds of the month.
        createdMs = info.startMs + Math.floor(rng() * monthMs * (2 / 3));
      }
      if (k > 1 && rng() < 0.2) {
        const lo = Math.max(createdMs, info.startMs) + 86_400_000;
        if (lo < info.endMs - 3_600_000) deletedMs = lo + Math.floor(rng() * (info.endMs - 3_600_000 - lo));
      }
      entities.push({
        id: `vmr-${num}-${k}`,
        serviceType: rng() < 0.6 ? 'pexip-vmr' : 'cms-space',
        alias: `vmr-${num}-${k}@vc.provider.example`,
        createdAt: isoSeconds(createdMs),
        deletedAt: deletedMs === null ? null : isoSeconds(deletedMs),
      });
    }

    const fromDay = rng() < 0.08 ? randInt(rng, 8, 20) : 1;
    // Billing details derived from the id, not drawn: the random stream (and so the calls) stays as it was.
    const customer: CustomerConfig = {
      id,
      name,
      timezone,
      matching,
      entities,
      billingAddress: `Accounts payable\n${i} Conference Street\n${timezone.split('/').pop()!.replace(/_/g, ' ')}`,
      email: `billing@c${num}.example`,
      customerReference: `PO-${num}`,
    };
    if (i % 5 === 0) {
      customer.customElements = [{
        id: `setup-${num}`,
        name: 'Onboarding workshop',
        date: dateOf(info, fromDay),
        unitPrice: jpy ? '30000' : '250.00',
        quantity: 1,
      }];
    }
    customers.push(customer);
    assignments.push({
      customer: id,
      plan: jpy ? SYNTHETIC_PLAN_IDS.jpyPayAsYouGo : pick(rng, eurPlans),
      from: dateOf(info, fromDay),
      to: null,
    });
  }

  return {
    settings: {
      timezone: 'UTC',
      settlementDelayMinutes: 60,
      limitAvailableServicesToBillableServices: false,
      provider: {
        name: 'Example Video Services Ltd',
        address: '1 Bridge Road\n0150 Oslo\nNorway',
        email: 'billing@vc.provider.example',
        taxId: 'NO 999 999 999 MVA',
        paymentDetails: 'IBAN NO93 8601 1117 947, BIC DNBANOKK\nPayment within 30 days.',
      },
    },
    customers,
    plans: syntheticPlans(),
    assignments,
  };
}

// ---------------------------------------------------------------------------------------------------
// syntheticCalls
// ---------------------------------------------------------------------------------------------------

interface EntityWindow {
  alias: string;
  createdMs: number;
  deletedMs: number; // Infinity when not deleted
}

interface CustomerProfile {
  entities: EntityWindow[];
  domains: string[];
  ranges: { from: number; size: number; digits: number }[];
  tenant: string;
  /** Local midnight (epoch ms) of each day of the month, index 1..daysInMonth. */
  dayStarts: Float64Array;
}

const CATEGORY_TABLE: readonly CallCategory[] = ['video', 'audio', 'webrtc', 'teams', 'skype', 'gateway', 'streaming', 'recording'];
const CATEGORY_CUM = cumulative([55, 18, 12, 5, 2, 5, 1.5, 1.5]);

// Local hour of day at which conferences start (business hours, peaks mid-morning and early afternoon).
const HOUR_CUM = cumulative([
  0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 1, 3, 8, 12, 12, 10, 6, 10, 11, 10, 8, 4, 2, 1.5, 1, 0.8, 0.5, 0.3,
]);
// Legs per conference: 2..8.
const SIZE_CUM = cumulative([30, 20, 15, 12, 10, 7, 6]);

const FIRST_NAMES = ['alice', 'bob', 'carla', 'dmitri', 'eva', 'farid', 'grace', 'hiro', 'ines', 'jonas', 'kari', 'liam', 'mei', 'noor', 'olav', 'priya', 'quinn', 'rosa', 'sven', 'tomoko', 'ulla', 'victor', 'wen', 'yusuf'];
const LAST_NAMES = ['andersen', 'brown', 'costa', 'dubois', 'eriksen', 'fischer', 'garcia', 'hansen', 'ito', 'johansson', 'kowalski', 'larsen', 'moreau', 'nakamura', 'olsen', 'patel', 'rossi', 'smith', 'tanaka', 'weber'];
const EXTERNAL_DOMAINS = ['partnerco.com', 'globex.example.com', 'initech.example.net', 'umbrella.example.org', 'contoso.com', 'fabrikam.com', 'meet.other-provider.net', 'video.university.edu'];
const TEAMS_DOMAINS = ['teams.contoso.com', 'lync.fabrikam.com', 'sfb.globex.example.com'];
// E.164 prefixes and the number of random digits after them; every number has 11 or 12 digits so that it
// never falls into the 10-digit number ranges of the synthetic customers.
const E164_PLANS: readonly [string, number][] = [['+4420', 8], ['+1212', 7], ['+4930', 8], ['+813', 8], ['+468', 8], ['+3314', 7]];

function externalPerson(rng: Rng): string {
  return `${pick(rng, FIRST_NAMES)}.${pick(rng, LAST_NAMES)}`;
}

function e164(rng: Rng): string {
  const [prefix, digits] = pick(rng, E164_PLANS);
  return prefix + pad(Math.floor(rng() * 10 ** digits), digits);
}

function remoteAliasFor(rng: Rng, category: CallCategory, protocol: string): string {
  switch (category) {
    case 'audio':
    case 'gateway':
      return protocol === 'H323' ? `h323:${externalPerson(rng)}@${pick(rng, EXTERNAL_DOMAINS)}` : e164(rng);
    case 'teams':
    case 'skype':
      return `sip:${externalPerson(rng)}@${pick(rng, TEAMS_DOMAINS)}${rng() < 0.3 ? ';transport=tls' : ''}`;
    case 'streaming':
      return `sip:stream-${pad(randInt(rng, 0, 9999), 4)}@live.streaming-partner.net`;
    case 'recording':
      return `sip:recorder-${randInt(rng, 1, 8)}@rec.recording-partner.net`;
    default:
      if (protocol === 'H323') return `h323:${externalPerson(rng)}@${pick(rng, EXTERNAL_DOMAINS)}`;
      return `${rng() < 0.5 ? 'sip:' : ''}${externalPerson(rng)}@${pick(rng, EXTERNAL_DOMAINS)}`;
  }
}

function protocolFor(rng: Rng, category: CallCategory): string {
  switch (category) {
    case 'video': return rng() < 0.8 ? 'SIP' : 'H323';
    case 'audio': return 'SIP';
    case 'webrtc': return 'WebRTC';
    case 'teams': return 'TEAMS';
    case 'skype': return 'MSSIP';
    case 'gateway': return rng() < 0.7 ? 'SIP' : 'H323';
    case 'streaming':
    case 'recording': return 'RTMP';
    default: return 'SIP';
  }
}

function parseInstantMs(value: string | null | undefined, fallback: number): number {
  if (!value) return fallback;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? fallback : ms;
}

function localDayStarts(info: MonthInfo, timeZone: string, cache: Map<string, Float64Array>): Float64Array {
  const cached = cache.get(timeZone);
  if (cached) return cached;
  const noon = Temporal.PlainTime.from('12:00');
  const starts = new Float64Array(info.daysInMonth + 1);
  for (let d = 1; d <= info.daysInMonth; d++) {
    // Local midnight, taken as local noon − 12 h (so a DST change in the small hours shifts only the
    // night hours, never business hours).
    const zdt = Temporal.PlainDate.from({ year: info.year, month: info.month, day: d }).toZonedDateTime({ timeZone, plainTime: noon });
    starts[d] = zdt.epochMilliseconds - 43_200_000;
  }
  cache.set(timeZone, starts);
  return starts;
}

function buildProfiles(config: ProviderConfig, info: MonthInfo): CustomerProfile[] {
  const defaultTz = config.settings?.timezone ?? 'UTC';
  const cache = new Map<string, Float64Array>();
  return (config.customers ?? []).map((c) => {
    const domains: string[] = [];
    const ranges: CustomerProfile['ranges'] = [];
    let tenant = '';
    for (const rule of c.matching ?? []) {
      if (rule.kind === 'domain') domains.push(rule.value);
      else if (rule.kind === 'tenant' && tenant === '') tenant = rule.value;
      else if (rule.kind === 'number-range') {
        const from = Number(rule.from);
        const to = Number(rule.to);
        if (rule.from.length === rule.to.length && rule.from.length <= 15 && to >= from) {
          ranges.push({ from, size: to - from + 1, digits: rule.from.length });
        }
      }
    }
    const entities = (c.entities ?? []).filter((e) => e.alias).map((e) => ({
      alias: e.alias!,
      createdMs: parseInstantMs(e.createdAt, -Infinity),
      deletedMs: parseInstantMs(e.deletedAt, Infinity),
    }));
    return { entities, domains, ranges, tenant, dayStarts: localDayStarts(info, c.timezone ?? defaultTz, cache) };
  });
}

/**
 * Streams `legs` synthetic participant legs for `month`, spread over the customers of `config` with a
 * Zipf-like skew, in conferences of 2–8 legs. About `unmatchedShare` (default 0.01) of the legs match
 * no customer. Deterministic for a given seed; O(1) memory per yielded call.
 */
export function* syntheticCalls(options: {
  config: ProviderConfig;
  legs: number;
  seed: number;
  month: string;
  source?: string;
  unmatchedShare?: number;
}): Generator<SyntheticCall> {
  const { config, legs } = options;
  const source = options.source ?? 'synthetic-1';
  const unmatchedShare = options.unmatchedShare ?? 0.01;
  if (!Number.isInteger(legs) || legs < 0) throw new Error(`Invalid legs ${legs}: expected an integer ≥ 0.`);
  if (!(unmatchedShare >= 0 && unmatchedShare <= 1)) {
    throw new Error(`Invalid unmatchedShare ${unmatchedShare}: expected a number from 0 to 1.`);
  }
  const info = parseMonth(options.month);
  const rng = createRandom((options.seed ^ 0x5bd1e995) >>> 0);
  const profiles = buildProfiles(config, info);

  // Zipf-like popularity over a seeded permutation of the customers.
  const order = profiles.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const customerCum = cumulative(order.map((_, rank) => 1 / (rank + 1) ** 0.9));

  // Local days: weekdays far busier than weekends (day-of-week of a local date is zone-independent).
  const dayWeights = [0];
  for (let d = 1; d <= info.daysInMonth; d++) {
    const dow = Temporal.PlainDate.from({ year: info.year, month: info.month, day: d }).dayOfWeek;
    dayWeights.push(dow === 6 ? 0.15 : dow === 7 ? 0.1 : 1);
  }
  const dayCum = cumulative(dayWeights);
  const utcDayStarts = new Float64Array(info.daysInMonth + 1);
  for (let d = 1; d <= info.daysInMonth; d++) utcDayStarts[d] = info.startMs + (d - 1) * 86_400_000;

  const latestConferenceStart = info.endMs - 10 * 60_000;
  const offsets = new Int32Array(8);
  let n = 0;
  let conference = 0;

  while (n < legs) {
    conference++;
    const unmatched = profiles.length === 0 || rng() < unmatchedShare;
    const profile = unmatched ? undefined : profiles[order[pickCumulative(rng, customerCum)] as number];
    const dayStarts = profile ? profile.dayStarts : utcDayStarts;

    // Conference start: a business-hour time on a (mostly week-) day, local to the customer.
    let startMs = NaN;
    for (let attempt = 0; attempt < 20; attempt++) {
      const day = pickCumulative(rng, dayCum);
      const hour = pickCumulative(rng, HOUR_CUM);
      const minute = rng() < 0.45 ? (rng() < 0.5 ? 0 : 30) + randInt(rng, -2, 3) : randInt(rng, 0, 59);
      const t = (dayStarts[day] as number) + ((hour * 60 + minute) * 60 + randInt(rng, 0, 59)) * 1000;
      if (t >= info.startMs && t <= latestConferenceStart) {
        startMs = t;
        break;
      }
    }
    if (Number.isNaN(startMs)) startMs = info.startMs + Math.floor((rng() * (latestConferenceStart - info.startMs)) / 1000) * 1000;

    // Local alias of the conference: mostly a provisioned entity, else an address in the customer's
    // domain or a number in its range; a dial-in number for audio legs where the customer has a range.
    let localAlias: string;
    let dialIn = '';
    if (profile) {
      let active: string | undefined;
      const r = rng();
      if (r < 0.75 && profile.entities.length > 0) {
        const first = Math.floor(rng() * profile.entities.length);
        for (let k = 0; k < profile.entities.length && active === undefined; k++) {
          const e = profile.entities[(first + k) % profile.entities.length] as EntityWindow;
          if (e.createdMs <= startMs && e.deletedMs > startMs + 5 * 60_000) active = e.alias;
        }
      }
      const range = profile.ranges.length > 0 ? pick(rng, profile.ranges) : undefined;
      const number = range ? pad(range.from + Math.floor(rng() * range.size), range.digits) : '';
      if (range) dialIn = `+${number}`;
      if (active !== undefined) localAlias = active;
      else if (profile.domains.length > 0 && (r < 0.88 || !range)) localAlias = `meet-${randInt(rng, 1, 400)}@${pick(rng, profile.domains)}`;
      else if (range) localAlias = `${number}@vc.provider.example`;
      else localAlias = profile.entities[0]?.alias ?? `room-${conference}@vc.provider.example`;
    } else {
      localAlias = `vmr-${randInt(rng, 1000, 9999)}@unknown-${randInt(rng, 1, 50)}.example.net`;
    }
    const tenant = profile ? profile.tenant : '';

    // Conference length: log-normal, median ~30 min (legs ~25 min), at most 3 h.
    let confSeconds = 0;
    do confSeconds = Math.round(1800 * Math.exp(0.8 * standardNormal(rng)));
    while (confSeconds > 10_800);
    confSeconds = Math.max(confSeconds, 30);

    // Legs join within a minute or two of each other.
    const size = Math.min(2 + pickCumulative(rng, SIZE_CUM), legs - n);
    offsets[0] = 0;
    for (let k = 1; k < size; k++) offsets[k] = randInt(rng, 0, rng() < 0.8 ? 60 : 150);
    offsets.subarray(0, size).sort();

    const conferenceId = `${source}-conf-${conference}`;
    for (let k = 0; k < size; k++) {
      const legStart = startMs + (offsets[k] as number) * 1000;
      const category = CATEGORY_TABLE[pickCumulative(rng, CATEGORY_CUM)] as CallCategory;
      const protocol = protocolFor(rng, category);
      const direction: CallDirection =
        category === 'streaming' || category === 'recording' ? 'outbound' : rng() < 0.72 ? 'inbound' : 'outbound';

      let duration: number;
      if (rng() < 0.02) duration = 0; // never connected
      else {
        const remaining = confSeconds - (offsets[k] as number);
        duration = rng() < 0.8
          ? remaining + randInt(rng, -60, 30) // stays to the end
          : Math.round(remaining * (0.1 + 0.8 * rng())); // leaves early
        duration = Math.min(Math.max(duration, 1), 10_800, Math.floor((info.endMs - legStart) / 1000));
      }

      const leg =
        (category === 'audio' || category === 'gateway') && direction === 'inbound' && dialIn !== '' && rng() < 0.7
          ? dialIn
          : localAlias;
      n++;
      yield {
        source,
        externalId: `${source}-${n}`,
        conferenceId,
        startedAt: isoSeconds(legStart),
        durationSeconds: duration,
        category,
        direction,
        protocol,
        localAlias: leg,
        remoteAlias: remoteAliasFor(rng, category, protocol),
        tenant,
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------------

/** The confbill-csv header row (without line terminator). */
export const CONFBILL_CSV_HEADER = CONFBILL_CSV_COLUMNS.join(',');

/** RFC 4180: a field with a comma, quote, CR or LF is quoted, and its quotes doubled. */
function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The confbill-csv file of `calls`, line by line: the header, then one record per call. Each yielded
 * line ends with "\n", so the lines can be written to a stream (or joined with '') as they come.
 * (csv-stringify is not a dependency of this project, so quoting is done here, per RFC 4180.)
 */
export function* callsToCsvLines(calls: Iterable<SyntheticCall>): Generator<string> {
  yield CONFBILL_CSV_HEADER + '\n';
  for (const c of calls) {
    yield CONFBILL_CSV_COLUMNS.map((col) => csvField(c[col])).join(',') + '\n';
  }
}
