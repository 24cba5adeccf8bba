import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProviderConfig } from '../../src/services/providerConfig.ts';

describe('docs/examples/provider.yaml', () => {
  it('is a valid configuration file with every section the README describes', () => {
    const text = readFileSync(new URL('../../docs/examples/provider.yaml', import.meta.url), 'utf8');
    const config = parseProviderConfig(text, 'docs/examples/provider.yaml');
    expect(Object.keys(config).sort()).toEqual(['assignments', 'customers', 'mappings', 'plans', 'settings', 'sources']);
    expect(config.settings?.provider).toMatchObject({ name: 'Nordic Video AS', taxId: 'NO 912 345 678 MVA' });
    expect(config.customers?.[0]).toMatchObject({ billingAddress: 'Accounts payable\nKarl Johans gate 5\n0154 Oslo', customerReference: 'PO-4711' });
    expect(config.sources?.map((s) => [s.id, s.format, s.defaultCustomer ?? null])).toEqual([['cms-oslo-1', 'cms-xml', null], ['vcs-hq', 'expressway-json', 'acme']]);
    expect(config.customers?.[0]?.matching).toHaveLength(6);
  });
});
