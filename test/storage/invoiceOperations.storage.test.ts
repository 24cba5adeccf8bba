import { beforeAll, describe, expect, it } from 'vitest';
import { approve, deleteDraft, generateInvoicesPerCustomer, setDraftNotes, showInvoice } from '../../src/services/invoicing.ts';
import { exportInvoice } from '../../src/services/exportInvoice.ts';
import { approvedInvoiceIntegrity } from '../../src/storage/approvedInvoiceIntegrity.ts';
import type { Database } from '../../src/storage/database.ts';
import { listInvoices } from '../../src/storage/invoiceStore.ts';
import type { Invoice } from '../../src/domain/invoice.ts';
import { applyYaml } from '../support/billingFixtures.ts';
import { databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

const now = new Date('2026-12-01T00:00:00Z');
const october = { from: '2026-10-01', to: '2026-11-01', now };

// Issue 9 §8, §12, §13: invoices named by number, generation that makes no empty invoice and no second
// draft for a range, and the approver recorded with the approval.
describe.each(databaseKinds)('invoice operations on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));
  let draft!: Invoice;

  beforeAll(async () => {
    await applyYaml(db, `
customers:
  - { id: op-free, name: Free Inc, matching: [{ kind: domain, value: op-free.example }] }
  - { id: op-paid, name: Paid Inc, matching: [{ kind: domain, value: op-paid.example }] }
plans:
  - { id: op-free-plan, copyOf: pay-as-you-go, monthlyFee: "0" }
  - { id: op-paid-plan, copyOf: pay-as-you-go, monthlyFee: "31.00" }
assignments:
  - { customer: op-free, plan: op-free-plan, from: 2026-10-01 }
  - { customer: op-paid, plan: op-paid-plan, from: 2026-10-01 }
`);
  });

  it('generates no empty invoice, and no second draft for a range a draft already covers', async () => {
    const customerIds = ['op-free', 'op-paid'];
    const first = await generateInvoicesPerCustomer(db, { customerIds, ...october, actor: 'test' });
    expect(first.map((o) => [o.customerId, o.result])).toEqual([['op-free', 'nothing-to-bill'], ['op-paid', 'created']]);
    draft = first[1]!.result === 'created' ? first[1]!.invoices[0]! : draft;
    expect(draft.total).toBe('31.00');

    const again = await generateInvoicesPerCustomer(db, { customerIds, ...october, actor: 'test' });
    expect(again).toEqual([
      { customerId: 'op-free', result: 'nothing-to-bill' },
      { customerId: 'op-paid', result: 'draft-exists', drafts: [{ id: draft.id, currency: 'EUR', from: '2026-10-01', to: '2026-11-01' }] },
    ]);
    // Any overlap counts: half of October and half of November is still October's draft.
    const overlapping = await generateInvoicesPerCustomer(db, { customerIds: ['op-paid'], from: '2026-10-15', to: '2026-11-15', now: new Date('2026-11-16T00:00:00Z'), actor: 'test' });
    expect(overlapping.map((o) => o.result)).toEqual(['draft-exists']);
    expect((await listInvoices(db, { customerIds })).map((i) => [i.customerId, i.total])).toEqual([['op-paid', '31.00']]);
  });

  it('records who approved an invoice and when, and finds it by its number as well as by its id', async () => {
    await setDraftNotes(db, draft.id, 'Thank you', 'test');
    const approved = await approve(db, draft.id, { user: 'alice' });
    expect(approved).toMatchObject({ status: 'approved', approvedBy: 'alice', approvedAt: expect.stringMatching(/^20\d\d-/) });
    for (const reference of [String(approved.number), `#${approved.number}`, draft.id]) expect((await showInvoice(db, reference)).id).toBe(draft.id);
    expect((await listInvoices(db, { customerIds: ['op-paid'] }))[0]).toMatchObject({ approvedBy: 'alice', approvedAt: approved.approvedAt });
    // The frozen document holds the approver too, and verify still finds it equal to the invoice.
    expect((await approvedInvoiceIntegrity(db)).find((r) => r.invoiceId === draft.id)).toMatchObject({ verdict: 'ok', matchesInvoice: true });
    const csv = (await exportInvoice(db, String(approved.number), 'csv')).content.toString();
    expect(csv).toContain(draft.id);

    await expect(deleteDraft(db, String(approved.number), 'test')).rejects.toThrow(`Invoice ${approved.number} is approved: it can never be deleted or changed.`);
    await expect(showInvoice(db, '999')).rejects.toThrow('No invoice with number 999: numbers are given at approval.');
    await expect(showInvoice(db, 'no-such-id')).rejects.toThrow('No invoice with id "no-such-id": give an invoice id or the number of an approved invoice.');
  });

  it('records the database role as approver when no user is given', async () => {
    const [created] = await generateInvoicesPerCustomer(db, { customerIds: ['op-paid'], from: '2026-11-01', to: '2026-12-01', now: new Date('2026-12-02T00:00:00Z'), actor: 'test' });
    const invoice = created!.result === 'created' ? created!.invoices[0]! : undefined;
    const [{ role }] = (await db.query<{ role: string }>('SELECT session_user AS role')) as [{ role: string }];
    expect((await approve(db, invoice!.id)).approvedBy).toBe(role);
  });
});
