import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** An amount as the page shows it (the browser context's locale is en-US): "€573.10". */
export function shownMoney(amount: string, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount as Intl.StringNumericLiteral);
}

async function openInvoice(page: Page, baseUrl: string, invoiceId: string): Promise<void> {
  await page.goto(`${baseUrl}/invoices/${invoiceId}`);
  await page.getByTestId('invoice-total').waitFor();
}

/** Picks one option of a Mantine MultiSelect by typing its value and clicking the option that holds it. */
async function pickCustomer(page: Page, customerId: string): Promise<void> {
  const input = page.getByRole('combobox', { name: 'Customers' });
  await input.click();
  await input.fill(customerId);
  await page.getByRole('option', { name: new RegExp(`^${customerId} `) }).click();
  await page.keyboard.press('Escape');
}

/** Types a day (YYYY-MM-DD) into a date field and leaves it. */
async function fillDay(page: Page, label: string, day: string): Promise<void> {
  const input = page.getByRole('textbox', { name: label });
  await input.fill(day);
  await page.keyboard.press('Escape');
  await expect.poll(() => input.inputValue(), { timeout: 15_000 }).toBe(day);
}

/** Fills the generate form for one customer and a range (first and last day) and submits it. */
export async function submitGenerate(page: Page, baseUrl: string, request: { customerId: string; from: string; lastDay: string }): Promise<void> {
  await page.goto(`${baseUrl}/invoices/generate`);
  await pickCustomer(page, request.customerId);
  await fillDay(page, 'First day', request.from);
  await fillDay(page, 'Last day', request.lastDay);
  await page.getByRole('button', { name: 'Generate invoices' }).click();
}

/**
 * Generates the invoices of one customer for a range in the UI; the draft made must be listed in the
 * outcomes. Opens it and returns its id (from the URL).
 */
export async function generateInvoice(page: Page, baseUrl: string, request: { customerId: string; from: string; lastDay: string }): Promise<string> {
  await submitGenerate(page, baseUrl, request);
  const link = page.getByRole('link', { name: new RegExp(`^Open the \\w+ draft of ${request.customerId}$`) });
  await link.first().click();
  await page.waitForURL(/\/invoices\/[^/]+$/);
  await page.getByTestId('invoice-total').waitFor();
  const id = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1)!);
  expect(id).not.toBe('generate');
  return id;
}

/** Adds a manual line to a draft; asserts the line is listed and the total shown is the draft's new total. */
export async function addManualLine(page: Page, baseUrl: string, invoiceId: string, line: { description: string; quantity: string; unitPrice: string }): Promise<void> {
  await openInvoice(page, baseUrl, invoiceId);
  const before = await page.getByTestId('invoice-total').textContent();
  await page.getByRole('textbox', { name: 'Description' }).fill(line.description);
  await page.getByRole('textbox', { name: 'Quantity' }).fill(line.quantity);
  await page.getByRole('textbox', { name: /^Unit price/ }).fill(line.unitPrice);
  await page.getByRole('button', { name: 'Add line' }).click();
  const lines = page.getByRole('table', { name: 'Invoice lines' });
  await lines.getByRole('row').filter({ hasText: line.description }).waitFor();
  await expect.poll(() => page.getByTestId('invoice-total').textContent(), { timeout: 15_000 }).not.toBe(before);
  // The total shown is the one the API now holds for the draft.
  const stored = (await (await page.request.get(`${baseUrl}/api/v1/invoices/${encodeURIComponent(invoiceId)}`)).json()) as { total: string; currency: string };
  expect(await page.getByTestId('invoice-total').textContent()).toBe(shownMoney(stored.total, stored.currency));
}

/** Approves a draft through its confirmation; returns the number the page then shows. */
export async function approveInvoice(page: Page, baseUrl: string, invoiceId: string): Promise<number> {
  await openInvoice(page, baseUrl, invoiceId);
  await page.getByRole('button', { name: 'Approve invoice' }).click();
  const dialog = page.getByRole('dialog');
  await expect.poll(() => dialog.textContent(), { timeout: 15_000 }).toContain('can never be edited or deleted');
  await dialog.getByRole('button', { name: 'Approve invoice' }).click();
  const number = page.getByTestId('invoice-number');
  await number.waitFor();
  const shown = Number(await number.textContent());
  expect(Number.isInteger(shown) && shown > 0).toBe(true);
  await expect.poll(() => page.getByRole('button', { name: 'Approve invoice' }).count(), { timeout: 15_000 }).toBe(0);
  return shown;
}

/** Downloads the invoice's PDF by its download link; returns the file. */
export async function downloadInvoicePdf(page: Page, baseUrl: string, invoiceId: string): Promise<Buffer> {
  await openInvoice(page, baseUrl, invoiceId);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download PDF' }).click()]);
  const file = await readFile(await download.path());
  expect(file.subarray(0, 5).toString()).toBe('%PDF-');
  return file;
}

/** The invoice page is shown (its total is visible) and no approve button is offered. */
export async function expectNoApproveOffered(page: Page, baseUrl: string, invoiceId: string): Promise<void> {
  await openInvoice(page, baseUrl, invoiceId);
  expect(await page.getByTestId('invoice-total').isVisible()).toBe(true);
  expect(await page.getByRole('button', { name: 'Approve invoice' }).count()).toBe(0);
}
