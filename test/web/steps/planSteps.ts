import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Step functions of the price plans pages, driven as an operator would (roles and labels). The
 * operator-month test runs them in this order on the demo data: copyPlan → editCallRate →
 * lockAndRecalculate → assignPlanToCustomer.
 */

/** The copy the operator month makes, and the rate it changes (eur-payg: video × outbound at 0.035 a minute). */
export const eduPlan = { from: 'eur-payg', id: 'eur-payg-edu', name: 'Pay as you go, education' } as const;
export const eduRateChange = { category: 'video', direction: 'outbound', perMinute: '0.028', previousPerMinute: '0.035' } as const;
export const eduAssignment = { customerId: 'cust-0003', from: '2026-11-01', previousPlan: 'eur-payg', previousLastDay: '2026-10-31' } as const;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A calendar day as the pages show it in the test browser (en-US): "Nov 1, 2026". */
export function shownDay(day: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', dateStyle: 'medium' }).format(new Date(`${day}T00:00:00Z`));
}

async function openPlan(page: Page, baseUrl: string, planId: string): Promise<void> {
  await page.goto(`${baseUrl}/plans/${encodeURIComponent(planId)}`);
  await page.getByRole('heading', { level: 2, name: 'History' }).waitFor();
}

/** Picks an option of a Mantine Select or MultiSelect whose label ends with "(value)". */
async function pickOption(page: Page, label: string, value: string, type = false): Promise<void> {
  const input = page.getByRole('textbox', { name: label, exact: true }).or(page.getByRole('combobox', { name: label, exact: true })).first();
  await input.click();
  if (type) await input.fill(value);
  await page.getByRole('option', { name: new RegExp(`\\(${escapeRegExp(value)}\\)$`) }).click();
}

/** Copies a template or plan to a new plan with an id and name; ends on the new plan's page. */
export async function copyPlan(page: Page, baseUrl: string, copy: { from: string; id: string; name: string }): Promise<void> {
  await page.goto(`${baseUrl}/plans`);
  await page.getByRole('button', { name: 'Copy a plan' }).click();
  const dialog = page.getByRole('dialog', { name: 'Copy to a new plan' });
  await pickOption(page, 'Copy from', copy.from);
  await dialog.getByLabel('New plan id').fill(copy.id);
  await dialog.getByLabel('Name', { exact: true }).fill(copy.name);
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await page.waitForURL(`${baseUrl}/plans/${encodeURIComponent(copy.id)}`);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(copy.name);
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Locked · version 1');
}

/** Unlocks the plan when it is locked, so its draft form is shown. */
export async function unlockPlan(page: Page, baseUrl: string, planId: string): Promise<void> {
  await openPlan(page, baseUrl, planId);
  const unlock = page.getByRole('button', { name: 'Unlock to edit' });
  if (await unlock.isVisible()) await unlock.click();
  await page.getByRole('form', { name: 'Edit the draft' }).waitFor();
}

/** Changes one per-minute rate of the call-rate table (unlocking first), saves, and checks the saved value is shown. */
export async function editCallRate(page: Page, baseUrl: string, planId: string, rate: { category: string; direction: string; perMinute: string }): Promise<void> {
  await unlockPlan(page, baseUrl, planId);
  const form = page.getByRole('form', { name: 'Edit the draft' });
  const field = form.getByLabel(`Per minute, ${rate.category} × ${rate.direction}`, { exact: true });
  await field.fill(rate.perMinute);
  await expect.poll(() => form.getByRole('status').textContent()).toBe('1 unsaved change.');
  await form.getByRole('button', { name: 'Save draft' }).click();
  await expect.poll(() => page.getByRole('form', { name: 'Edit the draft' }).getByRole('status').textContent()).toBe('No unsaved changes.');
  expect(await page.getByLabel(`Per minute, ${rate.category} × ${rate.direction}`, { exact: true }).inputValue()).toBe(rate.perMinute);
  // The saved draft differs from the version in force by that rate.
  await expect.poll(() => page.getByTestId('pending-changes').textContent()).toMatch(new RegExp(`callRates\\.\\d+\\.perMinute \\(${escapeRegExp(rate.category)} × ${escapeRegExp(rate.direction)}\\): \\S+ → ${escapeRegExp(rate.perMinute)}`));
}

/** Locks the plan (confirming the dialog); checks it shows locked and returns the result text. */
export async function lockAndRecalculate(page: Page, baseUrl: string, planId: string): Promise<string> {
  await openPlan(page, baseUrl, planId);
  await page.getByRole('button', { name: 'Lock & recalculate', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Lock & recalculate ${planId}` });
  await dialog.getByRole('button', { name: 'Lock & recalculate now' }).click();
  const result = page.getByTestId('lock-result');
  await result.waitFor();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Locked · version \d+/);
  expect(await page.getByRole('button', { name: 'Lock & recalculate', exact: true }).count()).toBe(0);
  return (await result.textContent()) ?? '';
}

/**
 * Assigns a customer to the plan from a day (to a last day, else open-ended). When the customer's
 * current plan overlaps, the page offers to end it the day before: the step accepts that. Checks the
 * customer is on the plan with its range; returns the page's summary of what was done.
 */
export async function assignPlanToCustomer(page: Page, baseUrl: string, planId: string, assignment: { customerId: string; from: string; lastDay?: string }): Promise<string> {
  await openPlan(page, baseUrl, planId);
  const form = page.getByRole('form', { name: 'Assign to customers' });
  await pickOption(page, 'Customers', assignment.customerId, true);
  await page.keyboard.press('Escape');
  await form.getByLabel('First day on the plan').fill(assignment.from);
  if (assignment.lastDay) await form.getByLabel('Last day on the plan (optional)').fill(assignment.lastDay);
  await page.keyboard.press('Escape');
  const ending = form.getByRole('checkbox', { name: /^End that assignment/ });
  if ((await ending.count()) > 0) expect(await ending.isChecked()).toBe(true);
  await form.getByRole('button', { name: /^Assign/ }).click();
  const result = page.getByTestId('assign-result');
  await expect.poll(() => result.textContent()).toContain(assignment.customerId);
  const text = (await result.textContent()) ?? '';
  expect(text).not.toMatch(/Not every customer/);
  const range = assignment.lastDay ? `${shownDay(assignment.from)} – ${shownDay(assignment.lastDay)}` : `from ${shownDay(assignment.from)}, open-ended`;
  await expect.poll(() => page.getByTestId(`plan-customer-${assignment.customerId}`).filter({ hasText: range }).count()).toBe(1);
  return text;
}
