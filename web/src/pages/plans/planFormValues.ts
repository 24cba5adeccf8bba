import type { PlanDefinition } from '../../api/schemas';

/**
 * The edit form's model of a plan definition and its checks, mirroring docs/billing-rules.md §3 (values
 * have bounds: prices ≥ 0 with at most 12 digits before the point and 10 after; a custom element's unit
 * price may be negative; ports 0–100000; minutes 0–1000000000). The server checks again; these checks
 * only say what is wrong while the operator types.
 */

/** How a service is offered: the meaning of the price the API stores ("-1", "0", above 0). */
export type ServiceOffer = 'priced' | 'free' | 'not-available';

export interface ServiceRow {
  type: string;
  offer: ServiceOffer;
  price: string;
}

export interface PlanFormValues {
  name: string;
  currency: string;
  monthlyFee: string;
  portPoolOn: boolean;
  portPool: { ports: string; overagePerPortMinute: string };
  includedMinutesOn: boolean;
  includedMinutes: { minutesPerMonth: string; overagePerMinute: string };
  callRates: { category: string; direction: string; startupCharge: string; perMinute: string }[];
  services: ServiceRow[];
  customElements: { name: string; unitPrice: string; quantity: string; recurrence: 'monthly' | 'once' }[];
}

export const callCategoryOptions = ['*', 'video', 'audio', 'webrtc', 'skype', 'teams', 'gateway', 'streaming', 'recording', 'non-routed'];
export const callDirectionOptions = ['*', 'inbound', 'outbound', 'internal', 'external'];

export function offerOf(price: string): ServiceOffer {
  const n = Number(price);
  if (n < 0) return 'not-available';
  if (n === 0) return 'free';
  return 'priced';
}

export function formValuesOf(d: PlanDefinition): PlanFormValues {
  return {
    name: d.name,
    currency: d.currency,
    monthlyFee: d.monthlyFee,
    portPoolOn: d.portPool !== null,
    portPool: { ports: String(d.portPool?.ports ?? 0), overagePerPortMinute: d.portPool?.overagePerPortMinute ?? '0' },
    includedMinutesOn: d.includedMinutes !== null,
    includedMinutes: { minutesPerMonth: String(d.includedMinutes?.minutesPerMonth ?? 0), overagePerMinute: d.includedMinutes?.overagePerMinute ?? '0' },
    callRates: d.callRates.map((r) => ({ ...r })),
    services: Object.entries(d.services).map(([type, price]) => ({ type, offer: offerOf(price), price: offerOf(price) === 'priced' ? price : '' })),
    customElements: d.customElements.map((e) => ({ ...e, quantity: String(e.quantity) })),
  };
}

const decimal = /^-?\d+(\.\d+)?$/;

/** What is wrong with a money value, or undefined when it is fine. */
export function moneyError(value: string, { negative = false, positive = false } = {}): string | undefined {
  const v = value.trim();
  if (v === '') return 'Enter an amount, e.g. 0.035';
  if (!decimal.test(v)) return 'Not a decimal number: write digits with a point, e.g. 12.50';
  if (!negative && v.startsWith('-')) return 'Must not be negative';
  const [whole, fraction = ''] = v.replace('-', '').split('.');
  if (whole!.replace(/^0+(?=\d)/, '').length > 12) return 'At most 12 digits before the point';
  if (fraction.length > 10) return 'At most 10 digits after the point';
  if (positive && Number(v) <= 0) return 'A price must be above 0 (choose "Free" for 0)';
  return undefined;
}

export function countError(value: string, max: number): string | undefined {
  const v = value.trim();
  if (!/^\d+$/.test(v)) return 'A whole number (0, 1, 2…)';
  if (Number(v) > max) return `At most ${max}`;
  return undefined;
}

const serviceType = /^[a-z0-9][a-z0-9._-]*$/;

