import PDFDocument from 'pdfkit';
import { addDays } from '../domain/calendar.ts';
import { formatInCurrency } from '../domain/currency.ts';
import type { InvoiceLine } from '../domain/invoiceLine.ts';
import { amountOf, sumAmounts } from '../domain/money.ts';
import type { Customer } from '../domain/customer.ts';
import type { CustomerBillingDetails } from '../domain/customer.ts';
import type { Invoice } from '../domain/invoice.ts';
import type { ProviderIdentity } from '../domain/providerIdentity.ts';
import { fontRuns, openFont, type FontFamily, type FontWeight } from './unicodeFonts.ts';

export interface InvoicePdfInput {
  invoice: Invoice;
  /** Name and id, and the billing details where there are some. */
  customer: Pick<Customer, 'id' | 'name'> & Partial<CustomerBillingDetails>;
  /** The sender; without one the document says "confbill". */
  provider?: ProviderIdentity;
  /** The bytes of the provider's logo (PNG or JPEG), printed above the sender block. */
  logo?: Buffer;
  /** Approval date of an approved invoice, creation date of a draft (YYYY-MM-DD). */
  issueDate: string;
}

type PdfDoc = InstanceType<typeof PDFDocument>;

// A4 in points. Pages after the first keep a band above the top margin for the "continued" line.
const pageWidth = 595.28;
const pageHeight = 841.89;
const margins = { top: 78, left: 50, right: 50, bottom: 62 };
const headerTop = 44;
const contentWidth = pageWidth - margins.left - margins.right;
const bottomLimit = pageHeight - margins.bottom;
const gap = 4;
const cellPadding = 3;
const grey = '#555555';
const rule = '#bbbbbb';

interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
}

function tableColumns(currency: string): Column[] {
  return [
    { title: 'Description', width: 200, align: 'left' },
    { title: 'Period', width: 62, align: 'left' },
    { title: 'Quantity', width: 78, align: 'right' },
    { title: 'Unit price', width: 65, align: 'right' },
    { title: `Amount (${currency})`, width: contentWidth - 200 - 62 - 78 - 65 - 4 * gap, align: 'right' },
  ];
}

const unitNames: Record<InvoiceLine['unit'], [string, string]> = {
  minute: ['minute', 'minutes'],
  day: ['day', 'days'],
  'entity-day': ['entity-day', 'entity-days'],
  'port-minute': ['port-minute', 'port-minutes'],
  unit: ['unit', 'units'],
  percent: ['%', '%'],
};

function quantityText(line: InvoiceLine): string {
  const [one, many] = unitNames[line.unit];
  return `${line.quantity} ${line.quantity === '1' ? one : many}`;
}

function descriptionText(line: InvoiceLine): string {
  const calls = line.calls === undefined ? '' : ` (${line.calls} ${line.calls === 1 ? 'call' : 'calls'})`;
  return `${line.description}${calls}${line.late ? ' (late*)' : ''}`;
}

/** The weight and size set by `font`, in which `text` draws whichever family each character needs. */
const currentFont = new WeakMap<PdfDoc, { weight: FontWeight; size: number }>();
const registered = new WeakMap<PdfDoc, Set<string>>();

function useFamily(doc: PdfDoc, family: FontFamily): void {
  const weight = currentFont.get(doc)?.weight ?? 'regular';
  const name = `${family}-${weight}`;
  const fonts = registered.get(doc) ?? new Set<string>();
  registered.set(doc, fonts);
  // Registered on first use: a document with no Japanese text never opens the Japanese font.
  // PDFKit takes an opened font (anything with `layout`) as well as a file; its types know only files.
  if (!fonts.has(name)) doc.registerFont(name, openFont(family, weight) as unknown as Buffer);
  fonts.add(name);
  doc.font(name);
}

/** Line breaks as "\n", tabs as spaces; any other control character (the configuration refuses them, a note may hold one) as a space. */
function printable(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(/[^\P{Cc}\n]/gu, ' ');
}

