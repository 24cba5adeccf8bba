import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../src/domain/assignment.ts';
import type { BillingItem } from '../../src/domain/billingItem.ts';
import { billedMinutes, type CallCategory, type CallDirection } from '../../src/domain/call.ts';
import { localDateOf, startOfLocalDate } from '../../src/domain/calendar.ts';
import { computeInvoice, type InvoiceComputation } from '../../src/domain/computeInvoice.ts';
import { formatInCurrency, minorUnitsOf } from '../../src/domain/currency.ts';
import { amountOf, compareAmounts, decimalPlacesOf, sumAmounts } from '../../src/domain/money.ts';
import { builtInPlanTemplates, copyPlan, type PlanDefinition } from '../../src/domain/plan.ts';
import { rateCustomer, type RatableCall } from '../../src/domain/rateCustomer.ts';
import { lineArithmeticProblems } from '../support/lineArithmetic.ts';

// Invoices computed by the pure core (rateCustomer + computeInvoice, as in specExamples.test.ts) for
// random calls under a plan with every usage component: call rates, an included-minutes pool and a
// port pool (docs/billing-rules.md §5-§7).

const FROM = '2026-10-01';
const TO = '2026-11-01';

interface Prices {
  monthlyFee: string;
  videoOut: [string, string];
  audioAny: [string, string];
  anyInbound: [string, string];
  webrtcInternal: [string, string];
  poolOverage: string;
  portOverage: string;
}

const pricesByCurrency: Record<'EUR' | 'JPY' | 'KWD', Prices> = {
  EUR: { monthlyFee: '100.00', videoOut: ['0.50', '0.035'], audioAny: ['0', '0.0125'], anyInbound: ['0.10', '0.015'], webrtcInternal: ['0.001', '0.000333'], poolOverage: '0.05', portOverage: '0.10' },
  JPY: { monthlyFee: '15000', videoOut: ['55', '4.5'], audioAny: ['0', '1.25'], anyInbound: ['10', '2.5'], webrtcInternal: ['0.5', '0.333333'], poolOverage: '7.5', portOverage: '15' },
  KWD: { monthlyFee: '30.000', videoOut: ['0.150', '0.0105'], audioAny: ['0', '0.00375'], anyInbound: ['0.030', '0.0045'], webrtcInternal: ['0.0003', '0.000111'], poolOverage: '0.015', portOverage: '0.030' },
};

const POOL_MINUTES = 120;
const PORTS = 2;

/** Included-minutes template, copied, with call rates and a port pool added. */
function planFor(currency: keyof typeof pricesByCurrency): PlanDefinition {
  const p = pricesByCurrency[currency];
  return copyPlan(builtInPlanTemplates['included-minutes'], {
    name: `Mixed ${currency}`,
    currency,
    monthlyFee: p.monthlyFee,
    includedMinutes: { minutesPerMonth: POOL_MINUTES, overagePerMinute: p.poolOverage },
    portPool: { ports: PORTS, overagePerPortMinute: p.portOverage },
    // No `*`/`*` rate: gateway calls and e.g. video/internal find no rate (they cost 0, still use the pool).
    callRates: [
      { category: 'video', direction: 'outbound', startupCharge: p.videoOut[0], perMinute: p.videoOut[1] },
      { category: 'audio', direction: '*', startupCharge: p.audioAny[0], perMinute: p.audioAny[1] },
      { category: '*', direction: 'inbound', startupCharge: p.anyInbound[0], perMinute: p.anyInbound[1] },
      { category: 'webrtc', direction: 'internal', startupCharge: p.webrtcInternal[0], perMinute: p.webrtcInternal[1] },
    ],
  });
}

interface Scenario {
  definition: PlanDefinition;
  timeZone: string;
  assignments?: Assignment[];
  from?: string;
  to?: string;
}

function ratedItems(s: Scenario, calls: readonly RatableCall[]): BillingItem[] {
  const to = s.to ?? TO;
  const assignments = s.assignments ?? [{ id: 'a1', customerId: 'c', planId: 'p', from: FROM }];
  const rated = rateCustomer({
    customerId: 'c', timeZone: s.timeZone, assignments, plans: new Map([['p', { planId: 'p', version: 1, definition: s.definition }]]),
    calls, entities: [], customElements: [], through: to,
  });
  // The invoice takes the items dated before the end of its range (docs/billing-rules.md §8).
  return rated.items.filter((i) => i.date < to);
}

