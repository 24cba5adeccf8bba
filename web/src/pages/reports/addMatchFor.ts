import { api, dataOf } from '../../api/apiClient';
import type { MatchingRule } from '../../api/schemas';

/** A rule as PUT /customers/{id}/matching-rules takes it: as read, without the id the server gives it. */
function ruleAsConfig(rule: MatchingRule) {
  if (rule.kind === 'number-range') return { kind: rule.kind, from: rule.from, to: rule.to, validFrom: rule.validFrom, validTo: rule.validTo };
  return { kind: rule.kind, value: rule.value, validFrom: rule.validFrom, validTo: rule.validTo };
}

/**
 * Appends an alias or domain rule to a customer's matching rules. The API replaces the whole list, so
 * the list is read first and written back with the new rule last (the customer's order is kept).
 */
export async function addMatchingRule(customerId: string, rule: { kind: 'alias' | 'domain'; value: string }) {
  const current = await dataOf(api.GET('/api/v1/customers/{id}/matching-rules', { params: { path: { id: customerId } } }));
  const rules = [...current.items.map(ruleAsConfig), { kind: rule.kind, value: rule.value, validFrom: null, validTo: null }];
  return dataOf(api.PUT('/api/v1/customers/{id}/matching-rules', { params: { path: { id: customerId } }, body: { rules } }));
}

export async function addEntity(customerId: string, entity: { id: string; serviceType: string; alias: string; createdAt: string }) {
  return dataOf(api.POST('/api/v1/customers/{id}/entities', { params: { path: { id: customerId } }, body: entity }));
}

/** The domain of an alias such as vmr-1@video.example.com or sip:a@b.example (what a domain rule matches). */
export function domainOf(alias: string): string | undefined {
  const at = alias.lastIndexOf('@');
  if (at < 0) return undefined;
  const domain = alias.slice(at + 1).replace(/[;:>].*$/, '');
  return /^[a-z0-9.-]+$/i.test(domain) ? domain.toLowerCase() : undefined;
}

/** A proposed entity id from the alias's user part: a lower-case slug. */
export function entityIdFor(alias: string): string {
  const user = alias.replace(/^[a-z]+:/i, '').split('@')[0] ?? alias;
  return (
    user
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
      .slice(0, 64) || 'entity'
  );
}
