import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { pdfPages } from '../support/pdfPages.ts';
import { databaseKinds } from '../support/testDatabases.ts';
import { expectAccessible, newPage, screenshot, signIn } from './support/browser.ts';
import type { WebAdminServer } from './support/webAdminServer.ts';
import { useWebAdmin } from './support/useWebAdmin.ts';
import { confbillCsv, uploadCdrFile, type CdrRow } from './steps/callDataSteps.ts';
import { addManualLine, approveInvoice, downloadInvoicePdf, expectNoApproveOffered, generateInvoice } from './steps/invoiceSteps.ts';
import { assignPlanToCustomer, copyPlan, editCallRate, lockAndRecalculate } from './steps/planSteps.ts';
import { viewPortChart } from './steps/reportSteps.ts';

/** November's audio calls of cust-0003 from its VMR (an entity of the demo), uploaded by the operator: 50 minutes. */
const novemberCalls: CdrRow[] = [
  { callId: 'web-nov-1', start: '2026-11-02T09:00:00Z', end: '2026-11-02T09:10:00Z' },
  { callId: 'web-nov-2', start: '2026-11-04T13:30:00Z', end: '2026-11-04T13:45:00Z' },
  { callId: 'web-nov-3', start: '2026-11-06T08:15:00Z', end: '2026-11-06T08:35:00Z' },
  { callId: 'web-nov-4', start: '2026-11-10T16:45:00Z', end: '2026-11-10T16:50:00Z' },
].map((call) => ({ ...call, source: 'demo-bridge-1', category: 'audio', direction: 'outbound', protocol: 'SIP', alias: 'vmr-0003-2@vc.provider.example', remote: '+4722000000' }));

interface InvoiceJson {
  number?: number | null;
  status: string;
  total: string;
  currency: string;
  lines: { description: string; quantity: string; unitPrice: string; amount: string; kind?: string; planId?: string }[];
}

describe.each(databaseKinds)('the operator month in the browser on %s', (kind) => {
  let server: WebAdminServer;
  let browser: Browser;
  useWebAdmin(kind, (started, launched) => {
    server = started;
    browser = launched;
  });

  const apiGet = async <T>(path: string): Promise<T> => {
    const answer = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${server.adminKey}` } });
    expect(answer.status, path).toBe(200);
    return (await answer.json()) as T;
  };

  it('plan copied, a rate edited, locked & recalculated, a customer assigned, calls uploaded, invoice generated, a manual line added, approved, its PDF read, the port chart viewed', async () => {
    const { page, problems, context } = await newPage(browser);
    await signIn(page, server.url, server.admin.name, server.admin.password);

    await copyPlan(page, server.url, { from: 'eur-payg', id: 'eur-payg-edu', name: 'Pay as you go, education' });
    await editCallRate(page, server.url, 'eur-payg-edu', { category: 'audio', direction: 'outbound', perMinute: '0.04' });
    await lockAndRecalculate(page, server.url, 'eur-payg-edu');
    await assignPlanToCustomer(page, server.url, 'eur-payg-edu', { customerId: 'cust-0003', from: '2026-11-01' });

    const summary = await uploadCdrFile(page, server.url, { fileName: 'november-cust-0003.csv', content: confbillCsv(novemberCalls), format: 'confbill-csv' });
    expect(summary).toMatchObject({ read: 4, stored: 4, rejected: 0 });

    const invoiceId = await generateInvoice(page, server.url, { customerId: 'cust-0003', from: '2026-11-01', lastDay: '2026-11-15' });
    // The new plan's rate is the one billed: 50 audio minutes at 0.04 and four start-ups at 0.10 make
    // 2.40, one line whose unit price is 2.40 / 50 minutes (the old 0.045 would have made 2.65).
    const draft = await apiGet<InvoiceJson>(`/api/v1/invoices/${invoiceId}`);
    const audioMinutes = draft.lines.find((line) => line.description === 'audio outbound');
    expect(audioMinutes, JSON.stringify(draft.lines)).toMatchObject({ quantity: '50', unitPrice: '0.048', amount: '2.40', planId: 'eur-payg-edu' });

    await addManualLine(page, server.url, invoiceId, { description: 'Room set-up, 12 November', quantity: '1', unitPrice: '50.00' });
    const number = await approveInvoice(page, server.url, invoiceId);
    const approved = await apiGet<InvoiceJson>(`/api/v1/invoices/${invoiceId}`);
    expect([approved.status, String(approved.number)]).toEqual(['approved', String(number).replace(/^#/, '')]);
    expect(approved.lines.some((line) => line.description === 'Room set-up, 12 November' && line.amount === '50.00')).toBe(true);
    if (kind === 'pglite') await screenshot(page, 'operator-month-invoice');

    const pdfText = (await pdfPages(await downloadInvoicePdf(page, server.url, invoiceId))).join('\n');
    expect(pdfText).toContain('Room set-up, 12 November');
    expect(pdfText).toContain('Harbor Education ASA');
    expect(pdfText).toContain(approved.total);

    const chart = await viewPortChart(page, server.url, { customerId: 'cust-0001', month: '2026-10' });
    const peaks = await apiGet<{ peak: number; pool: number | null }>(`/api/v1/reports/peak-ports?customer=cust-0001&month=2026-10`);
    expect(chart.pool).toBe(10);
    expect(chart.peak).toBe(peaks.peak);
    await expectAccessible(page, 'usage report');
    if (kind === 'pglite') await screenshot(page, 'operator-month-port-chart');

    // The books still hold: every invariant of `confbill verify`.
    const verify = await server.cli(['verify']);
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('a viewer is offered no approve button, and the API answers 403 when it approves anyway', async () => {
    const password = await server.addUser('vera', 'viewer');
    const { page, problems, context } = await newPage(browser);
    await signIn(page, server.url, 'vera', password);
    expect(await page.getByTestId('user-role').textContent()).toBe('viewer');
    const drafts = await apiGet<{ items: { id: string; customerId: string; status: string }[] }>('/api/v1/invoices?status=draft&customer=cust-0002');
    const draftId = drafts.items[0]!.id;
    await expectNoApproveOffered(page, server.url, draftId);
    // The same call the page would make, with the viewer's session and its CSRF token.
    const status = await page.evaluate(async (id) => {
      const session = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
      const answer = await fetch(`/api/v1/invoices/${id}/approve`, { method: 'POST', headers: { 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' }, body: '{}' });
      return answer.status;
    }, draftId);
    expect(status).toBe(403);
    expect((await apiGet<{ status: string }>(`/api/v1/invoices/${draftId}`)).status).toBe('draft');
    expect(problems.errors).toEqual([]);
    await context.close();
  });
});