function invoiceOf(s: Scenario, items: readonly BillingItem[]): InvoiceComputation {
  return computeInvoice({ currency: s.definition.currency, timeZone: s.timeZone, from: s.from ?? FROM, to: s.to ?? TO, items, priorItems: [], priorCharges: [], planVersion: () => s.definition });
}

const invoiceFor = (s: Scenario, calls: readonly RatableCall[]): InvoiceComputation => invoiceOf(s, ratedItems(s, calls));

// ---- random calls -------------------------------------------------------------------------------

const categories: CallCategory[] = ['video', 'audio', 'webrtc', 'gateway'];
const directions: CallDirection[] = ['inbound', 'outbound', 'internal'];
const monthEdgeStart = Date.parse('2026-09-30T20:00:00Z');
const monthEdgeEnd = Date.parse('2026-11-01T02:00:00Z');
const busyHour = Date.parse('2026-10-05T10:00:00Z');

interface CallSpec {
  startedAt: number;
  durationSeconds: number;
  category: CallCategory;
  direction: CallDirection;
}

const callSpecArb: fc.Arbitrary<CallSpec> = fc.record({
  // Whole seconds: anywhere around October (month edges included), or crowded into one busy hour.
  startedAt: fc.oneof(
    fc.integer({ min: 0, max: (monthEdgeEnd - monthEdgeStart) / 1000 }).map((s) => monthEdgeStart + s * 1000),
    fc.integer({ min: 0, max: 3600 }).map((s) => busyHour + s * 1000),
    fc.integer({ min: 0, max: 3600 }).map((s) => busyHour + s * 1000),
  ),
  durationSeconds: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 5400 })),
  category: fc.constantFrom(...categories),
  direction: fc.constantFrom(...directions),
});

const toCalls = (specs: readonly CallSpec[], prefix = 'x'): RatableCall[] =>
  specs.map((s, i) => ({ callId: `${prefix}${i}`, externalId: `${prefix}-${String(i).padStart(3, '0')}`, ...s }));

const callsArb = fc.array(callSpecArb, { maxLength: 30 }).map((specs) => toCalls(specs));
const currencyArb = fc.constantFrom<keyof typeof pricesByCurrency>('EUR', 'JPY', 'KWD');
const timeZoneArb = fc.constantFrom('UTC', 'Europe/Oslo', 'Asia/Tokyo');

// ---- an independent reference: BigInt micro-units, brute-force ports ------------------------------

