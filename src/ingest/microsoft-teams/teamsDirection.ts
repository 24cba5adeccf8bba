import type { CallDirection } from '../../domain/call.ts';
import type { TeamsIdentity } from './teamsIdentity.ts';

/**
 * docs/billing-rules.md §1: `internal` when both ends are the same customer's, else `external`. Two users' domains
 * decide through the customers' domain rules (without them: equal domains); an end without a user
 * principal name (a phone, an anonymous guest, a conferencing server standing for the organizer) is
 * compared by tenant.
 */
export function teamsDirection(a: TeamsIdentity | undefined, b: TeamsIdentity | undefined, customerOfDomain: ((domain: string) => string | undefined) | undefined): CallDirection {
  if (a?.domain && b?.domain) {
    if (!customerOfDomain) return a.domain === b.domain ? 'internal' : 'external';
    const customer = customerOfDomain(a.domain);
    return customer !== undefined && customer === customerOfDomain(b.domain) ? 'internal' : 'external';
  }
  return a?.tenantId && a.tenantId === b?.tenantId ? 'internal' : 'external';
}
