import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * The customer pages as an operator drives them, by roles and labels. Each step waits for its
 * result and asserts it; the coordinator's operator-month test reuses them.
 */

/** How long a step waits for the page to show an answer (re-matching calls after a rule change takes a moment). */
export const wait = { timeout: 20_000 };

const customerPath = (customerId: string) => `/customers/${encodeURIComponent(customerId)}`;

/** Opens the customer's page and waits for its name (the page title); returns the name. */
export async function openCustomer(page: Page, baseUrl: string, customerId: string): Promise<string> {
  await page.goto(`${baseUrl}${customerPath(customerId)}`);
  const heading = page.getByRole('heading', { level: 1 });
  await heading.waitFor();
  // The id is under the title: the page is this customer's and its data arrived (not the loading block).
  await expect.poll(() => page.getByRole('main').getByText(customerId, { exact: true }).count(), wait).toBeGreaterThan(0);
  const name = (await heading.textContent())?.trim() ?? '';
  expect(name).not.toBe('');
  return name;
}

/** On the customer's page (opened when the page is elsewhere). */
async function onCustomer(page: Page, baseUrl: string, customerId: string): Promise<void> {
  if (new URL(page.url(), baseUrl).pathname !== customerPath(customerId)) await openCustomer(page, baseUrl, customerId);
}

/** Tests an alias in the "Test an alias" box; returns the answer shown (matched to whom by which rule, ambiguous, or untracked). */
export async function testAlias(page: Page, baseUrl: string, customerId: string, alias: string): Promise<{ text: string }> {
  await onCustomer(page, baseUrl, customerId);
  const form = page.getByRole('form', { name: 'Test an alias' });
  await form.getByRole('textbox', { name: /^Alias to test/ }).fill(alias);
  await form.getByRole('button', { name: 'Test alias' }).click();
  const answer = page.getByTestId('alias-test-result');
  // The answer names the alias it is for, and the button stops loading once the API answered this one.
  await expect.poll(async () => (await answer.count()) > 0 && ((await answer.textContent()) ?? '').includes(alias) && (await form.getByRole('button', { name: 'Test alias' }).getAttribute('data-loading')) === null, wait).toBe(true);
  const text = ((await answer.textContent()) ?? '').trim();
  expect(text).toMatch(/Matches|Untracked|Ambiguous/);
  return { text };
}

const kindOptions: Record<string, RegExp> = { alias: /^Alias/, domain: /^Domain/, regex: /^Regular expression/, tenant: /^Tenant/, source: /^Source/, 'number-range': /^Number range/ };

/** Adds a matching rule (for number-range, value is "first-last") and asserts it is listed. */
export async function addMatchingRule(page: Page, baseUrl: string, customerId: string, rule: { kind: string; value: string }): Promise<void> {
  await onCustomer(page, baseUrl, customerId);
  const form = page.getByRole('form', { name: 'Add a matching rule' });
  await form.getByRole('combobox', { name: /^Kind/ }).click();
  await page.getByRole('option', { name: kindOptions[rule.kind] ?? new RegExp(`^${rule.kind}`, 'i') }).click();
  let shown = rule.value;
  if (rule.kind === 'number-range') {
    const [from = '', to = ''] = rule.value.split('-');
    await form.getByRole('textbox', { name: /^First number/ }).fill(from);
    await form.getByRole('textbox', { name: /^Last number/ }).fill(to);
    shown = `${from}–${to}`;
  } else {
    await form.getByRole('textbox', { name: /^Value/ }).fill(rule.value);
  }
  await form.getByRole('button', { name: 'Add rule' }).click();
  await expectListed(page.getByRole('table', { name: 'Matching rules' }).getByRole('row').filter({ hasText: shown }), form);
}

/** Waits for the row of what a form added; a refusal the form shows fails with its words. */
async function expectListed(row: Locator, form: Locator): Promise<void> {
  await expect
    .poll(async () => {
      if ((await row.count()) === 1) return 'listed';
      const alert = form.getByRole('alert');
      const invalid = form.locator('[aria-invalid="true"]');
      if ((await alert.count()) > 0) return `refused: ${await alert.first().textContent()}`;
      if ((await invalid.count()) > 0) return `refused: ${await form.textContent()}`;
      return 'waiting';
    }, wait)
    .toBe('listed');
}

/** Adds a one-off charge (amount = unit price, quantity 1; date YYYY-MM-DD) and asserts it is listed; returns the amount as shown. */
export async function addOneOffCharge(page: Page, baseUrl: string, customerId: string, charge: { description: string; amount: string; date: string }): Promise<{ amountText: string }> {
  await onCustomer(page, baseUrl, customerId);
  const form = page.getByRole('form', { name: 'Add a one-off charge' });
  await form.getByRole('textbox', { name: /^Description/ }).fill(charge.description);
  await form.getByRole('textbox', { name: /^Amount/ }).fill(charge.amount);
  const date = form.getByRole('textbox', { name: /^Date/ });
  await date.fill(charge.date);
  await date.press('Tab');
  await form.getByRole('button', { name: 'Add one-off charge' }).click();
  const row = page.getByRole('table', { name: 'One-off charges' }).getByRole('row').filter({ hasText: charge.description });
  await expectListed(row, form);
  const amountText = ((await row.getByRole('cell').nth(4).textContent()) ?? '').trim();
  expect(amountText).not.toBe('');
  return { amountText };
}
