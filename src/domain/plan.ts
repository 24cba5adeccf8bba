import type { CallCategory, CallDirection } from './call.ts';
import { ownValue } from './ownValue.ts';

/** Money values in plans are decimal strings: they are exact and they survive JSON and YAML unchanged. */
export type DecimalString = string;

export interface CallRate {
  category: CallCategory | '*';
  direction: CallDirection | '*';
  startupCharge: DecimalString;
  perMinute: DecimalString;
}

export interface PortPool {
  ports: number;
  overagePerPortMinute: DecimalString;
}

export interface IncludedMinutes {
  minutesPerMonth: number;
  overagePerMinute: DecimalString;
}

export interface PlanCustomElement {
  name: string;
  unitPrice: DecimalString;
  quantity: DecimalString;
  recurrence: 'monthly' | 'once';
}

/** The one plan schema of docs/billing-rules.md §3: every component optional, components add up. */
export interface PlanDefinition {
  name: string;
  currency: string;
  monthlyFee: DecimalString;
  portPool: PortPool | null;
  includedMinutes: IncludedMinutes | null;
  callRates: CallRate[];
  /** serviceType → monthly price per unit; < 0 not available, 0 free, > 0 billed. */
  services: Record<string, DecimalString>;
  customElements: PlanCustomElement[];
}

/**
 * Sane ranges of plan values (README, "Describe the provider"): beyond them a value is a typo or an
 * attack, never a tariff, and would only crash or distort rating later. Amounts have at most
 * `amountIntegerDigits` digits before the point and `amountFractionDigits` after.
 */
export const planLimits = {
  maxPorts: 100_000,
  maxIncludedMinutesPerMonth: 1_000_000_000,
  amountIntegerDigits: 12,
  amountFractionDigits: 10,
  /** The one negative service price: "not available" (docs/billing-rules.md §10). */
  notAvailablePrice: '-1',
} as const;

/** The plan fields a `copyOf` can override. */
export type PlanOverrides = Partial<PlanDefinition>;

export const builtInPlanIds = ['concurrent-calls', 'pay-as-you-go', 'included-minutes'] as const;
export type BuiltInPlanId = (typeof builtInPlanIds)[number];

/** The three built-in templates of docs/billing-rules.md §3, each filling the schema differently. */
export const builtInPlanTemplates: Record<BuiltInPlanId, PlanDefinition> = {
  'concurrent-calls': {
    name: 'Concurrent Calls',
    currency: 'EUR',
    monthlyFee: '500.00',
    portPool: { ports: 20, overagePerPortMinute: '0.10' },
    includedMinutes: null,
    callRates: [],
    services: {},
    customElements: [],
  },
  'pay-as-you-go': {
    name: 'Pay as you go',
    currency: 'EUR',
    monthlyFee: '0',
    portPool: null,
    includedMinutes: null,
    callRates: [{ category: '*', direction: '*', startupCharge: '0', perMinute: '0.02' }],
    services: {},
    customElements: [],
  },
  'included-minutes': {
    name: 'Included minutes',
    currency: 'EUR',
    monthlyFee: '100.00',
    portPool: null,
    includedMinutes: { minutesPerMonth: 3000, overagePerMinute: '0.05' },
    callRates: [],
    services: {},
    customElements: [],
  },
};

export function isBuiltInPlanId(id: string): id is BuiltInPlanId {
  return (builtInPlanIds as readonly string[]).includes(id);
}

/** docs/billing-rules.md §3: a plan made with `copyOf` takes every field from the plan it copies, except those it gives. */
export function copyPlan(base: PlanDefinition, overrides: PlanOverrides): PlanDefinition {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return structuredClone({ ...base, ...defined });
}

/** docs/billing-rules.md §3 rate specificity: exact, category + `*`, `*` + direction, `*`/`*`; undefined = no rate. */
export function applicableCallRate(rates: readonly CallRate[], category: CallCategory, direction: CallDirection): CallRate | undefined {
  return (
    rates.find((r) => r.category === category && r.direction === direction) ??
    rates.find((r) => r.category === category && r.direction === '*') ??
    rates.find((r) => r.category === '*' && r.direction === direction) ??
    rates.find((r) => r.category === '*' && r.direction === '*')
  );
}

/** docs/billing-rules.md §10: a service type is available when its price is listed and ≥ 0. */
export function isServiceAvailable(plan: PlanDefinition, serviceType: string): boolean {
  const price = ownValue(plan.services, serviceType);
  return price !== undefined && !price.startsWith('-');
}
