import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { pdfPages } from '../support/pdfPages.ts';
import { describe, expect, it } from 'vitest';
import { invoicePdf, type InvoicePdfInput } from '../../src/export/invoicePdf.ts';
import { sampleInvoice } from './sampleInvoice.ts';

const provider = { name: 'Nordic Video Services AS', address: 'Storgata 1\n0155 Oslo\nNorway', email: 'billing@nordicvideo.example', taxId: 'NO 912 345 678 MVA' };
const customer = { id: 'acme', name: 'Acme Corp' };
const onePixelPng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** The text items of the first page with their position (PDF units, y upwards). */
async function pdfItems(pdf: Buffer): Promise<{ str: string; x: number; y: number }[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
  const content = await (await doc.getPage(1)).getTextContent();
  await doc.destroy();
  return content.items.flatMap((item) => ('str' in item ? [{ str: item.str, x: item.transform[4] as number, y: item.transform[5] as number }] : []));
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

  // Issue 9: letters outside Latin-1 printed as "?" (the standard PDF fonts know only WinAnsi).
  it.each(['株式会社テスト', 'Zażółć gęślą jaźń', 'Příliš žluťoučký kůň', 'Съешь же ещё', 'Ελληνικά Σπίτι'])('prints the name %s exactly as written', async (name) => {
    const short = sampleInvoice({ callLines: 2, status: 'approved' });
    const pdf = await invoicePdf({ invoice: short, customer: { id: 'c1', name, billingAddress: `${name}\n100-0001 Tokyo` }, provider: { ...provider, name }, issueDate: '2026-11-03' });
    const pages = await pdfPages(pdf);
    const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise;
    expect((await doc.getMetadata()).info).toMatchObject({ Title: `Invoice 1042 – ${name}`, Author: name });
    await doc.destroy();
    expect(pages[0]!.startsWith(`${name} \nStorgata 1`)).toBe(true);
    expect(pages[0]).toContain(`BILL TO \n${name} \n${name} \n100-0001 Tokyo \nCustomer ID: c1`);
    // The footer mixes the name's script with Latin: a reader may space the runs apart.
    expect(pages[0]).toMatch(new RegExp(`${name}\\s*·\\s*Invoice 1042\\s*·\\s*${name}`));
    expect(pages[0]).not.toContain('?');
  });

  it('prints a name of two scripts in both fonts, and the same bytes every time', async () => {
    const named = { ...input, customer: { id: 'sahin', name: 'Şahin Bjørn – 株式会社' } };
    const first = await invoicePdf(named);
    // Each run of a script is its own text item: the reader puts a space between them.
    expect((await pdfPages(first))[0]).toMatch(/Şahin Bjørn –\s+株式会社/);
    expect(first.equals(await invoicePdf(named))).toBe(true);
  });

  it('keeps the line breaks and the baseline of a text of two scripts', async () => {
    const short = { ...sampleInvoice({ callLines: 2, status: 'approved' }), notes: 'Zażółć gęślą jaźń: 株式会社\nお問い合わせ: 03-1234-5678' };
    const items = await pdfItems(await invoicePdf({ invoice: short, customer, provider, issueDate: '2026-11-03' }));
    const at = (str: string) => items.find((i) => i.str === str)!;
    // The Japanese run goes on the Latin run's line, on the same baseline; the next line is below.
    expect(at('株式会社').y).toBeCloseTo(at('Zażółć gęślą jaźń:').y, 1);
    expect(at('株式会社').x).toBeGreaterThan(at('Zażółć gęślą jaźń:').x);
    expect(at('お問い合わせ: 03-1234-5678').y).toBeLessThan(at('株式会社').y - 8);
  });

  it('prints the bill-to block, the sender block and the payment details as an accountant expects', async () => {
    const short = sampleInvoice({ callLines: 2, status: 'approved' });
    const billed = { id: 'acme', name: 'Acme Corp', billingAddress: 'Accounts payable\nKarl Johans gate 5\n0154 Oslo', email: 'ap@acme.example', taxId: 'NO 987 654 321 MVA', customerReference: 'PO-4711' };
    const withPayment = { ...provider, paymentDetails: 'DNB Bank ASA\nIBAN NO93 8601 1117 947\nBIC DNBANOKK' };
    const pages = await pdfPages(await invoicePdf({ invoice: short, customer: billed, provider: withPayment, logo: onePixelPng, issueDate: '2026-11-03' }));
    expect(pages).toHaveLength(1);
    const page = pages[0]!;
    expect(page).toContain('Nordic Video Services AS \nStorgata 1 \n0155 Oslo \nNorway \nVAT ID: NO 912 345 678 MVA \nbilling@nordicvideo.example');
    expect(page).toContain('BILL TO \nAcme Corp \nAccounts payable \nKarl Johans gate 5 \n0154 Oslo \nVAT ID: NO 987 654 321 MVA \nE-mail: ap@acme.example \nCustomer ID: acme \nYour reference: PO-4711');
    // Payment details close the document, after the totals and the notes.
    expect(page).toMatch(/Total\s+1880\.35 EUR[\s\S]*Notes[\s\S]*Payment details \nDNB Bank ASA\s+IBAN NO93 8601 1117 947\s+BIC DNBANOKK\s+Please give the invoice number 1042 as the reference of your\s+payment\./);
  });

  it('draws the logo above the sender block', async () => {
    const short = sampleInvoice({ callLines: 2, status: 'approved' });
    const pdf = await invoicePdf({ invoice: short, customer, provider, logo: onePixelPng, issueDate: '2026-11-03' });
    expect(pdf.toString('latin1')).toMatch(/\/Subtype \/Image/);
    const without = await invoicePdf({ invoice: short, customer, provider, issueDate: '2026-11-03' });
    expect(without.toString('latin1')).not.toMatch(/\/Subtype \/Image/);
  });
});
