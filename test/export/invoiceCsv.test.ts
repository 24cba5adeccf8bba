import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { amountOf, formatFixed, sumAmounts } from '../../src/domain/money.ts';
import { invoiceCallsCsv, invoiceCallsCsvColumns, type RatedInvoiceCall } from '../../src/export/invoiceCallsCsv.ts';
import { invoiceCsv, invoiceCsvColumns } from '../../src/export/invoiceCsv.ts';
import { sampleInvoice } from './sampleInvoice.ts';

const acme = { id: 'acme', name: 'Acme Corp' };

function parseCsv(csv: string): { header: string[]; rows: Record<string, string>[] } {
  const [header] = parse(csv, { to_line: 1 }) as string[][];
  return { header: header!, rows: parse(csv, { columns: true }) as Record<string, string>[] };
}

describe('invoiceCsv', () => {
  it('has one row per line that round-trips through a CSV parser, amounts summing to the total', () => {
    const invoice = sampleInvoice({ callLines: 2, status: 'approved' });
    const { header, rows } = parseCsv(invoiceCsv(invoice, acme));
    expect(header).toEqual([...invoiceCsvColumns]);
    // 1500.00 + 3.50 (100 min) + 3.54 (101 min × 0.035 = 3.535) + 0.24 − 3.00 = 1504.28; tax 25 % = 376.07.
    expect(rows.map((r) => [r.position, r.kind, r.quantity, r.unit, r.unitPrice, r.amount, r.late])).toEqual([
      ['1', 'monthly-fee', '31', 'day', '48.387', '1500.00', 'false'],
      ['2', 'call-charges', '100', 'minute', '0.035', '3.50', 'false'],
      ['3', 'call-charges', '101', 'minute', '0.035', '3.54', 'false'],
      ['4', 'call-charges', '12', 'minute', '0.02', '0.24', 'true'],
      ['5', 'adjustment', '-60', 'minute', '', '-3.00', 'false'],
      ['6', 'tax', '25', 'percent', '', '376.07', 'false'],
    ]);
    expect(invoice.total).toBe('1880.35');
    expect(formatFixed(sumAmounts(rows.map((r) => amountOf(r.amount!))), 2)).toBe(invoice.total);
    expect(rows[1]).toMatchObject({ invoiceId: invoice.id, invoiceNumber: '1042', status: 'approved', customerId: 'acme', customerName: 'Acme Corp', currency: 'EUR', from: '2026-10-01', to: '2026-11-01', calls: '2', planId: 'cc20', period: '2026-10' });
    expect(rows[4]!.calls).toBe('');
  });

  it('leaves the number of a draft empty', () => {
    const { rows } = parseCsv(invoiceCsv(sampleInvoice({ callLines: 1, status: 'draft' }), acme));
    expect(rows.every((r) => r.invoiceNumber === '' && r.status === 'draft')).toBe(true);
  });

  it('makes formula-like names and descriptions inert', () => {
    const invoice = sampleInvoice({ callLines: 1, status: 'draft', description: '@SUM(A1:A9)' });
    const { rows } = parseCsv(invoiceCsv(invoice, { id: 'evil', name: '=HYPERLINK("http://evil","x")' }));
    expect(rows[0]!.customerName).toBe(`'=HYPERLINK("http://evil","x")`);
    expect(rows[1]!.description).toBe("'@SUM(A1:A9) 1");
    expect(rows.find((r) => r.kind === 'adjustment')!.amount).toBe('-3.00');
  });
});

describe('invoiceCallsCsv', () => {
  const base: Omit<RatedInvoiceCall, 'externalId' | 'startedAt' | 'durationSeconds' | 'billedMinutes' | 'amount'> = {
    date: '2026-10-05', source: 'bridge-1', conferenceId: 'conf-1', localAlias: 'room@acme.example', remoteAlias: 'bob@elsewhere.example',
    category: 'video', direction: 'outbound', planId: 'acme-im', planVersion: 2, includedMinutes: null, overageMinutes: null,
    rateFound: true, startupCharge: '0.50', perMinute: '0.035', currency: 'EUR',
  };
  const calls: RatedInvoiceCall[] = [
    { ...base, externalId: 'c1', startedAt: '2026-10-05T07:00:00.000Z', durationSeconds: 61, billedMinutes: 2, amount: '0.57', includedMinutes: 2, overageMinutes: 0 },
    { ...base, externalId: 'c2', startedAt: '2026-10-05T10:00:00.000Z', durationSeconds: 150, billedMinutes: 3, amount: '0.605', includedMinutes: 1, overageMinutes: 2, remoteAlias: "=cmd|' /C calc'!A0" },
    { ...base, externalId: 'c3', startedAt: '2026-10-06T10:00:00.000Z', durationSeconds: 30, billedMinutes: 1, amount: '0', category: 'audio', direction: 'inbound', rateFound: false, startupCharge: null, perMinute: null, localAlias: '+4721001234' },
  ];

  it('has one row per rated call with its pool attribution and its exact, unrounded charge', () => {
    const invoice = sampleInvoice({ callLines: 1, status: 'approved' });
    const { header, rows } = parseCsv(invoiceCallsCsv(invoice, acme, calls));
    expect(header).toEqual([...invoiceCallsCsvColumns]);
    expect(rows.map((r) => [r.externalId, r.startedAt, r.durationSeconds, r.billedMinutes, r.includedMinutes, r.overageMinutes, r.rateFound, r.startupCharge, r.perMinute, r.amount])).toEqual([
      ['c1', '2026-10-05T07:00:00.000Z', '61', '2', '2', '0', 'true', '0.50', '0.035', '0.57'],
      ['c2', '2026-10-05T10:00:00.000Z', '150', '3', '1', '2', 'true', '0.50', '0.035', '0.605'],
      ['c3', '2026-10-06T10:00:00.000Z', '30', '1', '', '', 'false', '', '', '0'],
    ]);
    expect(rows[0]).toMatchObject({ invoiceId: invoice.id, invoiceNumber: '1042', customerId: 'acme', customerName: 'Acme Corp', date: '2026-10-05', source: 'bridge-1', conferenceId: 'conf-1', category: 'video', direction: 'outbound', planId: 'acme-im', planVersion: '2', currency: 'EUR' });
    expect(sumAmounts(rows.map((r) => amountOf(r.amount!))).toFixed()).toBe('1.175');
  });

  it('makes formula-like aliases inert and keeps the plus of a phone number visible', () => {
    const { rows } = parseCsv(invoiceCallsCsv(sampleInvoice({ callLines: 1, status: 'draft' }), acme, calls));
    expect(rows[1]!.remoteAlias).toBe(`'=cmd|' /C calc'!A0`);
    expect(rows[2]!.localAlias).toBe("'+4721001234");
  });

  it('is a header alone for an invoice without calls', () => {
    const csv = invoiceCallsCsv(sampleInvoice({ callLines: 0, status: 'draft' }), acme, []);
    expect(csv).toBe(`${invoiceCallsCsvColumns.join(',')}\r\n`);
  });
});
