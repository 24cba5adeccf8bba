import type { BillingItem, CallItem, PlanDayItem } from './billingItem.ts';
import type { CallMinutes, CallSum } from './callSum.ts';
import { groupBy } from './groupBy.ts';
import { addDays, daysInMonth, firstDayOfMonth, monthOf, startOfLocalDate, type LocalDate } from './calendar.ts';
import { formatInCurrency, roundToMinorUnit } from './currency.ts';
import { overageMinutes, proratedPoolMinutes, usedPoolMinutes } from './includedMinutesPool.ts';
import { taxLine } from './taxLine.ts';
import { invoiceLineKinds, type InvoiceLine, type OverageBasis } from './invoiceLine.ts';
import { lineUnitPrice } from './lineUnitPrice.ts';
import { amountOf, isZero, multiply, prorate, subtract, sumAmounts, zero, type Amount } from './money.ts';
import { overagePortMinutes, peakPortsPerMinute, portOccupancy, type InstantWindow } from './peakPorts.ts';
import type { PlanDefinition } from './plan.ts';

/** An overage or adjustment line that an earlier invoice (draft or approved) already holds. */
export interface PriorOverageCharge {
  planId: string;
  month: string;
  basis: OverageBasis;
  quantity: string;
  amount: string;
}

export interface InvoiceComputationInput {
  currency: string;
  timeZone: string;
  from: LocalDate;
  to: LocalDate;
  /** The items this invoice takes: all of the customer's items in this currency dated before `to` in no other invoice. */
  items: readonly BillingItem[];
  /**
   * Items of earlier invoices for the plans and months this invoice touches (plan days and calls,
   * including calls of the month before, which still occupy ports): the month-to-date basis of
   * pool and port overage.
   */
  priorItems: readonly BillingItem[];
  /**
   * Calls this invoice also takes, summed per plan, category, direction and month instead of being
   * among `items`: only calls of plans without a port pool (callsSummable), whose lines need nothing else.
   */
  callSums?: readonly CallSum[];
  /** Calls of earlier invoices summed per plan and month instead of being among `priorItems` (as `callSums`), in this invoice's currency. */
  priorCallMinutes?: readonly CallMinutes[];
  priorCharges: readonly PriorOverageCharge[];
  /** The locked plan definition of each (planId, version) that items refer to. */
  planVersion: (planId: string, version: number) => PlanDefinition;
  /** Tax rate in percent (a decimal string); none when absent or zero. */
  taxRatePercent?: string;
}

export interface InvoiceComputation {
  lines: InvoiceLine[];
  total: string;
  /**
   * The items behind each line, in line order (the preview shows them on request): a line's own
   * items, the month's items of this invoice for an overage line, none for tax (nor the calls of
   * `callSums`).
   */
  lineItems: BillingItem[][];
}

/** The newest plan version among items (the one whose pool prices settle a month). */
function newestVersion(items: readonly { planVersion: number }[]): number {
  return items.reduce((v, i) => Math.max(v, i.planVersion), 0);
}

/**
 * docs/billing-rules.md §5-§8: turns the items an invoice takes into its lines, each rounded once, half up, to the
 * currency's minor unit; the total is the sum of the rounded lines. Pool and port overage are settled
 * month to date: the month's overage over all its invoiced items minus what earlier invoices charged
 * for it, which is the `adjustment` line of spec example 8 when this invoice only holds late items.
 */
