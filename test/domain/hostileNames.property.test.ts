import fc from 'fast-check';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { availableServiceTypes, serviceAvailability } from '../../src/domain/availableServiceTypes.ts';
import { isBillingError } from '../../src/domain/billingError.ts';
import { builtInPlanTemplates, isServiceAvailable, type PlanDefinition } from '../../src/domain/plan.ts';
import { editPlanField } from '../../src/domain/planFieldEdit.ts';
import { callDataFormatNamed } from '../../src/ingest/callDataFormats.ts';
import { defaultMapping as expresswayMapping } from '../../src/ingest/cisco-expressway/defaultMapping.ts';
import { readExpresswayJson } from '../../src/ingest/cisco-expressway/readExpresswayJson.ts';
import { cucmCause } from '../../src/ingest/cisco-ucm/cucmCause.ts';
import { cucmOriginKind } from '../../src/ingest/cisco-ucm/readCucmCsv.ts';
import type { IngestRecord, ReaderOptions } from '../../src/ingest/ingestRecord.ts';
import { defaultMapping as dmaMapping } from '../../src/ingest/polycom-dma/defaultMapping.ts';
import { readDmaCsv } from '../../src/ingest/polycom-dma/readDmaCsv.ts';
import { mergeVendorMapping, type VendorMappingOverride } from '../../src/ingest/vendorMapping.ts';
import { validateProviderConfig } from '../../src/services/providerConfig.ts';
import { fuzzRuns } from '../support/fuzzRuns.ts';

// Issue 8 §6: every name a user can give may be one of Object.prototype's. Each is either an
// ordinary name or refused with a BillingError, and Object.prototype is never touched.
const hostile = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'] as const;
const hostileArb = fc.constantFrom(...hostile);
/** A hostile name alone or inside an ordinary one (`constructor.x`, `a__proto__`). */
const nameArb = fc.oneof(hostileArb, fc.tuple(fc.constantFrom('', 'a', 'x.', '.y'), hostileArb, fc.constantFrom('', 'b', '.z')).map(([a, h, b]) => `${a}${h}${b}`));

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
const prototypeValues = prototypeNames.map((n) => (Object.prototype as Record<string, unknown>)[n]);

function expectPrototypeUntouched(): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
  expect(prototypeNames.map((n) => (Object.prototype as Record<string, unknown>)[n])).toEqual(prototypeValues);
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
}

/** Runs `work`; a thrown error must be a BillingError (a clear refusal), never a TypeError or the like. */
function acceptedOrRefused<T>(work: () => T): { ok: true; value: T } | { ok: false; message: string } {
  try {
    return { ok: true, value: work() };
  } catch (error) {
    if (!isBillingError(error)) throw error;
    return { ok: false, message: error.message };
  }
}

/** A configuration as JSON text, so that `__proto__` arrives as an own key, the way a YAML or JSON file brings it. */
const configOf = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replaceAll('"HOSTILE_PROTO"', '"__proto__"'));
const keyOf = (name: string): string => (name === '__proto__' ? 'HOSTILE_PROTO' : name);

async function readAll(reader: (input: Readable, options: ReaderOptions) => AsyncIterable<IngestRecord>, text: string, options: Partial<ReaderOptions> = {}): Promise<IngestRecord[]> {
  const records: IngestRecord[] = [];
  for await (const r of reader(Readable.from([text]), { file: 'hostile', source: 'src-1', ...options })) records.push(r);
  return records;
}