/** Field path → message, for every value the form holds (paths as the API names them). */
export function formErrors(v: PlanFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  const put = (path: string, message: string | undefined) => {
    if (message) errors[path] = message;
  };
  if (v.name.trim() === '') errors.name = 'Give the plan a name';
  if (!/^[A-Z]{3}$/.test(v.currency)) errors.currency = 'Three capital letters (ISO 4217), e.g. EUR';
  put('monthlyFee', moneyError(v.monthlyFee));
  if (v.portPoolOn) {
    put('portPool.ports', countError(v.portPool.ports, 100000));
    put('portPool.overagePerPortMinute', moneyError(v.portPool.overagePerPortMinute));
  }
  if (v.includedMinutesOn) {
    put('includedMinutes.minutesPerMonth', countError(v.includedMinutes.minutesPerMonth, 1_000_000_000));
    put('includedMinutes.overagePerMinute', moneyError(v.includedMinutes.overagePerMinute));
  }
  const seenRates = new Set<string>();
  v.callRates.forEach((r, i) => {
    put(`callRates.${i}.startupCharge`, moneyError(r.startupCharge));
    put(`callRates.${i}.perMinute`, moneyError(r.perMinute));
    const key = `${r.category}/${r.direction}`;
    if (seenRates.has(key)) errors[`callRates.${i}.direction`] = `A second rate for ${r.category} × ${r.direction}: only the first would count`;
    seenRates.add(key);
  });
  const seenServices = new Set<string>();
  v.services.forEach((s, i) => {
    if (!serviceType.test(s.type)) errors[`services.${i}.type`] = 'Lower-case letters, digits, "-", "." or "_", e.g. pexip-vmr';
    else if (seenServices.has(s.type)) errors[`services.${i}.type`] = 'This service is listed twice';
    seenServices.add(s.type);
    if (s.offer === 'priced') put(`services.${i}.price`, moneyError(s.price, { positive: true }));
  });
  v.customElements.forEach((e, i) => {
    if (e.name.trim() === '') errors[`customElements.${i}.name`] = 'Give the element a name';
    put(`customElements.${i}.unitPrice`, moneyError(e.unitPrice, { negative: true }));
    put(`customElements.${i}.quantity`, moneyError(e.quantity));
  });
  return errors;
}

export function definitionOf(v: PlanFormValues): PlanDefinition {
  return {
    name: v.name.trim(),
    currency: v.currency,
    monthlyFee: v.monthlyFee.trim(),
    portPool: v.portPoolOn ? { ports: Number(v.portPool.ports), overagePerPortMinute: v.portPool.overagePerPortMinute.trim() } : null,
    includedMinutes: v.includedMinutesOn ? { minutesPerMonth: Number(v.includedMinutes.minutesPerMonth), overagePerMinute: v.includedMinutes.overagePerMinute.trim() } : null,
    callRates: v.callRates.map((r) => ({ category: r.category, direction: r.direction, startupCharge: r.startupCharge.trim(), perMinute: r.perMinute.trim() })),
    services: Object.fromEntries(v.services.map((s) => [s.type, s.offer === 'priced' ? s.price.trim() : s.offer === 'free' ? '0' : '-1'])),
    customElements: v.customElements.map((e) => ({ name: e.name.trim(), unitPrice: e.unitPrice.trim(), quantity: e.quantity.trim(), recurrence: e.recurrence })),
  };
}

export interface PlanChange {
  field: string;
  value: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Changes of an object component: one per field when it stays, the whole component when it comes or goes. */
function objectChanges(field: string, before: Record<string, unknown> | null, after: Record<string, unknown> | null): PlanChange[] {
  if (before === null || after === null) return same(before, after) ? [] : [{ field, value: after }];
  return Object.keys(after)
    .filter((k) => !same(before[k], after[k]))
    .map((k) => ({ field: `${field}.${k}`, value: after[k] }));
}

/** Changes of a list: per row and field while the rows stay the same in number, else the whole list. */
function listChanges(field: string, before: Record<string, unknown>[], after: Record<string, unknown>[]): PlanChange[] {
  if (before.length !== after.length) return [{ field, value: after }];
  return after.flatMap((row, i) => objectChanges(`${field}.${i}`, before[i]!, row));
}

/**
 * The `plan set` edits from one definition to another, as small as they can be so the history says
 * which value changed (callRates.0.perMinute from 0.035 to 0.028, not the whole table).
 */
export function planChanges(before: PlanDefinition, after: PlanDefinition): PlanChange[] {
  const changes: PlanChange[] = [];
  for (const field of ['name', 'currency', 'monthlyFee'] as const) if (before[field] !== after[field]) changes.push({ field, value: after[field] });
  changes.push(...objectChanges('portPool', before.portPool, after.portPool));
  changes.push(...objectChanges('includedMinutes', before.includedMinutes, after.includedMinutes));
  changes.push(...listChanges('callRates', before.callRates, after.callRates));
  for (const type of Object.keys(before.services)) if (!(type in after.services)) changes.push({ field: `services.${type}`, value: null });
  for (const [type, price] of Object.entries(after.services)) if (before.services[type] !== price) changes.push({ field: `services.${type}`, value: price });
  changes.push(...listChanges('customElements', before.customElements, after.customElements));
  return changes;
}
