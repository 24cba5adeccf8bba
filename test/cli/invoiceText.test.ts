import { describe, expect, it } from 'vitest';
import { countText } from '../../src/cli/countText.ts';
import { invoiceText } from '../../src/cli/invoiceText.ts';
import { sampleInvoice } from '../export/sampleInvoice.ts';

describe('invoice text', () => {
  it('counts calls in the right number: "(1 call)", "(2 calls)"', () => {
    const invoice = sampleInvoice({ callLines: 2, status: 'draft' });
    invoice.lines = invoice.lines.map((l, i) => (l.calls === undefined ? l : { ...l, calls: i === 1 ? 1 : 2 }));
    const text = invoiceText(invoice);
    expect(text).toContain('(1 call)');
    expect(text).toContain('(2 calls)');
    expect(text).not.toContain('(1 calls)');
    expect([countText(0, 'customer'), countText(1, 'billing item'), countText(2, 'source or mapping', 'sources and mappings')]).toEqual(['0 customers', '1 billing item', '2 sources and mappings']);
  });
});
