import { describe, expect, it } from 'vitest';
import { addManualLine, removeManualLine } from '../../src/domain/draftInvoiceEdit.ts';
import type { InvoiceLine } from '../../src/domain/invoiceLine.ts';

const lines: InvoiceLine[] = [
  { kind: 'monthly-fee', description: 'Plan', quantity: '31', unit: 'day', amount: '100.00', period: '2026-10' },
  { kind: 'tax', description: 'Tax 25 % of 100.00', quantity: '25', unit: 'percent', amount: '25.00', period: '2026-10' },
];

describe('editing a draft', () => {
  it('adds a manual line before the tax line and re-taxes at the rate the draft was made with', () => {
    const revised = addManualLine(lines, { description: 'Room booking', quantity: '3', unitPrice: '2.335' }, 'EUR', '2026-10');
    expect(revised.lines.map((l) => [l.kind, l.amount])).toEqual([['monthly-fee', '100.00'], ['manual', '7.01'], ['tax', '26.75']]);
    expect(revised.total).toBe('133.76'); // 100.00 + 7.01 (7.005 half up) + 26.7525 → 26.75
  });

  it('gives credits with negative prices, rounds per currency, and removes only manual lines', () => {
    const credit = addManualLine(lines.slice(0, 1), { description: 'Goodwill', unitPrice: '-0.5' }, 'JPY', '2026-10');
    expect(credit.lines[1]).toMatchObject({ kind: 'manual', amount: '-1', quantity: '1' }); // half up away from zero: -0.5 → -1 yen
    const back = removeManualLine(credit.lines, 2, 'JPY');
    expect(back.lines).toHaveLength(1);
    expect(() => removeManualLine(credit.lines, 1, 'JPY')).toThrow(/only manual lines/);
    expect(() => removeManualLine(credit.lines, 5, 'JPY')).toThrow(/no line 5/);
  });

  it('refuses unclear input', () => {
    expect(() => addManualLine(lines, { description: ' ', unitPrice: '1' }, 'EUR', '2026-10')).toThrow(expect.objectContaining({ message: 'A manual line needs a description.', details: { field: 'description', value: ' ' } }));
    expect(() => addManualLine(lines, { description: 'x', unitPrice: '1,50' }, 'EUR', '2026-10')).toThrow(expect.objectContaining({ message: 'The unit price "1,50" is not a decimal number such as 12.50 or -5.', details: { field: 'unitPrice', value: '1,50' } }));
    expect(() => addManualLine(lines, { description: 'x', unitPrice: '1', period: 'October' }, 'EUR', '2026-10')).toThrow(expect.objectContaining({ message: 'The period "October" is neither YYYY-MM nor YYYY-MM-DD.', details: { field: 'period', value: 'October' } }));
  });
});
