import type { CallDirection } from '../../domain/call.ts';

/** The host part of a SIP URI (`sip:alice@acme.example;user=phone` → `acme.example`). */
export function sfbDomainOf(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const at = uri.lastIndexOf('@');
  if (at < 0) return undefined;
  return uri.slice(at + 1).split(/[;:>]/)[0]!.toLowerCase() || undefined;
}

/**
 * docs/billing-rules.md §1: `internal` when both ends belong to the same customer's domains, else `external`. Without
 * the customers' domains (a reader used outside the CLI), equal domains stand for the same customer.
 */
export function sfbDirection(domain1: string | undefined, domain2: string | undefined, customerOfDomain: ((domain: string) => string | undefined) | undefined): CallDirection {
  if (!domain1 || !domain2) return 'external';
  if (customerOfDomain) {
    const customer1 = customerOfDomain(domain1);
    return customer1 !== undefined && customer1 === customerOfDomain(domain2) ? 'internal' : 'external';
  }
  return domain1 === domain2 ? 'internal' : 'external';
}
