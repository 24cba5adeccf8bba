import { amountOf, compareAmounts, isPositive, zero } from './money.ts';
import { ownValue } from './ownValue.ts';
import type { DecimalString, PlanDefinition } from './plan.ts';

/** The service types that docs/billing-rules.md §3 names: what a customer may be given when availability is not limited. */
export const knownServiceTypes = ['cms-space', 'cms-user', 'pexip-vmr', 'pexip-device', 'cisco-vmr', 'skype-user', 'vcs-registration', 'dma-registration', 'dma-vmr'] as const;

/** One service type a customer may be given now, with its monthly price under the plan in force. */
export interface AvailableServiceType {
  serviceType: string;
  /** The plan's monthly price per unit; null when no plan is in force or the plan does not list the type. */
  monthlyPrice: DecimalString | null;
  /** Only prices > 0 produce billing data (docs/billing-rules.md §6.4). */
  billable: boolean;
}

/** The plan in force at the instant asked about, or undefined when the customer has none. */
export interface PlanInForce {
  planId: string;
  definition: PlanDefinition;
}

/** Why a service type cannot be given: no plan in force, not listed in the plan, or listed with a price < 0. */
export type ServiceRefusal = { reason: 'no-plan' } | { reason: 'not-listed'; planId: string } | { reason: 'negative-price'; planId: string; monthlyPrice: DecimalString };

export type ServiceAvailability = { available: true; monthlyPrice: DecimalString | null; billable: boolean } | ({ available: false } & ServiceRefusal);

function isNegative(price: DecimalString): boolean {
  return compareAmounts(amountOf(price), zero) < 0;
}

/**
 * docs/billing-rules.md §10: with `limitAvailableServicesToBillableServices` on, a service type is available only when a
 * plan is in force and lists it at a monthly price ≥ 0; with the setting off, every type is.
 */
export function serviceAvailability(limited: boolean, plan: PlanInForce | undefined, serviceType: string): ServiceAvailability {
  const price = plan ? ownValue(plan.definition.services, serviceType) : undefined;
  const billable = price !== undefined && isPositive(amountOf(price));
  if (!limited) return { available: true, monthlyPrice: price ?? null, billable };
  if (!plan) return { available: false, reason: 'no-plan' };
  if (price === undefined) return { available: false, reason: 'not-listed', planId: plan.planId };
  if (isNegative(price)) return { available: false, reason: 'negative-price', planId: plan.planId, monthlyPrice: price };
  return { available: true, monthlyPrice: price, billable };
}

/**
 * docs/billing-rules.md §10: the service types a customer may be given, sorted by name. With the setting off: the known
 * types and every type the plan in force lists; with it on: only the plan's types priced ≥ 0.
 */
export function availableServiceTypes(limited: boolean, plan: PlanInForce | undefined): AvailableServiceType[] {
  const candidates = new Set<string>(plan ? Object.keys(plan.definition.services) : []);
  if (!limited) for (const type of knownServiceTypes) candidates.add(type);
  const available: AvailableServiceType[] = [];
  for (const serviceType of [...candidates].sort()) {
    const a = serviceAvailability(limited, plan, serviceType);
    if (a.available) available.push({ serviceType, monthlyPrice: a.monthlyPrice, billable: a.billable });
  }
  return available;
}
