import { describe, expect, it } from 'vitest';
import { isBillingError } from '../../src/domain/billingError.ts';
import { applyConfig } from '../../src/services/applyConfig.ts';
import { parseProviderConfig } from '../../src/services/providerConfig.ts';
import type { Database } from '../../src/storage/database.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const good = `
settings:
  provider: { name: Nordic Video AS, address: "Storgata 1\\n0155 Oslo\\tNorway" }
customers:
  - { id: acme, name: Acme }
`;

function refusal(text: string): string {
  try {
    parseProviderConfig(text, 'hostile.yaml');
  } catch (error) {
    if (isBillingError(error) && error.code === 'invalid-config') return error.message;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe.each(databaseKinds)('control characters in the configuration on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));
  const customers = () => db.query<{ id: string; name: string }>('SELECT id, name FROM customers ORDER BY id');

  it('keeps tabs and line breaks in texts (an address has lines)', async () => {
    await applyConfig(db, parseProviderConfig(good, 'good.yaml'));
    expect(await customers()).toEqual([{ id: 'acme', name: 'Acme' }]);
    const [provider] = await db.query<{ value: { address: string } }>(`SELECT value FROM settings WHERE key = 'provider'`);
    expect(provider!.value.address).toBe('Storgata 1\n0155 Oslo\tNorway');
  });

  it('refuses a NUL or another control character in any text or key, naming its path, in one line; nothing is applied', async () => {
    const cases: [string, string][] = [
      ['customers:\n  - { id: beta, name: "Be\\0ta" }\n', 'customers[0].name: contains a NUL byte (0x00)'],
      ['customers:\n  - { id: beta, name: Be\0ta }\n', 'customers[0].name: contains a NUL byte (0x00)'],
      ['{"customers": [{"id": "beta", "name": "Beta", "matching": [{"kind": "alias", "value": "room\\u0000@beta.example"}]}]}', 'customers[0].matching[0].value: contains a NUL byte (0x00)'],
      ['plans:\n  - { id: p1, copyOf: pay-as-you-go, name: "Bell\\a" }\n', 'plans[0].name: contains the control character U+0007'],
      ['settings:\n  provider: { name: "N\\x1bV", address: x }\n', 'settings.provider.name: contains the control character U+001B'],
      ['mappings:\n  cucm-csv:\n    categories: { "H.2\\064": video }\n', 'mappings.cucm-csv.categories.H.2\\u000064: (the name of this key) contains a NUL byte (0x00)'],
      ['customers:\n  - { id: beta, name: "\\ud800" }\n', 'customers[0].name: contains a lone UTF-16 surrogate, which is not a character'],
      ['customers:\n  - { id: beta, name: "Be\\x85ta" }\n', 'customers[0].name: contains the control character U+0085'],
    ];
    for (const [text, problem] of cases) {
      const message = refusal(text);
      expect(message).toBe(`hostile.yaml is not valid, nothing was applied: ${problem}.`);
      expect([...message].every((c) => c >= ' ' && !(c >= '\u007f' && c <= '\u009f'))).toBe(true);
    }
    expect(await customers()).toEqual([{ id: 'acme', name: 'Acme' }]);
  });

  it('reports every problem of the file at once', () => {
    expect(refusal('customers:\n  - { id: a, name: "A\\0" }\n  - { id: b, name: "B\\0" }\n')).toBe(
      'hostile.yaml is not valid, nothing was applied: customers[0].name: contains a NUL byte (0x00); customers[1].name: contains a NUL byte (0x00).');
  });

  it('gives a file that is not YAML one line, without the text of the file', () => {
    const message = refusal('customers: [ { id: a, name: "\u0007 unterminated\n');
    expect(message).toMatch(/^hostile\.yaml is neither valid YAML nor JSON: .+ at line \d+, column \d+$/);
    expect(message).not.toContain('\n');
    expect(message).not.toContain('unterminated');
  });
});