describe('hostile names (__proto__, constructor, prototype, toString, hasOwnProperty, valueOf)', () => {
  beforeEach(expectPrototypeUntouched);
  afterEach(expectPrototypeUntouched);

  const plan: PlanDefinition = { ...builtInPlanTemplates['pay-as-you-go'], portPool: { ports: 5, overagePerPortMinute: '0.10' }, services: { 'pexip-vmr': '6.20' } };
  const segmentArb = fc.oneof(nameArb, fc.constantFrom('services', 'portPool', 'callRates', 'includedMinutes', '0', 'ports', 'perMinute', 'polluted'));

  it('plan set: a hostile name in any segment of the path is a plain field or a clear refusal, and pollutes nothing', () => {
    fc.assert(
      fc.property(fc.array(segmentArb, { minLength: 1, maxLength: 4 }), fc.constantFrom<unknown>('yes', 5, null, { polluted: 'yes' }), (segments, value) => {
        const path = segments.join('.');
        const result = acceptedOrRefused(() => editPlanField(plan, path, value));
        if (result.ok) {
          // What was set is plain data: it survives JSON unchanged, with no inherited surprises.
          expect(JSON.parse(JSON.stringify(result.value.definition))).toEqual(result.value.definition);
          const services: unknown = result.value.definition.services;
          if (typeof services === 'object' && services !== null) expect(Object.getPrototypeOf(services)).toBe(Object.prototype);
        }
        expectPrototypeUntouched();
      }),
      { numRuns: fuzzRuns(400) },
    );
  });

  it('plan set: the examples of the issue', () => {
    expect(() => editPlanField(plan, 'services.__proto__.polluted', 'yes')).toThrow(/"__proto__" is a reserved name/);
    expect(() => editPlanField(plan, '__proto__', 'yes')).toThrow(/"__proto__" is a reserved name/);
    expect(() => editPlanField(plan, 'constructor', 'yes')).toThrow(/"constructor" is not a plan field/);
    expect(() => editPlanField(plan, 'portPool.constructor.prototype.polluted', 'yes')).toThrow(/does not exist/);
    expect(() => editPlanField(plan, 'callRates.constructor', 'yes')).toThrow(/not a position in the list/);
    expect(() => editPlanField(plan, 'callRates.1e0', 'yes')).toThrow(/not a position in the list/);
    // An ordinary name: a service type called "constructor" is the plan's own entry.
    const edit = editPlanField(plan, 'services.constructor', '2.00');
    expect(edit.oldValue).toBeNull();
    expect(edit.definition.services).toEqual({ 'pexip-vmr': '6.20', constructor: '2.00' });
    expect(editPlanField(edit.definition, 'services.constructor', null).definition.services).toEqual({ 'pexip-vmr': '6.20' });
    expect(editPlanField(plan, 'services.toString', null).oldValue).toBeNull();
  });

  it('--format and a source format: no hostile name is a format', () => {
    fc.assert(
      fc.property(nameArb, (name) => {
        expect(callDataFormatNamed(name)).toBeUndefined();
        const source = acceptedOrRefused(() => validateProviderConfig(configOf({ sources: [{ id: 'src-1', format: keyOf(name) }] })));
        expect(source).toMatchObject({ ok: false, message: expect.stringContaining('sources[0].format: must be a known format') });
        const mapping = acceptedOrRefused(() => validateProviderConfig(configOf({ mappings: { [keyOf(name)]: {} } })));
        expect(mapping.ok).toBe(false);
      }),
    );
    expect(callDataFormatNamed('cucm-csv')?.name).toBe('cucm-csv');
  });

  it('mapping keys and values: a hostile vendor value is an ordinary key, a hostile category or direction is refused', () => {
    fc.assert(
      fc.property(nameArb, (name) => {
        const config = configOf({ mappings: { 'dma-csv': { categories: { [keyOf(name)]: 'video' }, directions: { [keyOf(name)]: 'inbound' } } } });
        const result = acceptedOrRefused(() => validateProviderConfig(config));
        if (name === '__proto__') expect(result).toMatchObject({ ok: false, message: expect.stringContaining('mappings.dma-csv.categories.__proto__: "__proto__" is a reserved name') });
        else expect(result.ok && result.value.mappings?.['dma-csv']?.categories).toEqual({ [name]: 'video' });
        const badValue = acceptedOrRefused(() => validateProviderConfig(configOf({ mappings: { 'dma-csv': { categories: { H323: keyOf(name) } } } })));
        expect(badValue.ok).toBe(false);
      }),
    );
  });

  it('plan ids, service types, customer ids and names, categories and directions in a configuration', () => {
    fc.assert(
      fc.property(nameArb, (name) => {
        const config = configOf({
          customers: [{ id: keyOf(name), name: keyOf(name), entities: [{ id: 'e-1', serviceType: keyOf(name), createdAt: '2026-10-01T00:00:00Z' }] }],
          plans: [{ id: keyOf(name), copyOf: keyOf(name), name: keyOf(name), services: { [keyOf(name)]: '1.00' }, callRates: [{ category: keyOf(name), direction: keyOf(name), startupCharge: '0', perMinute: '0' }] }],
          assignments: [{ customer: keyOf(name), plan: keyOf(name), from: '2026-10-01' }],
        });
        const result = acceptedOrRefused(() => validateProviderConfig(config));
        // A category or direction is one of the spec's words: a hostile one is always refused, with its path.
        expect(result).toMatchObject({ ok: false, message: expect.stringContaining('plans[0].callRates[0].category') });
        // Without the rates, ids that are slugs ("constructor", "prototype") are ordinary ids.
        const plain = acceptedOrRefused(() => validateProviderConfig(configOf({ ...(config as object), plans: [{ id: keyOf(name), copyOf: 'pay-as-you-go', services: { [keyOf(name)]: '1.00' } }] })));
        if (/^[a-z0-9][a-z0-9._-]*$/.test(name)) {
          expect(plain.ok).toBe(true);
          if (plain.ok) expect(plain.value.plans?.[0]?.services).toEqual({ [name]: '1.00' });
        } else {
          expect(plain.ok).toBe(false);
        }
      }),
    );
  });

  it('service types: a hostile type is not listed by a plan that does not list it', () => {
    fc.assert(
      fc.property(nameArb, fc.boolean(), (name, limited) => {
        expect(isServiceAvailable(plan, name)).toBe(false);
        const availability = serviceAvailability(limited, { planId: 'p', definition: plan }, name);
        expect(availability).toEqual(limited ? { available: false, reason: 'not-listed', planId: 'p' } : { available: true, monthlyPrice: null, billable: false });
        expect(availableServiceTypes(limited, { planId: 'p', definition: plan }).map((t) => t.serviceType)).not.toContain(name);
      }),
    );
  });

  it('vendor values in call data: a hostile value is looked up as the mapping\'s own key only', async () => {
    const header = 'version,type,callType,callUuid,dialin,startTime,endTime,origEndpoint,destEndpoint,dialString';
    for (const name of hostile) {
      expect(cucmOriginKind({ IncomingProtocolID: name, origDeviceName: 'SEP001122334455' })).toBe('device');
      expect(cucmCause(name, undefined)).toBe(`cause ${name}`);
      const row = `4,CALL,${name},c-1,${name},2026-06-01T10:00:00.000Z,2026-06-01T10:05:00.000Z,alice@acme.example,bob@beta.example,bob@beta.example`;
      const unmapped = await readAll(readDmaCsv, `${header}\n${row}\n`);
      expect(unmapped).toEqual([expect.objectContaining({ kind: 'reject', line: 2, field: 'callType' })]);
      const override = JSON.parse(JSON.stringify({ categories: { [name]: 'audio' }, directions: { [name]: 'internal' } })) as VendorMappingOverride;
      const mapped = await readAll(readDmaCsv, `${header}\n${row}\n`, { mapping: mergeVendorMapping(dmaMapping, override) });
      expect(mapped).toEqual([expect.objectContaining({ kind: 'call', call: expect.objectContaining({ category: 'audio', direction: 'internal' }) })]);

      const record = { uuid: 'u-1', tag: 't-1', initial_call: 'true', licensed: 'true', active: 'false', protocol: name, audio: 'false', source_alias: 'sip:a@b.example', destination_alias: 'sip:c@d.example', disconnect_reason: '200 OK', start_time: '2026-03-10 09:00:00.250000', end_time: '2026-03-10 09:01:05.900000' };
      const [expressway] = await readAll(readExpresswayJson, JSON.stringify([record]), { mapping: expresswayMapping });
      expect(expressway).toMatchObject({ kind: 'call', call: { category: 'video' } });
    }
  });
});
