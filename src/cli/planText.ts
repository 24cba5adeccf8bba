import { planChanges } from '../domain/planChanges.ts';
import type { PlanDefinition } from '../domain/plan.ts';
import type { PlanDetails } from '../services/planCatalog.ts';
import { countText } from './countText.ts';
import { terminalSafeText } from './terminalSafeText.ts';

/** Columns of cells, padded to the widest cell of each, two spaces apart. */
function table(rows: readonly string[][], indent: string): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `${indent}${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}`.trimEnd());
}

const servicePrice = (price: string, currency: string): string => (price.startsWith('-') ? 'not available' : /^0(\.0*)?$/.test(price) ? 'free' : `${price} ${currency} a month per unit`);

/** The components of a plan definition (docs/billing-rules.md §3), one block each; "none" for an unused one. */
export function planDefinitionLines(d: PlanDefinition, indent = '  '): string[] {
  const c = d.currency;
  const lines = [
    `${indent}Currency:          ${c}`,
    `${indent}Monthly fee:       ${d.monthlyFee} ${c}`,
    `${indent}Port pool:         ${d.portPool ? `${countText(d.portPool.ports, 'port')}, overage ${d.portPool.overagePerPortMinute} ${c} per port-minute` : 'none'}`,
    `${indent}Included minutes:  ${d.includedMinutes ? `${d.includedMinutes.minutesPerMonth} a month, overage ${d.includedMinutes.overagePerMinute} ${c} per minute` : 'none'}`,
  ];
  if (d.callRates.length === 0) lines.push(`${indent}Call rates:        none`);
  else {
    lines.push(`${indent}Call rates (${c}):`);
    lines.push(...table([['category', 'direction', 'startup charge', 'per minute'], ...d.callRates.map((r) => [r.category, r.direction, r.startupCharge, r.perMinute])], `${indent}  `));
  }
  const services = Object.entries(d.services);
  if (services.length === 0) lines.push(`${indent}Services:          none listed`);
  else {
    lines.push(`${indent}Services:`);
    lines.push(...table(services.map(([type, price]) => [terminalSafeText(type), servicePrice(price, c)]), `${indent}  `));
  }
  if (d.customElements.length === 0) lines.push(`${indent}Custom elements:   none`);
  else {
    lines.push(`${indent}Custom elements:`);
    lines.push(...table(d.customElements.map((e) => [terminalSafeText(e.name), `${e.quantity} × ${e.unitPrice} ${c}`, e.recurrence === 'monthly' ? 'a month' : 'once']), `${indent}  `));
  }
  return lines;
}

const valueText = (v: unknown): string => terminalSafeText(JSON.stringify(v ?? null));

/** `plan show` as a person reads it: what the plan is, its components, its draft, its customers. */
export function planText(plan: PlanDetails): string {
  if (plan.template) {
    return [
      `Built-in template ${plan.id} — ${terminalSafeText(plan.definition.name)}`,
      `  A template, not a plan: copy it with \`confbill plan copy ${plan.id} NEW-ID\` (or copyOf: ${plan.id} in an apply file) to use it.`,
      ...planDefinitionLines(plan.definition),
    ].join('\n');
  }
  const state = plan.locked ? 'locked' : 'unlocked: a draft is being edited, rating uses this version until `confbill plan lock`';
  const lines = [`Plan ${terminalSafeText(plan.id)} — ${terminalSafeText(plan.definition.name)}`, `  Version ${plan.version} in force, ${state}`, ...planDefinitionLines(plan.definition)];
  if (plan.draft) {
    const changes = planChanges(plan.definition, plan.draft);
    lines.push(changes.length ? `  Draft (not in force): ${changes.map((ch) => `${ch.field} ${valueText(ch.oldValue)} → ${valueText(ch.newValue)}`).join('; ')}` : '  Draft (not in force): no changes yet');
  }
  if (plan.assignments.length === 0) lines.push('  Customers assigned: none');
  else {
    lines.push(`  Customers assigned (${countText(new Set(plan.assignments.map((a) => a.customerId)).size, 'customer')}; from the first day up to the day before "to"):`);
    lines.push(...table(plan.assignments.map((a) => [terminalSafeText(a.customerId), terminalSafeText(a.customerName), `${a.from} – ${a.to ?? 'open end'}`, terminalSafeText(a.id)]), '    '));
  }
  return lines.join('\n');
}