/** The height of a text that may be drawn in more than one family: the tallest of them. */
function measure(doc: PdfDoc, value: string, options: PDFKit.Mixins.TextOptions = {}): number {
  const shown = printable(value);
  const families = [...new Set(fontRuns(shown).map((r) => r.family))];
  let height = 0;
  for (const family of families.length ? families : (['latin'] as const)) {
    useFamily(doc, family);
    height = Math.max(height, doc.heightOfString(shown, options));
  }
  useFamily(doc, 'latin');
  return height;
}

/**
 * Draws a text at (x, y) and returns the y below it. Each character is drawn in a family that has
 * it (unicodeFonts.ts): a run of another script continues the line in its own font.
 */
function text(doc: PdfDoc, value: string, x: number, y: number, textOptions: PDFKit.Mixins.TextOptions = {}): number {
  const shown = printable(value);
  const runs = fontRuns(shown);
  // Every family is set on the baseline of the Latin one (PDFKit would put each at its own ascent), so
  // that a Japanese run continues a Latin line, and a Japanese cell lines up with its row.
  const { weight, size } = currentFont.get(doc) ?? { weight: 'regular', size: 12 };
  const latin = openFont('latin', weight);
  const options = { ...textOptions, baseline: -((latin.ascent / latin.unitsPerEm) * size) } as PDFKit.Mixins.TextOptions;
  if (runs.length <= 1) {
    useFamily(doc, runs[0]?.family ?? 'latin');
    doc.text(shown, x, y, options);
    const height = doc.heightOfString(shown, options);
    useFamily(doc, 'latin');
    return y + height;
  }
  // Line by line: PDFKit drops a line break at the end of a continued run.
  let lineY = y;
  for (const line of shown.split('\n')) {
    const lineRuns = fontRuns(line);
    if (lineRuns.length === 0) {
      lineY += doc.currentLineHeight(true);
      continue;
    }
    lineRuns.forEach((run, i) => {
      useFamily(doc, run.family);
      const runOptions = { ...options, continued: i < lineRuns.length - 1 };
      if (i === 0) doc.text(run.text, x, lineY, runOptions);
      else doc.text(run.text, runOptions);
    });
    lineY = doc.y;
  }
  useFamily(doc, 'latin');
  return lineY;
}

function font(doc: PdfDoc, bold: boolean, size: number, color = '#000000'): void {
  currentFont.set(doc, { weight: bold ? 'bold' : 'regular', size });
  useFamily(doc, 'latin');
  doc.fontSize(size).fillColor(color);
}

/** Lines of a multi-line text, blank ones left out. */
function linesOf(value: string | null | undefined): string[] {
  return (value ?? '').split(/\r\n|\r|\n/).filter((l) => l.trim() !== '');
}

const logoBox = { width: 160, height: 48 };

/** The sender: logo, name, postal address, tax id and e-mail, as on a letterhead. */
function drawSender(doc: PdfDoc, input: InvoicePdfInput, left: number, width: number): number {
  const { provider } = input;
  let y = headerTop;
  if (input.logo) {
    doc.image(input.logo, left, y, { fit: [logoBox.width, logoBox.height] });
    y += logoBox.height + 8;
  }
  font(doc, true, 13);
  y = text(doc, provider?.name ?? 'confbill', left, y, { width }) + 2;
  font(doc, false, 9);
  for (const line of linesOf(provider?.address)) y = text(doc, line, left, y, { width });
  if (provider?.taxId) y = text(doc, `VAT ID: ${provider.taxId}`, left, y, { width });
  if (provider?.email) y = text(doc, provider.email, left, y, { width });
  return y;
}

