import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBillingError } from '../../src/domain/billingError.ts';
import { applyConfig } from '../../src/services/applyConfig.ts';
import { setPlanField, unlockPlan } from '../../src/services/planLifecycle.ts';
import { parseProviderConfig, validateProviderConfig, type ProviderConfig } from '../../src/services/providerConfig.ts';
import type { Database } from '../../src/storage/database.ts';
import { applyYaml } from '../support/billingFixtures.ts';
import { fuzzRuns } from '../support/fuzzRuns.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

// Issue 8: the configuration file and `plan set` are input paths like call data. Whatever a user
// writes, each is either taken or refused with a BillingError (a sentence, an exit status): never
// another exception (a stack trace), never a change to Object.prototype.

const example = readFileSync(new URL('../../docs/examples/provider.yaml', import.meta.url), 'utf8');
const prototypeNames = () => Object.getOwnPropertyNames(Object.prototype).sort();
const hostile = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '\u0000', '\u001b[2J', '\u202e', '-1', '1e309', '9007199254740993', '""', 'null', '{', '[', ':', '- ', '\n', '  ', '"'];

/** The example configuration with a few random edits: insertions of hostile text, deletions, repeats. */
const mutatedExample = fc
  .array(
    fc.oneof(
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...hostile), fc.string({ maxLength: 8 })) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
      fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 80 }) }),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((edits) =>
    edits.reduce((text, edit) => {
      const at = edit.at % (text.length + 1);
      if (edit.kind === 'insert') return text.slice(0, at) + edit.text + text.slice(at);
      if (edit.kind === 'delete') return text.slice(0, at) + text.slice(at + edit.length);
      return text.slice(0, at + edit.length) + text.slice(at, at + edit.length) + text.slice(at + edit.length);
    }, example),
  );

function takenOrRefused(work: () => unknown): 'taken' | 'refused' {
  try {
    work();
    return 'taken';
  } catch (error) {
    if (!isBillingError(error)) throw error;
    return 'refused';
  }
}

async function takenOrRefusedAsync(work: () => Promise<unknown>): Promise<'taken' | 'refused'> {
  try {
    await work();
    return 'taken';
  } catch (error) {
    if (!isBillingError(error)) throw error;
    return 'refused';
  }
}

describe('the configuration file, fuzzed', () => {
  it('a mutated example is parsed or refused with a BillingError, and Object.prototype stays as it was', () => {
    const before = prototypeNames();
    const outcomes = { taken: 0, refused: 0 };
    fc.assert(
      fc.property(mutatedExample, (text) => {
        outcomes[takenOrRefused(() => parseProviderConfig(text, 'fuzz.yaml'))]++;
        expect(prototypeNames()).toEqual(before);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: fuzzRuns(400) },
    );
    // Both outcomes occur: the fuzz reaches past the YAML parser into validation.
    expect(outcomes.taken).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('any JSON value is validated or refused with a BillingError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('settings', 'customers', 'plans', 'assignments', 'sources', 'mappings', ...hostile), fc.jsonValue())), (value) => {
        takenOrRefused(() => validateProviderConfig(value, 'fuzz.json'));
      }),
      { numRuns: fuzzRuns(400) },
    );
  });
});

describe.each(databaseKinds)('apply and plan set, fuzzed, on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it('a valid mutated configuration is applied or refused with a BillingError; the database stays usable', async () => {
    const valid: ProviderConfig[] = [];
    fc.assert(
      fc.property(mutatedExample, (text) => {
        try {
          valid.push(parseProviderConfig(text, 'fuzz.yaml'));
        } catch {
          // Refusals are the other test's concern.
        }
      }),
      { numRuns: fuzzRuns(200), seed: 8 },
    );
    expect(valid.length).toBeGreaterThan(5);
    for (const config of valid.slice(0, fuzzRuns(25))) await takenOrRefusedAsync(() => applyConfig(db, config, 'fuzz'));
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('plan set refuses a NUL or a control character in a text field, naming the field, and changes nothing', async () => {
    await applyYaml(db, 'plans: [{ id: nul-plan, copyOf: concurrent-calls }]\n');
    await unlockPlan(db, 'nul-plan', 'fuzz');
    for (const [path, raw, problem] of [['name', '\u0000', 'name: contains a NUL byte (0x00)'], ['name', 'a\u001bb', 'name: contains the control character U+001B'], ['currency', '\u0000', 'currency: contains a NUL byte (0x00)']] as const) {
      const refused = await setPlanField(db, 'nul-plan', path, raw, 'fuzz').then(() => undefined, (error: unknown) => error);
      expect(isBillingError(refused) && refused.code).toBe('invalid-argument');
      expect((refused as Error).message).toContain(problem);
    }
  });

  it('plan set with any path and value changes the draft or is refused with a BillingError', async () => {
    await applyYaml(db, 'plans: [{ id: fuzz-plan, copyOf: concurrent-calls }]\n');
    await unlockPlan(db, 'fuzz-plan', 'fuzz');
    const before = prototypeNames();
    const segment = fc.oneof(
      fc.constantFrom('monthlyFee', 'portPool', 'ports', 'overagePerPortMinute', 'includedMinutes', 'callRates', 'services', 'customElements', 'currency', 'name', '0', '1', '99', 'pexip-vmr'),
      fc.constantFrom(...hostile),
      fc.string({ maxLength: 6 }),
    );
    const value = fc.oneof(fc.constantFrom(...hostile, '25.00', '-0.01', '{"ports": 5, "overagePerPortMinute": "0.10"}', '[]', 'true'), fc.string({ maxLength: 12 }), fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'));
    const outcomes = { taken: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 4 }), value, async (path, raw) => {
        outcomes[await takenOrRefusedAsync(() => setPlanField(db, 'fuzz-plan', path.join('.'), raw, 'fuzz'))]++;
        expect(prototypeNames()).toEqual(before);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: fuzzRuns(150) },
    );
    expect(outcomes.refused).toBeGreaterThan(outcomes.taken);
    expect(outcomes.taken + outcomes.refused).toBe(fuzzRuns(150));
    // A plain edit still works after all that.
    await setPlanField(db, 'fuzz-plan', 'monthlyFee', '25.00', 'fuzz');
  });
});
