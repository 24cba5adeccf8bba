import { describe, expect, it } from 'vitest';
import { validateProviderConfig } from '../../src/services/providerConfig.ts';
import { configProblems } from '../support/configProblems.ts';

// Issue 9 §14: the billing details of customers and the provider block, bounded like every text of
// the file, refused with the key's path and the rule.

type Config = Record<string, unknown>;

const customer = (fields: Record<string, unknown>): Config => ({ customers: [{ id: 'c', name: 'C', ...fields }] });
const provider = (fields: Record<string, unknown>): Config => ({ settings: { provider: { name: 'Nordic Video AS', address: 'Storgata 1\n0155 Oslo', ...fields } } });

const problemsOf = (config: Config): string[] => configProblems(config);

describe('billing details in the configuration', () => {
  it('takes every detail of a customer and of the provider, trimmed', () => {
    const config = validateProviderConfig({
      ...customer({ billingAddress: 'Accounts payable\nKarl Johans gate 5\n0154 Oslo', email: 'ap@acme.example', taxId: ' NO 987 654 321 MVA ', customerReference: 'PO-4711' }),
      ...provider({ taxId: 'NO 912 345 678 MVA', email: 'billing@nordicvideo.example', paymentDetails: 'DNB\nIBAN NO93 8601 1117 947', logo: 'logo.png' }),
    });
    expect(config.customers![0]).toMatchObject({ billingAddress: 'Accounts payable\nKarl Johans gate 5\n0154 Oslo', email: 'ap@acme.example', taxId: 'NO 987 654 321 MVA', customerReference: 'PO-4711' });
    expect(config.settings!.provider).toEqual({ name: 'Nordic Video AS', address: 'Storgata 1\n0155 Oslo', taxId: 'NO 912 345 678 MVA', email: 'billing@nordicvideo.example', paymentDetails: 'DNB\nIBAN NO93 8601 1117 947', logo: 'logo.png' });
    expect(problemsOf(customer({ billingAddress: null, email: null, taxId: null, customerReference: null }))).toEqual([]);
    expect(problemsOf(customer({ billingAddress: `${'x'.repeat(60)}\n`.repeat(8).trim() }))).toEqual([]);
  });

  it.each<[string, Config, string]>([
    ['an address of nine lines', customer({ billingAddress: 'l\n'.repeat(9).trim() }), 'customers[0].billingAddress: must be at most 8 lines'],
    ['an address of 501 characters', customer({ billingAddress: 'x'.repeat(501) }), 'customers[0].billingAddress: must be at most 500 characters'],
    ['an empty address', customer({ billingAddress: '  ' }), 'customers[0].billingAddress: must not be empty'],
    ['a tax id of two lines', customer({ taxId: 'NO 1\nNO 2' }), 'customers[0].taxId: must be one line'],
    ['a tax id of 65 characters', customer({ taxId: '9'.repeat(65) }), 'customers[0].taxId: must be at most 64 characters'],
    ['a reference of 101 characters', customer({ customerReference: 'P'.repeat(101) }), 'customers[0].customerReference: must be at most 100 characters'],
    ['an e-mail that is none', customer({ email: 'accounts payable' }), 'customers[0].email: must be an e-mail address such as billing@example.com'],
    ['an escape sequence in an address', customer({ billingAddress: 'Storgata 1\u001b[2J' }), 'customers[0].billingAddress: contains the control character U+001B'],
    ['a NUL in a reference', customer({ customerReference: 'PO\u0000' }), 'customers[0].customerReference: contains a NUL byte (0x00)'],
    ['payment details of 13 lines', provider({ paymentDetails: 'l\n'.repeat(13).trim() }), 'settings.provider.paymentDetails: must be at most 12 lines'],
    ['a provider name of two lines', provider({ name: 'Nordic\nVideo' }), 'settings.provider.name: must be one line'],
    ['both taxId and its earlier name vatId', provider({ taxId: 'NO 1', vatId: 'NO 2' }), 'settings.provider.vatId: give taxId only (vatId is its earlier name)'],
    ['an empty logo path', provider({ logo: '' }), 'settings.provider.logo: must be the path of a PNG or JPEG file'],
    ['an unknown key', customer({ vat: 'NO 1' }), 'customers[0]: unknown key "vat"'],
  ])('refuses %s', (_, config, problem) => {
    expect(problemsOf(config)).toEqual([problem]);
  });
});