/** The customer as an accountant files the invoice: name, billing address, tax id, e-mail, references. */
function drawBillTo(doc: PdfDoc, input: InvoicePdfInput, left: number, startY: number, width: number): number {
  const { customer } = input;
  font(doc, true, 8, grey);
  let y = text(doc, 'BILL TO', left, startY) + 3;
  font(doc, true, 11);
  y = text(doc, customer.name, left, y, { width }) + 1;
  font(doc, false, 9);
  for (const line of linesOf(customer.billingAddress)) y = text(doc, line, left, y, { width });
  const details: string[] = [];
  if (customer.taxId) details.push(`VAT ID: ${customer.taxId}`);
  if (customer.email) details.push(`E-mail: ${customer.email}`);
  details.push(`Customer ID: ${customer.id}`);
  if (customer.customerReference) details.push(`Your reference: ${customer.customerReference}`);
  if (linesOf(customer.billingAddress).length > 0) y += 3;
  for (const line of details) y = text(doc, line, left, y, { width });
  return y;
}

/** Who approved and when (UTC, to the minute); invoices approved before approvers were recorded name none. */
function approvalText(invoice: Invoice): string {
  const at = invoice.approvedAt ? `${invoice.approvedAt.slice(0, 10)} ${invoice.approvedAt.slice(11, 16)} UTC` : '';
  return [invoice.approvedBy ? `by ${invoice.approvedBy}` : '', at].filter(Boolean).join(', ') || 'yes';
}

function drawFirstPageHeader(doc: PdfDoc, input: InvoicePdfInput, title: string): number {
  const { invoice } = input;
  const left = margins.left;
  const senderWidth = 250;
  const metaLeft = left + senderWidth + 20;
  const metaWidth = contentWidth - senderWidth - 20;

  const senderY = drawSender(doc, input, left, senderWidth);

  font(doc, true, 22, invoice.status === 'draft' ? '#b00000' : '#000000');
  let metaY = text(doc, title, metaLeft, headerTop - 4, { width: metaWidth, align: 'right' }) + 6;
  const lastDay = addDays(invoice.to, -1);
  const meta: [string, string][] = [
    ['Invoice number', invoice.number === null ? 'none yet (draft)' : String(invoice.number)],
    [invoice.status === 'draft' ? 'Draft date' : 'Invoice date', input.issueDate],
    ['Period', `${invoice.from} – ${lastDay}`],
    ['Currency', invoice.currency],
    ['Reference', invoice.id],
  ];
  if (invoice.status === 'approved') meta.push(['Approved', approvalText(invoice)]);
  const labelWidth = 80;
  for (const [label, value] of meta) {
    font(doc, false, 8.5, grey);
    text(doc, label, metaLeft, metaY, { width: labelWidth });
    font(doc, false, label === 'Reference' ? 7.5 : 8.5);
    metaY = Math.max(metaY + 12, text(doc, value, metaLeft + labelWidth, metaY, { width: metaWidth - labelWidth, align: 'right' }) + 2);
  }

  const y = drawBillTo(doc, input, left, Math.max(senderY, metaY) + 18, senderWidth + 100);
  return y + 18;
}

function drawContinuationHeader(doc: PdfDoc, input: InvoicePdfInput, title: string): void {
  font(doc, false, 8.5, grey);
  text(doc, `${input.provider?.name ?? 'confbill'} · ${title} · ${input.customer.name} (continued)`, margins.left, headerTop, { width: contentWidth, height: 11, ellipsis: true });
  doc.moveTo(margins.left, headerTop + 14).lineTo(margins.left + contentWidth, headerTop + 14).lineWidth(0.5).strokeColor(rule).stroke();
}

function rowHeight(doc: PdfDoc, cells: readonly string[], columns: readonly Column[]): number {
  return Math.max(...cells.map((c, i) => measure(doc, c, { width: columns[i]!.width }))) + 2 * cellPadding;
}

function drawRow(doc: PdfDoc, cells: readonly string[], columns: readonly Column[], y: number): void {
  let x = margins.left;
  columns.forEach((col, i) => {
    text(doc, cells[i] ?? '', x, y + cellPadding, { width: col.width, align: col.align });
    x += col.width + gap;
  });
}

