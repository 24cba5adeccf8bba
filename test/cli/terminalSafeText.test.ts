import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { terminalSafeJson, terminalSafeText } from '../../src/cli/terminalSafeText.ts';

/** What a terminal acts on instead of showing: C0 (but \n and \t where kept), DEL, C1, bidi controls, line separators. */
// eslint-disable-next-line no-control-regex -- control characters are what this test is about
const dangerous = new RegExp('[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069]', 'u');

describe('terminalSafeText', () => {
  it('shows escape sequences, control characters and bidi overrides as visible escapes', () => {
    expect(terminalSafeText('Acme\u001b[2J\u001b]0;pwned\u0007 AS')).toBe('Acme\\x1b[2J\\x1b]0;pwned\\x07 AS');
    expect(terminalSafeText('evil\u009b31mred\u0085')).toBe('evil\\x9b31mred\\x85');
    expect(terminalSafeText('invoice\u202Efdp.exe')).toBe('invoice\\u202efdp.exe');
    expect(terminalSafeText('a\u2066b\u2069c\u200fd\u061ce')).toBe('a\\u2066b\\u2069c\\u200fd\\u061ce');
    expect(terminalSafeText('nul\u0000del\u007f')).toBe('nul\\x00del\\x7f');
    // One value, one line: a stored name cannot forge a line of the report.
    expect(terminalSafeText('Acme\nTotal: 0.00\rX\tY\u2028')).toBe('Acme\\nTotal: 0.00\\rX\\tY\\u2028');
  });

  it('keeps line breaks and tabs of multi-line text (notes, addresses) but never a carriage return', () => {
    expect(terminalSafeText('Storgata 1\n0155 Oslo\tNorway\r\u001b[1A', { lineBreaks: true })).toBe('Storgata 1\n0155 Oslo\tNorway\\r\\x1b[1A');
  });

  it('leaves ordinary text of every script alone', () => {
    for (const text of ['Nordic Video AS', 'Ærøskøbing Café — 25 %', '株式会社テレビ会議', 'عربي', 'a\\x1b stays as typed', '🎥 room']) expect(terminalSafeText(text)).toBe(text);
  });

  it('never lets a dangerous character through, and only ever adds characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.boolean(), (text, lineBreaks) => {
        const safe = terminalSafeText(text, { lineBreaks });
        expect(safe).not.toMatch(dangerous);
        if (!lineBreaks) expect(safe).not.toMatch(/[\n\t]/);
        expect(safe.length).toBeGreaterThanOrEqual(text.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('terminalSafeJson', () => {
  it('is the same JSON, with C1, DEL, bidi and line separators escaped as \\u sequences', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (value, text) => {
        const data = { value, text };
        const json = terminalSafeJson(data);
        expect(json).not.toMatch(dangerous);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(data)));
      }),
      { numRuns: 300 },
    );
    expect(terminalSafeJson({ name: 'x\u009b\u202e' })).toBe('{\n  "name": "x\\u009b\\u202e"\n}');
  });
});
