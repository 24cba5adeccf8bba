import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { approve, showInvoice } from '../../src/services/invoicing.ts';
import { untrackedReport } from '../../src/services/reports.ts';
import type { Database } from '../../src/storage/database.ts';
import { applyYaml, generate, ingestCsv } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';
import { caseNames, casesDir, caseSpec, compared, goldenDir, isDeviation, readJson, readText, stepsOf, type ComparedInvoice } from './goldenCases.ts';

/**
 * Golden cases, one folder each under test/golden/cases/<name>/ (see test/golden/README.md):
 * provider.yaml (a `confbill apply` file), calls.csv (confbill-csv), case.json (what to generate and
 * what it proves), expected.json (the invoices, computed by hand from the spec; notes.md shows the
 * arithmetic) and, only for a known deviation of src/ from the spec, deviation.json (what src/ gives
 * today) plus a line in KNOWN-DEVIATIONS.md. Every case runs on one shared database per kind, in
 * name order: customers, plans, entities and call sources are distinct per case (checked below).
 *
 * GOLDEN_UPDATE=1 writes the actual invoices to expected.json (to deviation.json for a known
 * deviation, so that a hand-computed expectation is never overwritten by what src/ happens to do).
 */

const deviationsFile = join(goldenDir, 'KNOWN-DEVIATIONS.md');
const update = process.env.GOLDEN_UPDATE === '1';

function csvSources(csv: string): string[] {
  const [header, ...rows] = csv.trim().split('\n');
  expect(header!.split(',')[0]).toBe('source');
  return [...new Set(rows.map((r) => r.split(',')[0]!))];
}

async function runCase(db: Database, name: string): Promise<ComparedInvoice[]> {
  const spec = caseSpec(name);
  await applyYaml(db, readText(name, 'provider.yaml'), new Date(spec.now));
  const calls = readText(name, 'calls.csv');
  const summary = await ingestCsv(db, calls, new Date(spec.now));
  expect(summary.rejected, `${name}/calls.csv has rejected rows`).toBe(0);
  expect(summary.conflicts, `${name}/calls.csv has conflicts`).toBe(0);
  const sources = csvSources(calls);

  const actual: ComparedInvoice[] = [];
  for (const step of stepsOf(spec)) {
    if ('ingest' in step) {
      const more = readText(name, step.ingest);
      const result = await ingestCsv(db, more, new Date(step.now));
      expect(result.rejected, `${name}/${step.ingest} has rejected rows`).toBe(0);
      expect(result.conflicts, `${name}/${step.ingest}: changes refused because the call is invoiced`).toBe(step.conflicts ?? 0);
      sources.push(...csvSources(more));
      continue;
    }
    const { from, to, now } = step.generate;
    const invoices = await generate(db, spec.customer, from, to, new Date(now));
    for (const invoice of invoices) {
      // What `invoice generate --json` prints and what `invoice show --json` reads back must agree.
      expect(compared(await showInvoice(db, invoice.id)), `${name}: stored invoice ${from}..${to} ${invoice.currency}`).toEqual(compared(invoice));
      actual.push(compared(invoice));
    }
    if (step.approve) for (const invoice of invoices) await approve(db, invoice.id);
  }

  const untracked = [];
  for (const source of new Set(sources)) untracked.push(...(await untrackedReport(db, { source })).map((u) => [u.externalId, u.reason]));
  expect(untracked.sort(), `${name}: untracked call items`).toEqual([...spec.untracked].sort());
  return actual;
}

describe('golden case folders', () => {
  it('are complete and describe what they prove', () => {
    expect(caseNames.length).toBeGreaterThanOrEqual(10);
    for (const name of caseNames) {
      for (const file of ['provider.yaml', 'calls.csv', 'case.json', 'expected.json', 'notes.md']) {
        expect(existsSync(join(casesDir, name, file)), `${name}/${file}`).toBe(true);
      }
      const spec = caseSpec(name);
      expect(spec.description.length, `${name}: description`).toBeGreaterThan(20);
      expect(Array.isArray(spec.untracked), `${name}: case.json needs "untracked" (may be [])`).toBe(true);
      for (const key of ['from', 'to'] as const) expect(spec[key]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(spec.now))).toBe(false);
    }
  });

  it('use distinct customers, plans, entities, one-offs and call sources, so they can share one database', () => {
    const seen = new Map<string, string>();
    const claim = (what: string, id: string, name: string): void => {
      const key = `${what} ${id}`;
      expect(seen.get(key), `${key} is used by both ${seen.get(key)} and ${name}`).toBeUndefined();
      seen.set(key, name);
    };
    for (const name of caseNames) {
      const config = parseYaml(readText(name, 'provider.yaml')) as {
        settings?: unknown;
        customers?: { id: string; entities?: { id: string }[]; customElements?: { id: string }[] }[];
        plans?: { id: string }[];
      };
      expect(config.settings, `${name}: settings are shared by every case; give each customer its timezone instead`).toBeUndefined();
      const customers = config.customers ?? [];
      expect(customers.map((c) => c.id), `${name}: the case's customer is in provider.yaml`).toContain(caseSpec(name).customer);
      for (const c of customers) {
        claim('customer', c.id, name);
        for (const e of c.entities ?? []) claim('entity', e.id, name);
        for (const e of c.customElements ?? []) claim('custom element', e.id, name);
      }
      for (const p of config.plans ?? []) claim('plan', p.id, name);
      const files = ['calls.csv', ...stepsOf(caseSpec(name)).flatMap((s) => ('ingest' in s ? [s.ingest] : []))];
      const sources = new Set(files.flatMap((f) => csvSources(readText(name, f))));
      for (const s of sources) claim('source', s, name);
    }
  });

  it('KNOWN-DEVIATIONS.md lists exactly the cases that have a deviation.json', () => {
    const text = readFileSync(deviationsFile, 'utf8');
    const listed = [...text.matchAll(/^- `([a-z0-9-]+)`/gm)].map((m) => m[1]!).sort();
    expect(listed).toEqual(caseNames.filter(isDeviation));
  });
});

describe.each(databaseKinds)('golden cases on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));

  it.each(caseNames)('%s', async (name) => {
    const actual = await runCase(db, name);
    const deviation = isDeviation(name);
    if (update) {
      writeFileSync(join(casesDir, name, deviation ? 'deviation.json' : 'expected.json'), `${JSON.stringify(actual, null, 2)}\n`);
      return;
    }
    if (deviation) {
      // A known deviation: src/ does not give the hand-computed invoices. Pin what it gives today, and
      // fail as soon as it changes (fixed: delete deviation.json and its line in KNOWN-DEVIATIONS.md).
      expect(actual, `${name}: src/ no longer gives deviation.json`).toEqual(readJson(name, 'deviation.json'));
      expect(actual, `${name}: deviation.json equals expected.json; it is no deviation`).not.toEqual(readJson(name, 'expected.json'));
    } else {
      expect(actual).toEqual(readJson(name, 'expected.json'));
    }
  });
});
