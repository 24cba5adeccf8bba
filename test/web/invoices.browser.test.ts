import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfPages } from '../support/pdfPages.ts';
import { databaseKinds } from '../support/testDatabases.ts';
import { addManualLine, approveInvoice, downloadInvoicePdf, expectNoApproveOffered, generateInvoice, shownMoney, submitGenerate } from './steps/invoiceSteps.ts';
import { expectAccessible, newPage, screenshot, signIn, type PageProblems } from './support/browser.ts';
import type { WebAdminServer } from './support/webAdminServer.ts';
import { useWebAdmin } from './support/useWebAdmin.ts';

interface ApiInvoice {
  id: string;
  customerId: string;
  currency: string;
  total: string;
  number: number | null;
  lines: { kind: string; amount: string; description: string }[];
}

/** Cents of a two-decimal amount, exactly. */
const cents = (amount: string): bigint => BigInt(amount.replace('.', '').replace(/^(-?)0+(?=\d)/, '$1'));
const fromCents = (value: bigint): string => {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
};

/** Axe on the page at rest: after the notifications of the last action have closed (their close button is Mantine's, unnamed). */
async function expectAccessibleAtRest(page: Page, where: string): Promise<void> {
  await expect.poll(() => page.locator('.mantine-Notification-root').count(), { timeout: 15_000 }).toBe(0);
  await expectAccessible(page, where);
}

