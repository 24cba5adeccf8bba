import type { MatchingRule } from '../../api/schemas';

export const ruleKinds = [
  { value: 'alias', label: 'Alias (exact address)', placeholder: 'room-1@vc.provider.example' },
  { value: 'domain', label: 'Domain (any address of it)', placeholder: 'acme.example' },
  { value: 'regex', label: 'Regular expression', placeholder: '^sales-.*@vc\\.provider\\.example$' },
  { value: 'tenant', label: 'Tenant', placeholder: 'acme-tenant' },
  { value: 'source', label: 'Source (every call of it)', placeholder: 'mcu-1' },
  { value: 'number-range', label: 'Number range', placeholder: '' },
] as const;

export type RuleKind = (typeof ruleKinds)[number]['value'];

/** What a rule matches, in words: "domain c0001.example", "numbers 4700100–4700199". */
export function ruleText(rule: MatchingRule): string {
  return 'from' in rule ? `numbers ${rule.from}–${rule.to}` : `${rule.kind} ${rule.value}`;
}

/** The rule as the configuration file (and PUT matching-rules) writes it: no id, no empty validity. */
export function ruleConfig(rule: MatchingRule) {
  const validity = { ...(rule.validFrom ? { validFrom: rule.validFrom } : {}), ...(rule.validTo ? { validTo: rule.validTo } : {}) };
  return 'from' in rule ? { kind: 'number-range' as const, from: rule.from, to: rule.to, ...validity } : { kind: rule.kind, value: rule.value, ...validity };
}
