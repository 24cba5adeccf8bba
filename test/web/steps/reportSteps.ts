import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The number in a test id's text ("18" → 18). */
async function numberOf(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).textContent()) ?? '';
  return Number(text.replace(/[^\d.-]/g, ''));
}

/**
 * Opens the usage charts of a customer and month (the page's address holds both, as a link would)
 * and reads the peak and the pool from the port chart's text summary; asserts the chart is drawn
 * (its SVG, the pool line and the peak series) under an image role named after the data.
 */
export async function viewPortChart(page: Page, baseUrl: string, { customerId, month }: { customerId: string; month: string }): Promise<{ peak: number; pool: number }> {
  await page.goto(`${baseUrl}/reports/usage?customer=${encodeURIComponent(customerId)}&month=${encodeURIComponent(month)}`);
  await expect.poll(() => page.getByRole('combobox', { name: 'Customer', exact: true }).inputValue(), { timeout: 20_000 }).toContain(customerId);
  const chart = page.getByRole('img', { name: new RegExp(`^Peak ports per minute of ${customerId} in ${month}`) });
  await chart.waitFor();
  await expect.poll(() => chart.locator('svg.recharts-surface').count(), { timeout: 20_000 }).toBeGreaterThan(0);
  await expect.poll(() => chart.locator('.recharts-area-curve').count(), { timeout: 20_000 }).toBeGreaterThan(0);
  expect(await chart.locator('.recharts-reference-line').count()).toBe(1);
  return { peak: await numberOf(page, 'peak-ports'), pool: await numberOf(page, 'port-pool') };
}

/**
 * The non-invoiced preview for some customers, chosen in the Customers multi-select and previewed
 * with the default range: the total shown for each customer, one per currency (as on the page).
 */
export async function previewNonInvoiced(page: Page, baseUrl: string, customerIds: string[]): Promise<Record<string, string[]>> {
  await page.goto(`${baseUrl}/reports/non-invoiced`);
  const customers = page.getByRole('combobox', { name: 'Customers', exact: true });
  for (const id of customerIds) {
    await customers.fill(id);
    await page.getByRole('option', { name: new RegExp(`^${id} ·`) }).click();
  }
  await page.getByRole('button', { name: 'Preview next invoices' }).click();
  const sections = page.locator('section[data-customer]');
  await expect.poll(async () => [...new Set(await sections.evaluateAll((all) => all.map((s) => s.getAttribute('data-customer'))))].sort(), { timeout: 20_000 }).toEqual([...customerIds].sort());
  const totals: Record<string, string[]> = {};
  for (const id of customerIds) totals[id] = (await page.locator(`section[data-customer="${id}"]`).getByTestId('preview-total').allTextContents()).map((t) => t.trim());
  return totals;
}

/**
 * Uses the untracked report's shortcut: on the alias's row, adds an alias matching rule for the
 * customer; asserts the alias left the untracked list and the count of untracked calls dropped.
 */
export async function addRuleForUntracked(page: Page, baseUrl: string, { alias, customerId }: { alias: string; customerId: string }): Promise<{ before: number; after: number }> {
  await page.goto(`${baseUrl}/reports/untracked`);
  const count = page.getByTestId('untracked-count');
  await count.waitFor();
  const before = Number(await count.textContent());
  await page.getByRole('button', { name: `Add rule or entity for ${alias}` }).click();
  const dialog = page.getByRole('dialog', { name: `Match ${alias} to a customer` });
  await dialog.getByRole('combobox', { name: 'Customer', exact: true }).fill(customerId);
  await page.getByRole('option', { name: new RegExp(`^${customerId} ·`) }).click();
  await dialog.getByRole('radio', { name: `A matching rule for the alias ${alias}` }).check();
  await expect.poll(() => dialog.getByRole('link', { name: 'Test on the customer page' }).getAttribute('href'), { timeout: 20_000 }).toBe(`/customers/${customerId}?alias=${encodeURIComponent(alias)}`);
  await dialog.getByRole('button', { name: 'Add alias rule' }).click();
  await expect.poll(() => dialog.count(), { timeout: 20_000 }).toBe(0);
  await expect.poll(() => page.getByRole('button', { name: `Add rule or entity for ${alias}` }).count(), { timeout: 20_000 }).toBe(0);
  await expect.poll(async () => Number(await count.textContent()), { timeout: 20_000 }).toBeLessThan(before);
  return { before, after: Number(await count.textContent()) };
}