export function computeInvoice(input: InvoiceComputationInput): InvoiceComputation {
  const { currency, from, planVersion } = input;
  const lines: InvoiceLine[] = [];
  const behind = new Map<InvoiceLine, readonly BillingItem[]>();
  const money = (exact: Amount): string => formatInCurrency(roundToMinorUnit(exact, currency), currency);
  const isLate = (dates: readonly LocalDate[]): boolean => dates.every((d) => d < from);
  const items = input.items.filter((i) => i.currency === currency);

  const planDays = items.filter((i): i is PlanDayItem => i.kind === 'plan-day');
  const calls = items.filter((i): i is CallItem => i.kind === 'call');

  // monthly-fee: one line per assignment and month; monthly custom elements likewise, per element.
  for (const [, days] of groupBy(planDays, (d) => `${d.assignmentId}|${monthOf(d.date)}`)) {
    const month = monthOf(days[0]!.date);
    const dim = daysInMonth(month);
    const planId = days[0]!.planId;
    const byVersion = [...groupBy(days, (d) => String(d.planVersion)).values()];
    const fee = sumAmounts(byVersion.map((ds) => prorate(amountOf(planVersion(planId, ds[0]!.planVersion).monthlyFee), ds.length, dim)));
    const definition = planVersion(planId, newestVersion(days));
    if (!isZero(fee)) {
      // Quantity in days and the price of a day of this month: quantity × unit price gives the amount.
      const line: InvoiceLine = { kind: 'monthly-fee', description: `${definition.name}: monthly fee`, quantity: String(days.length), unit: 'day', amount: money(fee), period: month, planId, unitPrice: lineUnitPrice(fee, String(days.length), currency), late: isLate(days.map((d) => d.date)) || undefined };
      lines.push(line);
      behind.set(line, days);
    }
    definition.customElements.forEach((element) => {
      if (element.recurrence !== 'monthly') return;
      const exact = sumAmounts(
        byVersion.map((ds) => {
          const e = planVersion(planId, ds[0]!.planVersion).customElements.find((c) => c.name === element.name && c.recurrence === 'monthly');
          return e ? prorate(multiply(amountOf(e.unitPrice), amountOf(e.quantity)), ds.length, dim) : zero;
        }),
      );
      // Quantity in days, like the monthly fee: a prorated unit count would be an endless decimal.
      const line: InvoiceLine = { kind: 'custom-element', description: `${element.name} (${element.quantity} × ${element.unitPrice} a month)`, quantity: String(days.length), unit: 'day', amount: money(exact), period: month, planId, unitPrice: lineUnitPrice(exact, String(days.length), currency), late: isLate(days.map((d) => d.date)) || undefined };
      lines.push(line);
      behind.set(line, days);
    });
  }

  // service: one line per plan, service type and month; quantity = entity-days.
  const serviceDays = items.filter((i) => i.kind === 'service-day');
  for (const [, days] of groupBy(serviceDays, (d) => `${d.planId}|${d.serviceType}|${monthOf(d.date)}`)) {
    const month = monthOf(days[0]!.date);
    const exact = prorate(sumAmounts(days.map((d) => amountOf(d.monthlyPrice))), 1, daysInMonth(month));
    // The unit price is that of an entity-day of this month (an average where the monthly price changed).
    const line: InvoiceLine = { kind: 'service', description: days[0]!.serviceType, quantity: String(days.length), unit: 'entity-day', amount: money(exact), period: month, planId: days[0]!.planId, unitPrice: lineUnitPrice(exact, String(days.length), currency), late: isLate(days.map((d) => d.date)) || undefined };
    lines.push(line);
    behind.set(line, days);
  }

  // call-charges: one line per plan, category, direction and month of the call's start. Calls that no
  // rate applies to cost nothing and make no line (an included-minutes plan has no rates at all). The
  // calls come one by one or summed; either way a line's sums are exact until the line is rounded.
  const callGroups: (Omit<CallSum, 'amount' | 'pool'> & { exact: Amount; items: readonly CallItem[] })[] = [];
  for (const [, group] of groupBy(calls.filter((c) => c.rateFound), (c) => `${c.planId}|${c.category}|${c.direction}|${monthOf(c.date)}`)) {
    const first = group[0]!;
    callGroups.push({
      planId: first.planId, category: first.category, direction: first.direction, month: monthOf(first.date), calls: group.length,
      minutes: group.reduce((m, c) => m + c.billedMinutes, 0), exact: sumAmounts(group.map((c) => amountOf(c.amount))), firstDate: group.reduce((d, c) => (c.date < d ? c.date : d), first.date), lastDate: group.reduce((d, c) => (c.date > d ? c.date : d), first.date), items: group,
    });
  }
  for (const { amount, pool: _pool, ...sum } of input.callSums ?? []) if (sum.calls > 0) callGroups.push({ ...sum, exact: amountOf(amount), items: [] });
  // Lines that the final order does not tell apart (one month, category and direction under two
  // plans) stay in the order their calls began, then by plan.
  callGroups.sort((a, b) => (a.firstDate < b.firstDate ? -1 : a.firstDate > b.firstDate ? 1 : a.planId < b.planId ? -1 : a.planId > b.planId ? 1 : 0));
  for (const { exact, ...group } of callGroups) {
    // The price of a minute, start-up charges included: an average where calls were priced differently.
    const line: InvoiceLine = { kind: 'call-charges', description: `${group.category} ${group.direction}`, quantity: String(group.minutes), unit: 'minute', amount: money(exact), period: group.month, planId: group.planId, calls: group.calls, unitPrice: lineUnitPrice(exact, String(group.minutes), currency), late: group.lastDate < from || undefined };
    lines.push(line);
    behind.set(line, group.items);
  }

  for (const line of overageLines(input, items, money)) {
    lines.push(line);
    behind.set(line, items.filter((i) => (i.kind === 'call' || i.kind === 'plan-day') && i.planId === line.planId && monthOf(i.date) === line.period));
  }

  // custom-element: `once` plan elements and the customer's one-offs, one line each.
  for (const element of items) {
    if (element.kind !== 'custom-element') continue;
    const exact = multiply(amountOf(element.unitPrice), amountOf(element.quantity));
    const line: InvoiceLine = { kind: 'custom-element', description: element.name, quantity: element.quantity, unit: 'unit', amount: money(exact), period: element.date, planId: element.planId, unitPrice: element.unitPrice, late: element.date < from || undefined };
    lines.push(line);
    behind.set(line, [element]);
  }

  const kindOrder = (l: InvoiceLine): number => invoiceLineKinds.indexOf(l.kind);
  lines.sort((a, b) => (a.period.slice(0, 7) < b.period.slice(0, 7) ? -1 : a.period.slice(0, 7) > b.period.slice(0, 7) ? 1 : 0) || kindOrder(a) - kindOrder(b) || (a.description < b.description ? -1 : a.description > b.description ? 1 : 0));
  for (const line of lines) if (line.late === undefined) delete line.late;
  const tax = taxLine(lines, input.taxRatePercent, currency, input.from.slice(0, 7));
  if (tax) lines.push(tax);
  return { lines, total: sumInvoiceLines(lines, currency), lineItems: lines.map((l) => [...(behind.get(l) ?? [])].sort(byDateAndKey)) };
}

