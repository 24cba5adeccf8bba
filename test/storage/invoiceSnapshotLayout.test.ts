import { describe, expect, it } from 'vitest';
import { documentInCurrentLayout, type FormatOneDocument } from '../../src/storage/invoiceSnapshotStore.ts';
import { sampleInvoice } from '../export/sampleInvoice.ts';

// Documents frozen before billing details existed (format 1) print as they did: no bill-to details,
// the provider's tax id under its earlier name `vatId`.
describe('frozen documents of format 1', () => {
  it('are read in the current layout with nothing added', () => {
    const invoice = sampleInvoice({ callLines: 1, status: 'approved' });
    const old: FormatOneDocument = {
      format: 1,
      invoice,
      customer: { id: 'acme', name: 'Acme Corp', timezone: 'Europe/Oslo' },
      provider: { name: 'Nordic Video AS', address: 'Storgata 1', email: 'billing@nordicvideo.example', vatId: 'NO 912 345 678 MVA' },
      timeZone: 'Europe/Oslo',
      issueDate: '2026-11-03',
      calls: [],
    };
    expect(documentInCurrentLayout(old)).toEqual({
      ...old,
      format: 2,
      customer: { id: 'acme', name: 'Acme Corp', timezone: 'Europe/Oslo', billingAddress: null, email: null, taxId: null, customerReference: null },
      provider: { name: 'Nordic Video AS', address: 'Storgata 1', email: 'billing@nordicvideo.example', taxId: 'NO 912 345 678 MVA' },
    });
    expect(documentInCurrentLayout({ ...old, provider: null }).provider).toBeNull();
  });
});