describe.each(databaseKinds)('invoices on %s', (kind) => {
  let server: WebAdminServer;
  let browser: Browser;
  let page: Page;
  let problems: PageProblems;

  const apiGet = async <T,>(path: string): Promise<T> => {
    const answer = await page.request.get(`${server.url}${path}`);
    expect(answer.status(), path).toBe(200);
    return (await answer.json()) as T;
  };
  const draftOf = async (customerId: string): Promise<ApiInvoice> => {
    const listed = await apiGet<{ items: ApiInvoice[] }>(`/api/v1/invoices?customer=${customerId}&status=draft`);
    expect(listed.items).toHaveLength(1);
    return listed.items[0]!;
  };

  useWebAdmin(kind, (started, launched) => {
    server = started;
    browser = launched;
  });
  beforeAll(async () => {
    ({ page, problems } = await newPage(browser));
  }, 120_000);

  it('the history lists the October drafts with their totals in the currency format and filters by customer', async () => {
    await signIn(page, server.url, server.admin.name, server.admin.password);
    await page.goto(`${server.url}/invoices`);
    const table = page.getByRole('table', { name: 'Invoices' });
    await table.waitFor();
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(10);
    const first = rows.filter({ hasText: 'cust-0001' });
    expect(await first.textContent()).toContain('€573.10');
    expect(await first.textContent()).toContain('Draft');
    expect(await first.textContent()).toContain('Oct 1, 2026 – Oct 31, 2026');
    expect(await rows.filter({ hasText: 'cust-0010' }).textContent()).toContain('¥625,040');
    await expectAccessibleAtRest(page, 'invoice history');
    if (kind === 'pglite') await screenshot(page, 'invoices-list');

    const customers = page.getByRole('combobox', { name: 'Customers' });
    await customers.click();
    await customers.fill('cust-0002');
    await page.getByRole('option', { name: /^cust-0002 / }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
    expect(await rows.first().textContent()).toContain('€597.60');

    // Only approved invoices: none yet, and the empty state says what to do.
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Approved' }).click();
    await expect.poll(() => page.getByText('No invoice matches these filters').count(), { timeout: 15_000 }).toBe(1);
  });

  it('a range ending after now is refused with the settlement delay explained: the customer, the day and when it will be allowed in its time zone', async () => {
    const customer = await apiGet<{ timezone: string | null }>('/api/v1/customers/cust-0003');
    const settings = await apiGet<{ timezone: string; settlementDelayMinutes: number }>('/api/v1/settings');
    const timeZone = customer.timezone ?? settings.timezone;
    await submitGenerate(page, server.url, { customerId: 'cust-0003', from: '2026-11-01', lastDay: '2026-11-20' });
    const alert = page.getByRole('alert').filter({ hasText: 'Too early to invoice' });
    await alert.waitFor();
    const text = (await alert.textContent())!;
    // The end of 20 Nov in the customer's zone plus the delay, as the browser (en-US, dateStyle medium) writes it.
    const midnight = Date.UTC(2026, 10, 21);
    const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(midnight).map((p) => [p.type, p.value]));
    const offset = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute)) - midnight;
    const allowed = new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(midnight - offset + settings.settlementDelayMinutes * 60_000);
    expect(text).toContain('Invoices for cust-0003 up to Nov 20, 2026 can be generated from ');
    expect(text).toContain(`can be generated from ${allowed} ${timeZone}`);
    expect(text).toContain(`settlement delay of ${settings.settlementDelayMinutes} minutes`);
    await expectAccessibleAtRest(page, 'generate form');
    // Nothing was generated: cust-0003 still has its one October draft.
    expect((await draftOf('cust-0003')).total).toBe('525.91');
  });

  it('a deleted draft is generated again with the same total', async () => {
    const draft = await draftOf('cust-0002');
    await page.goto(`${server.url}/invoices/${draft.id}`);
    await page.getByTestId('invoice-total').waitFor();
    expect(await page.getByTestId('invoice-total').textContent()).toBe('€597.60');
    await page.getByRole('button', { name: 'Delete draft' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent(), { timeout: 15_000 }).toContain('return to non-invoiced');
    await dialog.getByRole('button', { name: 'Delete draft' }).click();
    await page.waitForURL(/\/invoices$/);
    expect((await apiGet<{ items: ApiInvoice[] }>('/api/v1/invoices?customer=cust-0002')).items).toEqual([]);

    const again = await generateInvoice(page, server.url, { customerId: 'cust-0002', from: '2026-10-01', lastDay: '2026-10-31' });
    expect(again).not.toBe(draft.id);
    expect(await page.getByTestId('invoice-total').textContent()).toBe('€597.60');
    expect((await apiGet<ApiInvoice>(`/api/v1/invoices/${again}`)).total).toBe('597.60');

    // Generating the same range again skips the customer and says why.
    await submitGenerate(page, server.url, { customerId: 'cust-0002', from: '2026-10-01', lastDay: '2026-10-31' });
    await expect.poll(() => page.getByRole('list', { name: 'Outcome per customer' }).textContent(), { timeout: 15_000 }).toContain('skipped, a draft already covers part of this range');
  });

  it('a manual line changes the total by its amount with the tax of the settings; approval gives a number; the PDF has both; the preview is in the page', async () => {
    const draft = await draftOf('cust-0001');
    const settings = await apiGet<{ taxRatePercent: string }>('/api/v1/settings');
    const description = 'Extra bridge support, October';
    await addManualLine(page, server.url, draft.id, { description, quantity: '2', unitPrice: '12.50' });

    // The new subtotal is the old one plus 2 × 12.50; the tax is the settings' rate on it, rounded half up to cents.
    const subtotal = draft.lines.filter((l) => l.kind !== 'tax').reduce((sum, l) => sum + cents(l.amount), 0n) + 2500n;
    const [whole, fraction = ''] = settings.taxRatePercent.split('.');
    const rateScale = 10n ** BigInt(fraction.length);
    const rate = BigInt(`${whole}${fraction}`);
    const tax = (subtotal * rate * 2n + 100n * rateScale) / (200n * rateScale);
    const expected = fromCents(subtotal + tax);
    expect(draft.total).toBe('573.10');
    expect(await page.getByTestId('invoice-subtotal').textContent()).toBe(shownMoney(fromCents(subtotal), 'EUR'));
    expect(await page.getByTestId('invoice-tax').textContent()).toBe(shownMoney(fromCents(tax), 'EUR'));
    expect(await page.getByTestId('invoice-total').textContent()).toBe(shownMoney(expected, 'EUR'));
    const row = page.getByRole('table', { name: 'Invoice lines' }).getByRole('row').filter({ hasText: description });
    expect(await row.textContent()).toContain('€12.50');
    expect(await row.textContent()).toContain('€25.00');

    await page.getByRole('textbox', { name: 'Notes printed on the invoice' }).fill('Thank you for the October meetings.');
    await page.getByRole('button', { name: 'Save notes' }).click();
    await expect.poll(async () => (await apiGet<{ notes: string | null }>(`/api/v1/invoices/${draft.id}`)).notes, { timeout: 15_000 }).toBe('Thank you for the October meetings.');

    await expect.poll(() => page.locator('iframe[title^="Preview of the PDF"]').getAttribute('src'), { timeout: 15_000 }).toBe(`/api/v1/invoices/${draft.id}/pdf?disposition=inline`);
    await expectAccessibleAtRest(page, 'invoice page (draft)');
    await page.mouse.wheel(0, -10_000);
    if (kind === 'pglite') await screenshot(page, 'invoice-detail');

    // Validation as you type: a unit price with a comma says how to write it.
    await page.getByRole('textbox', { name: /^Unit price/ }).fill('12,50');
    await expect.poll(() => page.getByText('Write the unit price as a number with a dot for decimals').count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole('textbox', { name: /^Unit price/ }).fill('');


    const number = await approveInvoice(page, server.url, draft.id);
    expect(number).toBe(1);
    expect(await page.getByTestId('invoice-total').textContent()).toBe(shownMoney(expected, 'EUR'));
    expect(await page.getByRole('button', { name: 'Add line' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete draft' }).count()).toBe(0);
    await expectAccessibleAtRest(page, 'invoice page (approved)');

    const text = (await pdfPages(await downloadInvoicePdf(page, server.url, draft.id))).join('\n');
    expect(text).toContain(description);
    expect(text).toMatch(new RegExp(`\\b${number}\\b`));
    expect(text).toContain(expected);
    expect(text).not.toContain('DRAFT');

    // The history shows it approved, with its number and approver.
    await page.goto(`${server.url}/invoices`);
    const approvedRow = page.getByRole('table', { name: 'Invoices' }).locator('tbody tr').filter({ hasText: 'cust-0001' });
    await expect.poll(() => approvedRow.textContent(), { timeout: 15_000 }).toContain(`#${number}`);
    expect(await approvedRow.textContent()).toContain('admin');
    expect(problems.errors).toEqual([]);
  });

  it('a manual line can be removed again: the draft is back to its total', async () => {
    const draft = await draftOf('cust-0005');
    await addManualLine(page, server.url, draft.id, { description: 'Credit for a lost bridge', quantity: '1', unitPrice: '-40' });
    expect(await page.getByTestId('invoice-total').textContent()).toBe('€2,158.70');
    await page.getByRole('button', { name: 'Remove the line Credit for a lost bridge' }).click();
    await expect.poll(() => page.getByTestId('invoice-total').textContent(), { timeout: 15_000 }).toBe('€2,198.70');
    expect(await page.getByRole('table', { name: 'Invoice lines' }).getByText('Credit for a lost bridge').count()).toBe(0);
    expect((await apiGet<ApiInvoice>(`/api/v1/invoices/${draft.id}`)).total).toBe('2198.70');
  });

  it('an approver is offered approve but no edit; a viewer sees the invoices but no generate, edit, delete or approve control', async () => {
    const approverPassword = await server.addUser('alma', 'approver');
    const approver = await newPage(browser);
    await signIn(approver.page, server.url, 'alma', approverPassword);
    const forApproval = await draftOf('cust-0006');
    await approver.page.goto(`${server.url}/invoices/${forApproval.id}`);
    await approver.page.getByTestId('invoice-total').waitFor();
    expect(await approver.page.getByRole('button', { name: 'Approve invoice' }).count()).toBe(1);
    for (const control of ['Add line', 'Save notes', 'Delete draft']) expect(await approver.page.getByRole('button', { name: control }).count(), control).toBe(0);
    expect(approver.problems.errors).toEqual([]);
    await approver.context.close();

    const password = await server.addUser('vera', 'viewer');
    const viewer = await newPage(browser);
    await signIn(viewer.page, server.url, 'vera', password);
    const draft = await draftOf('cust-0004');
    await expectNoApproveOffered(viewer.page, server.url, draft.id);
    expect(await viewer.page.getByTestId('invoice-total').textContent()).toBe('€1,042.70');
    for (const control of ['Add line', 'Save notes', 'Delete draft']) expect(await viewer.page.getByRole('button', { name: control }).count(), control).toBe(0);
    await viewer.page.goto(`${server.url}/invoices`);
    await viewer.page.getByRole('table', { name: 'Invoices' }).waitFor();
    expect(await viewer.page.getByRole('link', { name: 'Generate invoices' }).count()).toBe(0);
    expect(viewer.problems.errors).toEqual([]);
    await viewer.context.close();
  });
});