function drawTableHeader(doc: PdfDoc, columns: readonly Column[], y: number): number {
  font(doc, true, 8.5);
  const titles = columns.map((c) => c.title);
  const height = rowHeight(doc, titles, columns);
  doc.rect(margins.left - cellPadding, y, contentWidth + 2 * cellPadding, height).fillColor('#e8e8e8').fill();
  font(doc, true, 8.5);
  drawRow(doc, titles, columns, y);
  return y + height;
}

function newPage(doc: PdfDoc): number {
  doc.addPage();
  return margins.top;
}

function drawLines(doc: PdfDoc, lines: readonly InvoiceLine[], columns: readonly Column[], startY: number): number {
  let y = drawTableHeader(doc, columns, startY);
  lines.forEach((line, index) => {
    const cells = [descriptionText(line), line.period, quantityText(line), line.unitPrice ?? '', line.amount];
    font(doc, false, 9);
    const height = rowHeight(doc, cells, columns);
    if (y + height > bottomLimit) y = drawTableHeader(doc, columns, newPage(doc));
    if (index % 2 === 1) doc.rect(margins.left - cellPadding, y, contentWidth + 2 * cellPadding, height).fillColor('#f5f5f5').fill();
    font(doc, false, 9, line.late ? '#7a4a00' : '#000000');
    drawRow(doc, cells, columns, y);
    y += height;
  });
  doc.moveTo(margins.left - cellPadding, y).lineTo(margins.left + contentWidth + cellPadding, y).lineWidth(0.5).strokeColor(rule).stroke();
  return y;
}

/** Subtotal of the priced lines, each tax line, and the invoice total, under the amount column. */
function drawTotals(doc: PdfDoc, invoice: Invoice, columns: readonly Column[], startY: number): number {
  const taxLines = invoice.lines.filter((l) => l.kind === 'tax');
  const rows: [string, string][] = [];
  if (taxLines.length > 0) {
    const subtotal = sumAmounts(invoice.lines.filter((l) => l.kind !== 'tax').map((l) => amountOf(l.amount)));
    rows.push(['Subtotal', formatInCurrency(subtotal, invoice.currency)]);
    for (const t of taxLines) rows.push([t.description, t.amount]);
  }
  const needed = rows.length * 15 + 32;
  let y = startY + 8;
  if (y + needed > bottomLimit) y = newPage(doc);
  const labelLeft = margins.left + columns[0]!.width + columns[1]!.width + 2 * gap;
  const boxWidth = margins.left + contentWidth - labelLeft;
  for (const [label, value] of rows) {
    font(doc, false, 9);
    const labelBottom = text(doc, label, labelLeft, y, { width: boxWidth - 80 });
    text(doc, value, labelLeft, y, { width: boxWidth, align: 'right' });
    y = Math.max(y + 15, labelBottom + 4);
  }
  doc.moveTo(labelLeft, y).lineTo(labelLeft + boxWidth, y).lineWidth(1).strokeColor('#000000').stroke();
  y += 6;
  font(doc, true, 11);
  text(doc, 'Total', labelLeft, y, { width: boxWidth - 80 });
  text(doc, `${invoice.total} ${invoice.currency}`, labelLeft, y, { width: boxWidth, align: 'right' });
  return y + 24;
}

