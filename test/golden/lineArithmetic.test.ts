import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Invoice } from '../../src/domain/invoice.ts';
import { lineArithmeticProblems } from '../support/lineArithmetic.ts';

// Issue 9 §7 over every golden case: the invoices of expected.json (and of deviation.json, what src/
// gives for a known deviation) are the ones golden.test.ts checks src/ against, so every line that
// src/ produces for them must add up: quantity × unit price gives the amount.
const casesDir = fileURLToPath(new URL('./cases/', import.meta.url));
const caseNames = readdirSync(casesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

describe('golden invoices: quantity × unit price = amount on every line', () => {
  it.each(caseNames)('%s', (name) => {
    const files = ['expected.json', 'deviation.json'].filter((f) => existsSync(join(casesDir, name, f)));
    const problems = files.flatMap((file) =>
      (JSON.parse(readFileSync(join(casesDir, name, file), 'utf8')) as Invoice[]).flatMap((invoice, n) => lineArithmeticProblems(invoice, `${file} invoice ${n + 1} `)),
    );
    expect(problems).toEqual([]);
    expect(files.length).toBeGreaterThan(0);
  });
});