/** Items in date order, then by key: the same list whatever order storage returned them in. */
function byDateAndKey(a: BillingItem, b: BillingItem): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** The total of an invoice: the exact sum of its rounded lines. */
export function sumInvoiceLines(lines: readonly Pick<InvoiceLine, 'amount'>[], currency: string): string {
  return formatInCurrency(sumAmounts(lines.map((l) => amountOf(l.amount))), currency);
}

/** Included-minutes and port-pool overage per (plan, month), settled month to date (docs/billing-rules.md §6.2, §6.3, §8). */
function overageLines(input: InvoiceComputationInput, items: readonly BillingItem[], money: (a: Amount) => string): InvoiceLine[] {
  const { planVersion, timeZone } = input;
  const lines: InvoiceLine[] = [];
  const all = [...input.priorItems.filter((i) => i.currency === input.currency), ...items];
  const summed = [...(input.priorCallMinutes ?? []), ...(input.callSums ?? []).map((s) => s.pool)];
  const touched = new Set([...items.filter((i) => i.kind === 'call' || i.kind === 'plan-day').map((i) => `${i.planId}|${monthOf(i.date)}`), ...(input.callSums ?? []).map((s) => `${s.planId}|${s.month}`)]);
  const ownPlanDays = new Set(items.filter((i) => i.kind === 'plan-day').map((i) => `${i.planId}|${monthOf(i.date)}`));

  for (const key of [...touched].sort()) {
    const [planId, month] = key.split('|') as [string, string];
    const days = all.filter((i): i is PlanDayItem => i.kind === 'plan-day' && i.planId === planId && monthOf(i.date) === month);
    const monthCalls = all.filter((i): i is CallItem => i.kind === 'call' && i.planId === planId && monthOf(i.date) === month);
    const monthSums = summed.filter((s) => s.planId === planId && s.month === month);
    const version = days.length ? newestVersion(days) : monthSums.reduce((v, s) => Math.max(v, s.newestVersion), newestVersion(monthCalls));
    const definition = planVersion(planId, version);
    const kind = ownPlanDays.has(key) ? null : 'adjustment';
    const prior = (basis: OverageBasis): PriorOverageCharge[] => input.priorCharges.filter((c) => c.planId === planId && c.month === month && c.basis === basis);
    const settle = (basis: OverageBasis, totalQuantity: number, exactTotal: Amount, unitPrice: string, description: string): void => {
      const charged = prior(basis);
      const quantity = totalQuantity - charged.reduce((q, c) => q + Number(c.quantity), 0);
      const exact = subtract(exactTotal, sumAmounts(charged.map((c) => amountOf(c.amount))));
      const amount = money(exact);
      if (isZero(amountOf(amount)) && quantity === 0) return;
      lines.push({
        kind: kind ?? (basis === 'included-minutes' ? 'included-minutes-overage' : 'port-overage'),
        description: kind ? `${description} (adjustment for ${month})` : description,
        quantity: String(quantity),
        unit: basis === 'included-minutes' ? 'minute' : 'port-minute',
        amount,
        period: month,
        planId,
        // Net of earlier charges at another price, the plan's price would not give the amount back.
        unitPrice: lineUnitPrice(exact, String(quantity), input.currency, unitPrice),
        basis,
        late: kind ? true : undefined,
      });
    };

    const pool = definition.includedMinutes;
    if (pool) {
      const byVersion = [...groupBy(days, (d) => String(d.planVersion)).values()];
      const poolMinutes = proratedPoolMinutes(byVersion.map((ds) => ({ minutesPerMonth: planVersion(planId, ds[0]!.planVersion).includedMinutes?.minutesPerMonth ?? 0, days: ds.length })), daysInMonth(month));
      const used = usedPoolMinutes(monthCalls) + monthSums.reduce((m, s) => m + s.minutes, 0);
      const over = overageMinutes(used, poolMinutes);
      settle('included-minutes', over, multiply(amountOf(pool.overagePerMinute), over), pool.overagePerMinute, `Included minutes: ${used} used of ${poolMinutes}, overage`);
    }

    const ports = definition.portPool;
    if (ports) {
      const windows = dayWindows(days.map((d) => d.date), timeZone);
      const monthStart = firstDayOfMonth(month);
      const previousMonth = monthOf(addDays(monthStart, -1));
      const occupying = all.filter((i): i is CallItem => i.kind === 'call' && i.planId === planId && (monthOf(i.date) === month || monthOf(i.date) === previousMonth));
      const runs = peakPortsPerMinute(occupying.map(portOccupancy));
      const over = overagePortMinutes(runs, ports.ports, windows);
      settle('port-pool', over, multiply(amountOf(ports.overagePerPortMinute), over), ports.overagePerPortMinute, `Port pool of ${ports.ports}: overage port-minutes`);
    }
  }
  return lines;
}

/** Instant windows of local days, merged where consecutive. */
export function dayWindows(dates: readonly LocalDate[], timeZone: string): InstantWindow[] {
  const windows: InstantWindow[] = [];
  for (const date of [...new Set(dates)].sort()) {
    const start = startOfLocalDate(date, timeZone);
    const end = startOfLocalDate(addDays(date, 1), timeZone);
    const last = windows[windows.length - 1];
    if (last && last.end === start) last.end = end;
    else windows.push({ start, end });
  }
  return windows;
}