function drawClosingText(doc: PdfDoc, input: InvoicePdfInput, startY: number): void {
  const { invoice } = input;
  const paragraphs: { heading?: string; body: string }[] = [];
  if (invoice.lines.some((l) => l.late)) {
    paragraphs.push({ body: `* Late items: usage dated before ${invoice.from} that no earlier invoice included; it is billed here with its own period.` });
  }
  if (invoice.status === 'draft') paragraphs.push({ body: 'This is a draft for review: it has no invoice number yet and is not a request for payment.' });
  if (invoice.notes) paragraphs.push({ heading: 'Notes', body: invoice.notes });
  // Last, where an accountant paying the invoice looks for them.
  if (input.provider?.paymentDetails) {
    const reference = invoice.status === 'approved' && invoice.number !== null ? `\nPlease give the invoice number ${invoice.number} as the reference of your payment.` : '';
    paragraphs.push({ heading: 'Payment details', body: `${input.provider.paymentDetails}${reference}` });
  }
  let y = startY;
  for (const p of paragraphs) {
    font(doc, false, 8.5);
    const height = (p.heading ? 13 : 0) + Math.min(measure(doc, p.body, { width: contentWidth }), 60);
    if (y + height > bottomLimit) y = newPage(doc);
    if (p.heading) {
      font(doc, true, 9);
      y = text(doc, p.heading, margins.left, y) + 2;
    }
    font(doc, false, 8.5, p.heading ? '#000000' : grey);
    // Long notes flow onto further pages on their own; doc.y is where PDFKit left off.
    text(doc, p.body, margins.left, y, { width: contentWidth });
    y = doc.y + 8;
  }
}

/**
 * Headers of continued pages, footers and the draft watermark go on at the end, when the number of
 * pages is known (and not from a page event, which would change the font of text flowing across).
 */
function finishPages(doc: PdfDoc, input: InvoicePdfInput, title: string): void {
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would make PDFKit start yet another page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const footerY = pageHeight - 40;
    doc.moveTo(margins.left, footerY - 6).lineTo(margins.left + contentWidth, footerY - 6).lineWidth(0.5).strokeColor(rule).stroke();
    if (i > start) drawContinuationHeader(doc, input, title);
    font(doc, false, 8, grey);
    text(doc, `${input.provider?.name ?? 'confbill'} · ${title} · ${input.customer.name}`, margins.left, footerY, { width: contentWidth - 100, height: 10, ellipsis: true });
    text(doc, `Page ${i - start + 1} of ${count}`, margins.left + contentWidth - 90, footerY, { width: 90, align: 'right', lineBreak: false });
    if (input.invoice.status === 'draft') {
      doc.save();
      doc.rotate(-50, { origin: [pageWidth / 2, pageHeight / 2] });
      font(doc, true, 150);
      doc.fillColor('#b00000', 0.1);
      const width = doc.widthOfString('DRAFT');
      doc.text('DRAFT', pageWidth / 2 - width / 2, pageHeight / 2 - 75, { lineBreak: false });
      doc.restore();
    }
    doc.page.margins.bottom = bottom;
  }
}

/**
 * docs/billing-rules.md §8 "Export": the invoice as a document a customer can receive. A4, sender and customer blocks,
 * the number (or DRAFT and a watermark), the period with its last day, one row per line with
 * quantity and unit price, late items marked, subtotal, tax and total in the invoice currency, notes,
 * the table header repeated and "Page n of m" on every page. Amounts are printed exactly as the
 * invoice holds them; nothing is recomputed but the subtotal, which is the sum of rounded lines.
 */
export async function invoicePdf(input: InvoicePdfInput): Promise<Buffer> {
  const { invoice } = input;
  const title = invoice.status === 'draft' || invoice.number === null ? 'DRAFT' : `Invoice ${invoice.number}`;
  const stamp = invoice.approvedAt ?? invoice.createdAt;
  const doc = new PDFDocument({
    size: 'A4',
    margins,
    bufferPages: true,
    info: {
      Title: `${title} – ${input.customer.name}`,
      Author: input.provider?.name ?? 'confbill',
      Subject: `Invoice ${invoice.id}, ${invoice.from} – ${addDays(invoice.to, -1)}`,
      Creator: 'confbill',
      // The invoice's own date rather than the export time, so that exporting twice gives the same document.
      ...(stamp ? { CreationDate: new Date(stamp) } : {}),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  const columns = tableColumns(invoice.currency);
  let y = drawFirstPageHeader(doc, input, title);
  y = drawLines(doc, invoice.lines.filter((l) => l.kind !== 'tax'), columns, y);
  y = drawTotals(doc, invoice, columns, y);
  drawClosingText(doc, input, y);
  finishPages(doc, input, title);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
