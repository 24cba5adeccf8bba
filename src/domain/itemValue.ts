import type { BillingItem } from './billingItem.ts';
import { daysInMonth, monthOf } from './calendar.ts';
import { amountOf, multiply, prorate, type Amount } from './money.ts';
import type { PlanDefinition } from './plan.ts';

/** What one open item is worth on its own and how a report describes it (docs/billing-rules.md §9 non-invoiced items). */
export function itemValue(item: BillingItem, plan: PlanDefinition): { description: string; amount: Amount } {
  switch (item.kind) {
    case 'call':
      return { description: `${item.category} ${item.direction} call ${item.externalId}, ${item.billedMinutes} min${item.rateFound ? '' : ' (no-rate)'}`, amount: amountOf(item.amount) };
    case 'plan-day':
      return { description: `${plan.name}: monthly fee, 1 day`, amount: prorate(amountOf(plan.monthlyFee), 1, daysInMonth(monthOf(item.date))) };
    case 'service-day':
      return { description: `${item.serviceType} ${item.entityId}, 1 day`, amount: prorate(amountOf(item.monthlyPrice), 1, daysInMonth(monthOf(item.date))) };
    case 'custom-element':
      return { description: item.name, amount: multiply(amountOf(item.unitPrice), amountOf(item.quantity)) };
  }
}