const MICRO = 1_000_000n;
const micro = (decimal: string): bigint => {
  const [whole, fraction = ''] = decimal.split('.');
  return BigInt(whole!) * MICRO + BigInt(fraction.padEnd(6, '0').slice(0, 6));
};
/** Rounds non-negative micro-units half up to `digits` decimals and formats them. */
function roundMicro(value: bigint, digits: number): string {
  const divisor = 10n ** BigInt(6 - digits);
  const q = value / divisor + ((value % divisor) * 2n >= divisor ? 1n : 0n);
  const text = q.toString().padStart(digits + 1, '0');
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

function rateOf(p: Prices, category: CallCategory, direction: CallDirection): [string, string] | undefined {
  if (category === 'video' && direction === 'outbound') return p.videoOut;
  if (category === 'webrtc' && direction === 'internal') return p.webrtcInternal;
  if (category === 'audio') return p.audioAny;
  if (direction === 'inbound') return p.anyInbound;
  return undefined;
}

type LineSummary = [kind: string, description: string, quantity: string, amount: string];

/** What the invoice of a whole October must hold, computed without the core's rating or invoicing. */
function referenceInvoice(currency: keyof typeof pricesByCurrency, timeZone: string, calls: readonly RatableCall[]): { lines: LineSummary[]; total: string } {
  const p = pricesByCurrency[currency];
  const digits = minorUnitsOf(currency);
  const billable = calls.filter((c) => c.durationSeconds > 0 && localDateOf(c.startedAt, timeZone).startsWith('2026-10'));
  const lines: LineSummary[] = [['monthly-fee', '', '31', roundMicro(micro(p.monthlyFee), digits)]];
  const groups = new Map<string, { minutes: number; amount: bigint }>();
  for (const c of billable) {
    const rate = rateOf(p, c.category, c.direction);
    if (!rate) continue;
    const key = `${c.category} ${c.direction}`;
    const g = groups.get(key) ?? { minutes: 0, amount: 0n };
    const minutes = Math.ceil(c.durationSeconds / 60);
    g.minutes += minutes;
    g.amount += micro(rate[0]) + micro(rate[1]) * BigInt(minutes);
    groups.set(key, g);
  }
  for (const [key, g] of groups) lines.push(['call-charges', key, String(g.minutes), roundMicro(g.amount, digits)]);
  const used = billable.reduce((m, c) => m + Math.ceil(c.durationSeconds / 60), 0);
  if (used > POOL_MINUTES) lines.push(['included-minutes-overage', '', String(used - POOL_MINUTES), roundMicro(micro(p.poolOverage) * BigInt(used - POOL_MINUTES), digits)]);
  // Ports: every slot of October (local) that a billable October call touches, brute force.
  const monthStart = startOfLocalDate(FROM, timeZone);
  const monthEnd = startOfLocalDate(TO, timeZone);
  const occupied = billable.map((c) => ({ start: c.startedAt, end: c.startedAt + Math.ceil(c.durationSeconds / 60) * 60_000 }));
  const slots = new Set<number>();
  for (const o of occupied) for (let t = Math.floor(o.start / 60_000) * 60_000; t < o.end; t += 60_000) if (t >= monthStart && t + 60_000 <= monthEnd) slots.add(t);
  let portMinutes = 0;
  for (const slot of slots) {
    const instants = [slot, ...occupied.flatMap((o) => [o.start, o.end]).filter((x) => x > slot && x < slot + 60_000)];
    const peak = Math.max(...instants.map((x) => occupied.filter((o) => o.start <= x && x < o.end).length));
    portMinutes += Math.max(0, peak - PORTS);
  }
  if (portMinutes > 0) lines.push(['port-overage', '', String(portMinutes), roundMicro(micro(p.portOverage) * BigInt(portMinutes), digits)]);
  const total = roundMicro(lines.reduce((s, l) => s + micro(l[3]), 0n), digits);
  return { lines: lines.sort(compareSummaries), total };
}

const compareSummaries = (a: LineSummary, b: LineSummary): number => (a.join('|') < b.join('|') ? -1 : a.join('|') > b.join('|') ? 1 : 0);
const summarize = (invoice: InvoiceComputation): LineSummary[] =>
  invoice.lines.map((l): LineSummary => [l.kind, l.kind === 'call-charges' ? l.description : '', l.quantity, l.amount]).sort(compareSummaries);

// ---- properties -----------------------------------------------------------------------------------

describe('invoice properties (random calls, plan with call rates, included minutes and a port pool)', () => {
  it('lines and total equal an independent reference computation', () => {
    fc.assert(
      fc.property(currencyArb, timeZoneArb, callsArb, (currency, timeZone, calls) => {
        const invoice = invoiceFor({ definition: planFor(currency), timeZone }, calls);
        const expected = referenceInvoice(currency, timeZone, calls);
        expect(summarize(invoice)).toEqual(expected.lines);
        expect(invoice.total).toBe(expected.total);
      }),
      { numRuns: 120 },
    );
  });

  it('the order of the calls (and of the items) does not change the invoice', () => {
    const arb = fc.tuple(currencyArb, timeZoneArb, callsArb).chain(([currency, timeZone, calls]) =>
      fc.tuple(fc.constant(currency), fc.constant(timeZone), fc.constant(calls), fc.shuffledSubarray(calls, { minLength: calls.length, maxLength: calls.length }), fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true }))),
    );
    fc.assert(
      fc.property(arb, ([currency, timeZone, calls, shuffled, randoms]) => {
        const s: Scenario = { definition: planFor(currency), timeZone };
        const invoice = invoiceFor(s, calls);
        expect(invoiceFor(s, shuffled)).toEqual(invoice);
        expect(invoiceFor(s, [...calls].reverse())).toEqual(invoice);
        // The items in a shuffled order too (storage returns them in any order).
        const items = ratedItems(s, calls);
        const it = randoms[Symbol.iterator]();
        const shuffledItems = items.map((item) => ({ item, key: it.next().value as number })).sort((a, b) => a.key - b.key).map(({ item }) => item);
        expect(invoiceOf(s, shuffledItems)).toEqual(invoice);
      }),
      { numRuns: 80 },
    );
  });

  it('the sum of the line amounts is the total, and every amount has exactly the minor-unit digits', () => {
    fc.assert(
      fc.property(currencyArb, timeZoneArb, callsArb, (currency, timeZone, calls) => {
        const invoice = invoiceFor({ definition: planFor(currency), timeZone }, calls);
        const digits = minorUnitsOf(currency);
        const sum = sumAmounts(invoice.lines.map((l) => amountOf(l.amount)));
        expect(compareAmounts(sum, amountOf(invoice.total))).toBe(0);
        expect(formatInCurrency(sum, currency)).toBe(invoice.total);
        for (const text of [...invoice.lines.map((l) => l.amount), invoice.total]) {
          expect(text).toMatch(digits === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${digits}}$`));
          expect(decimalPlacesOf(text)).toBe(digits);
        }
        expect(invoice.lines.length).toBeGreaterThanOrEqual(1); // the monthly fee at least
      }),
      { numRuns: 120 },
    );
  });

  it('quantity × unit price gives the amount on every line (issue 9 §7)', () => {
    fc.assert(
      fc.property(currencyArb, timeZoneArb, callsArb, fc.integer({ min: 1, max: 28 }), (currency, timeZone, calls, firstDay) => {
        // From a day of the month on: the monthly fee is prorated by days.
        const from = `2026-10-${String(firstDay).padStart(2, '0')}`;
        const invoice = invoiceFor({ definition: planFor(currency), timeZone, assignments: [{ id: 'a1', customerId: 'c', planId: 'p', from }] }, calls);
        expect(lineArithmeticProblems({ currency, lines: invoice.lines })).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });

  it('JPY: amounts have no decimals even where the exact charges do', () => {
    fc.assert(
      fc.property(callsArb, (calls) => {
        const invoice = invoiceFor({ definition: planFor('JPY'), timeZone: 'Asia/Tokyo' }, calls);
        for (const line of invoice.lines) expect(line.amount).toMatch(/^\d+$/);
        expect(invoice.total).toMatch(/^\d+$/);
        expect(invoice.lines.find((l) => l.kind === 'monthly-fee')?.amount).toBe('15000');
      }),
      { numRuns: 60 },
    );
    // Audio 3 min at 1.25 = 3.75 → 4; video outbound 55 + 3 × 4.5 = 68.5 → 69 (half up).
    const at = Date.parse('2026-10-05T01:00:00Z');
    const calls = toCalls([
      { startedAt: at, durationSeconds: 150, category: 'audio', direction: 'outbound' },
      { startedAt: at + 3_600_000, durationSeconds: 121, category: 'video', direction: 'outbound' },
    ]);
    const invoice = invoiceFor({ definition: planFor('JPY'), timeZone: 'Asia/Tokyo' }, calls);
    expect(invoice.lines.map((l) => [l.kind, l.description, l.quantity, l.amount])).toEqual([
      ['monthly-fee', 'Mixed JPY: monthly fee', '31', '15000'],
      ['call-charges', 'audio outbound', '3', '4'],
      ['call-charges', 'video outbound', '3', '69'],
    ]);
    expect(invoice.total).toBe('15073');
  });

  it('adding a call never lowers the total (non-negative prices)', () => {
    fc.assert(
      fc.property(currencyArb, timeZoneArb, callsArb, callSpecArb, (currency, timeZone, calls, extra) => {
        const s: Scenario = { definition: planFor(currency), timeZone };
        const before = invoiceFor(s, calls);
        const after = invoiceFor(s, [...calls, ...toCalls([extra], 'extra')]);
        expect(compareAmounts(amountOf(after.total), amountOf(before.total))).toBeGreaterThanOrEqual(0);
        // Line by line, too: no line of the invoice gets smaller.
        for (const line of before.lines) {
          const same = after.lines.find((l) => l.kind === line.kind && l.description.split(':')[0] === line.description.split(':')[0] && l.period === line.period);
          expect(same, `${line.kind} ${line.description}`).toBeDefined();
          expect(compareAmounts(amountOf(same!.amount), amountOf(line.amount))).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 120 },
    );
  });
});

describe('invoice: a DST day in Europe/Oslo (docs/billing-rules.md §4: a 25-hour day still counts as one day)', () => {
  const definition = copyPlan(builtInPlanTemplates['concurrent-calls'], {
    monthlyFee: '31.00',
    portPool: { ports: 0, overagePerPortMinute: '0.01' },
    includedMinutes: { minutesPerMonth: 3100, overagePerMinute: '0.01' },
  });
  const oslo = (from: string, to: string): Scenario => ({ definition, timeZone: 'Europe/Oslo', assignments: [{ id: 'a1', customerId: 'c', planId: 'p', from, to }] });

  it('a monthly fee of 31.00 for October 2026 prorates to 1.00 for the 25-hour 2026-10-25', () => {
    const invoice = invoiceFor(oslo('2026-10-25', '2026-10-26'), []);
    expect(invoice.lines).toEqual([expect.objectContaining({ kind: 'monthly-fee', quantity: '1', amount: '1.00', period: '2026-10' })]);
    expect(invoice.total).toBe('1.00');
    expect(invoiceFor(oslo('2026-10-24', '2026-10-27'), []).lines[0]).toMatchObject({ quantity: '3', amount: '3.00' });
    expect(invoiceFor(oslo('2026-10-01', '2026-11-01'), []).lines[0]).toMatchObject({ quantity: '31', amount: '31.00' });
    // March 2026 has a 23-hour day (2026-03-29) and is still 31 days: 1.00 a day.
    const march = { ...oslo('2026-03-29', '2026-03-30'), from: '2026-03-01', to: '2026-04-01' };
    expect(invoiceFor(march, []).lines[0]).toMatchObject({ quantity: '1', amount: '1.00', period: '2026-03' });
  });

  it('the 25-hour day holds 1500 port-minute slots, and its calls are dated by local time', () => {
    const dayStart = Date.parse('2026-10-24T22:00:00Z'); // 2026-10-25 00:00 CEST
    const dayEnd = Date.parse('2026-10-25T23:00:00Z'); // 2026-10-26 00:00 CET
    expect(dayEnd - dayStart).toBe(25 * 3_600_000);
    const calls = toCalls([
      // Occupies one port through the whole 25-hour day (and 0 ports are included).
      { startedAt: dayStart, durationSeconds: 25 * 3600, category: 'video', direction: 'inbound' },
      // 23:59:59 on the 24th and 00:00 on the 26th, local: outside the assignment, not rated.
      { startedAt: dayStart - 1000, durationSeconds: 60, category: 'video', direction: 'inbound' },
      { startedAt: dayEnd, durationSeconds: 60, category: 'video', direction: 'inbound' },
    ]);
    const s = oslo('2026-10-25', '2026-10-26');
    const items = ratedItems(s, calls);
    expect(items.filter((i) => i.kind === 'call').map((i) => [i.date, (i as { billedMinutes: number }).billedMinutes])).toEqual([['2026-10-25', 1500]]);
    expect(billedMinutes(25 * 3600)).toBe(1500);
    const invoice = invoiceFor(s, calls);
    // Pool: round(3100 × 1/31) = 100 minutes; 1500 used → 1400 × 0.01. Ports: 1500 slots × 1 × 0.01.
    expect(invoice.lines.map((l) => [l.kind, l.quantity, l.amount])).toEqual([
      ['monthly-fee', '1', '1.00'],
      ['included-minutes-overage', '1400', '14.00'],
      ['port-overage', '1500', '15.00'],
    ]);
    expect(invoice.total).toBe('30.00');
  });
});

describe('invoice: port pool across a month boundary (docs/billing-rules.md §6.3)', () => {
  it('a call of the previous month, already invoiced, still occupies a port in the new month', () => {
    const definition = copyPlan(builtInPlanTemplates['concurrent-calls'], { monthlyFee: '0', portPool: { ports: 2, overagePerPortMinute: '0.10' } });
    const s: Scenario = { definition, timeZone: 'UTC', assignments: [{ id: 'a1', customerId: 'c', planId: 'p', from: '2026-09-01' }] };
    const september = toCalls([{ startedAt: Date.parse('2026-09-30T23:50:00Z'), durationSeconds: 30 * 60, category: 'video', direction: 'inbound' }], 'sep');
    const october = toCalls(
      [0, 1, 2].map(() => ({ startedAt: Date.parse('2026-10-01T00:00:00Z'), durationSeconds: 10 * 60, category: 'video' as const, direction: 'inbound' as const })),
      'oct',
    );
    const septemberItems = ratedItems({ ...s, from: '2026-09-01', to: '2026-10-01' }, september);
    const octoberItems = ratedItems(s, [...september, ...october]).filter((i) => i.date >= FROM);
    // Slots 00:00-00:09 of October: 3 October calls + the September call = 4 ports, 2 over the pool.
    const invoice = computeInvoice({ currency: 'EUR', timeZone: 'UTC', from: FROM, to: TO, items: octoberItems, priorItems: septemberItems, priorCharges: [], planVersion: () => definition });
    expect(invoice.lines).toEqual([expect.objectContaining({ kind: 'port-overage', quantity: '20', amount: '2.00', period: '2026-10' })]);
    // Without the September call the peak is 3: 1 over the pool for 10 slots.
    const alone = computeInvoice({ currency: 'EUR', timeZone: 'UTC', from: FROM, to: TO, items: octoberItems, priorItems: [], priorCharges: [], planVersion: () => definition });
    expect(alone.lines).toEqual([expect.objectContaining({ kind: 'port-overage', quantity: '10', amount: '1.00' })]);
  });
});
