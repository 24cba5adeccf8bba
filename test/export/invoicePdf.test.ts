import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { invoicePdf, type InvoicePdfInput } from '../../src/export/invoicePdf.ts';
import { sampleInvoice } from './sampleInvoice.ts';

const provider = { name: 'Nordic Video Services AS', address: 'Storgata 1\n0155 Oslo\nNorway', email: 'billing@nordicvideo.example', vatId: 'NO 912 345 678 MVA' };
const customer = { id: 'acme', name: 'Acme Corp' };

/** The text of each page, as a PDF reader extracts it. */
async function pdfPages(pdf: Buffer): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : '')).join(''));
  }
  await doc.destroy();
  return pages;
}

describe('invoicePdf', () => {
  const approved = sampleInvoice({ callLines: 60, status: 'approved' });
  const input: InvoicePdfInput = { invoice: approved, customer, provider, issueDate: '2026-11-03' };

  it('is a PDF whose text has the number, the blocks, every line amount and the totals', async () => {
    const pdf = await invoicePdf(input);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = await pdfPages(pdf);
    const all = pages.join('\n');
    expect(pages[0]).toContain('Invoice 1042');
    expect(pages[0]).toContain('Nordic Video Services AS');
    expect(pages[0]).toContain('0155 Oslo');
    expect(pages[0]).toContain('VAT ID: NO 912 345 678 MVA');
    expect(pages[0]).toContain('Acme Corp');
    expect(pages[0]).toContain('Customer ID: acme');
    expect(pages[0]).toContain('2026-11-03');
    expect(pages[0]).toMatch(/Approved\s+by alice, 2026-11-03 09:30 UTC/);
    // `to` is exclusive: the period shows its last day.
    expect(pages[0]).toContain('2026-10-01 – 2026-10-31');
    expect(all).not.toContain('DRAFT');
    // Monthly fee; 100 min × 0.035 = 3.50; 101 min = 3.535 → 3.54; 159 min = 5.565 → 5.57; the late line and the credit.
    for (const amount of ['1500.00', '3.50', '3.54', '5.57', '0.24', '-3.00']) expect(all).toContain(amount);
    for (const line of approved.lines) expect(all).toContain(line.amount);
    expect(all).toContain('159 minutes');
    expect(all).toContain('video outbound 60 (61 calls)');
    // 1500.00 + 272.10 of calls + 0.24 − 3.00 = 1769.34; 25 % tax 442.335 → 442.34; total 2211.68.
    expect(all).toMatch(/Subtotal\s+1769\.34/);
    expect(all).toMatch(/Tax 25 % of 1769\.34\s+442\.34/);
    expect(all).toMatch(/Total\s+2211\.68 EUR/);
    expect(approved.total).toBe('2211.68');
    expect(all).toContain('Payment within 30 days.');
  });

  it('breaks long invoices into pages, repeating the table header, with "Page n of m"', async () => {
    const pages = await pdfPages(await invoicePdf(input));
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((text, i) => {
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
      if (i > 0) expect(text).toContain('(continued)');
    });
    const withTable = pages.filter((t) => t.includes('Unit price'));
    expect(withTable.length).toBeGreaterThan(1);
    // Every line is printed once: no row lost or doubled at a page break.
    const all = pages.join('\n');
    for (let n = 1; n <= 60; n++) expect(all.split(`video outbound ${n} (`).length - 1).toBe(1);
  });

  it('marks late lines and explains the mark', async () => {
    const all = (await pdfPages(await invoicePdf(input))).join('\n');
    expect(all).toContain('audio inbound (3 calls) (late*)');
    expect(all).toContain('* Late items: usage dated before 2026-10-01');
  });

  it('says DRAFT in the title and across every page of a draft, with no number', async () => {
    const draft = sampleInvoice({ callLines: 60, status: 'draft' });
    const pages = await pdfPages(await invoicePdf({ invoice: draft, customer, provider, issueDate: '2026-11-02' }));
    expect(pages.length).toBeGreaterThan(1);
    for (const text of pages) expect(text).toContain('DRAFT');
    expect(pages[0]).toContain('none yet (draft)');
    expect(pages[0]).toContain('Draft date');
    expect(pages.join('\n')).not.toContain('Invoice 1042');
    expect(pages.join('\n')).toMatch(/Total\s+2211\.68 EUR/);
  });

  it('names confbill as the sender when no provider is configured, and fits a short invoice on one page', async () => {
    const short = sampleInvoice({ callLines: 2, status: 'approved' });
    const pages = await pdfPages(await invoicePdf({ invoice: short, customer, issueDate: '2026-11-03' }));
    expect(pages).toHaveLength(1);
    expect(pages[0]!.startsWith('confbill')).toBe(true);
    expect(pages[0]).toMatch(/Total\s+1880\.35 EUR/);
    expect(pages[0]).toContain('Page 1 of 1');
  });

  it('shows names outside the standard fonts legibly and gives the same bytes every time', async () => {
    const named = { ...input, customer: { id: 'sahin', name: 'Şahin Bjørn – 株式会社' } };
    const first = await invoicePdf(named);
    expect((await pdfPages(first))[0]).toContain('Sahin Bjørn – ????');
    expect(first.equals(await invoicePdf(named))).toBe(true);
  });
});
