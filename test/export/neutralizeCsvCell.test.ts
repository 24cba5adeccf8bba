import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { neutralizeCsvCell } from '../../src/export/neutralizeCsvCell.ts';
import { spreadsheetSafeCsv } from '../../src/export/spreadsheetSafeCsv.ts';

describe('neutralizeCsvCell (docs/billing-rules.md §8: no cell runs as a formula)', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['=1+1', `'=1+1`],
    ["+cmd|' /C calc'!A0", `'+cmd|' /C calc'!A0`],
    ["-2+3+cmd|' /C calc'!A0", `'-2+3+cmd|' /C calc'!A0`],
    ['@SUM(A1:A9)', `'@SUM(A1:A9)`],
    ['\t=1+1', `'\t=1+1`],
    ['\r=1+1', `'\r=1+1`],
    ['+4721000000', `'+4721000000`],
    ['-', `'-`],
    ['-1e3', `'-1e3`],
    ['-0x10', `'-0x10`],
  ])('prefixes a quote to %j', (value, expected) => {
    expect(neutralizeCsvCell(value)).toBe(expected);
  });

  it.each(['Acme Corp', 'video outbound', '1.18', '0', '2026-10-01', 'a=b', "O'Brien", '', 'sip:room@acme.example', '-3.00', '-0.035', '-60'])(
    'leaves %j unchanged (plain decimals stay numbers, credits included)',
    (value) => {
      expect(neutralizeCsvCell(value)).toBe(value);
    },
  );
});

describe('spreadsheetSafeCsv', () => {
  it('neutralizes every cell and round-trips through a CSV parser', () => {
    const csv = spreadsheetSafeCsv(['name', 'amount', 'count', 'flag', 'empty'], [
      ['=HYPERLINK("http://x","y")', '-3.00', 3, true, null],
      ['Bob, Jr "the second"\nline two', '1.18', 0, false, undefined],
    ]);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      { name: `'=HYPERLINK("http://x","y")`, amount: '-3.00', count: '3', flag: 'true', empty: '' },
      { name: 'Bob, Jr "the second"\nline two', amount: '1.18', count: '0', flag: 'false', empty: '' },
    ]);
  });
});
