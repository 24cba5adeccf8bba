/// <reference lib="dom" />
import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/testDatabases.ts';
import { assignPlanToCustomer, copyPlan, editCallRate, eduAssignment, eduPlan, eduRateChange, lockAndRecalculate, shownDay, unlockPlan } from './steps/planSteps.ts';
import { expectAccessible, newPage, screenshot, signIn } from './support/browser.ts';
import type { WebAdminServer } from './support/webAdminServer.ts';
import { useWebAdmin } from './support/useWebAdmin.ts';

describe.each(databaseKinds)('price plans on %s', (kind) => {
  let server: WebAdminServer;
  let browser: Browser;
  useWebAdmin(kind, (started, launched) => {
    server = started;
    browser = launched;
  });

  it('an operator copies eur-payg, edits a rate (checked as typed), locks & recalculates, moves cust-0003 to the copy, and reads the history', async () => {
    const { page, problems, context } = await newPage(browser);
    await signIn(page, server.url, server.admin.name, server.admin.password);

    await page.goto(`${server.url}/plans`);
    const list = page.getByRole('table', { name: 'Price plans' });
    await list.waitFor();
    // Templates are marked; eur-payg has cust-0003 and cust-0006.
    expect(await page.getByTestId('plan-row-pay-as-you-go').textContent()).toContain('Built-in template');
    const paygRow = await page.getByTestId('plan-row-eur-payg').textContent();
    expect(paygRow).toContain('Pay as you go (EUR)');
    expect(paygRow).toContain('EUR');
    expect(paygRow).toContain('Locked');
    await expect.poll(() => page.getByTestId('plan-row-eur-concurrent-10').locator('td').nth(4).textContent()).toBe('4');
    await expectAccessible(page, 'plans list');
    if (kind === 'pglite') await screenshot(page, 'plans-list');

    await copyPlan(page, server.url, eduPlan);
    await expectAccessible(page, 'plan page');

    // Validation as you type: nothing is saved while a field is wrong, and the field says what to fix.
    await unlockPlan(page, server.url, eduPlan.id);
    const form = page.getByRole('form', { name: 'Edit the draft' });
    const perMinute = form.getByLabel(`Per minute, ${eduRateChange.category} × ${eduRateChange.direction}`, { exact: true });
    await perMinute.fill('0,03');
    await expect.poll(() => form.getByText('Not a decimal number: write digits with a point, e.g. 12.50').count()).toBe(1);
    expect(await form.getByRole('button', { name: 'Save draft' }).isDisabled()).toBe(true);
    await form.getByLabel('Monthly fee').fill('-5');
    await expect.poll(() => form.getByText('Must not be negative').count()).toBe(1);
    await expect.poll(() => form.getByRole('status').textContent()).toBe('Fix the 2 fields marked in red to save.');
    await expectAccessible(page, 'plan edit form');
    await form.getByRole('button', { name: 'Discard changes' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toBe('No unsaved changes.');

    await editCallRate(page, server.url, eduPlan.id, eduRateChange);
    // Before the click the page says what Lock & recalculate does.
    const lockPanel = page.getByRole('region', { name: 'Lock state' });
    const before = await lockPanel.textContent();
    expect(before).toContain('Version 2 goes into force with 1 change');
    expect(before).toContain(`(${eduRateChange.category} × ${eduRateChange.direction}): ${eduRateChange.previousPerMinute} → ${eduRateChange.perMinute}`);
    expect(before).toContain('for no customer (none is on the plan)');
    expect(before).toContain('Items already in an invoice keep the version they were rated with');
    await page.evaluate(() => window.scrollTo(0, 0));
    if (kind === 'pglite') await screenshot(page, 'plan-detail');

    const lockText = await lockAndRecalculate(page, server.url, eduPlan.id);
    expect(lockText).toContain('Locked at version 2');
    expect(lockText).toContain('(changed: callRates)');
    expect(lockText).toContain('No customer is on the plan yet: nothing was recalculated.');

    // The history names the rate with its old and new value, and who changed it.
    const history = page.getByRole('table', { name: 'Plan history' });
    const rateRow = history.getByRole('row').filter({ hasText: /callRates\.\d+\.perMinute/ });
    await expect.poll(() => rateRow.count()).toBe(1);
    const cells = await rateRow.getByRole('cell').allTextContents();
    expect(cells[1]).toBe('admin');
    expect(cells[3]).toBe(eduRateChange.previousPerMinute);
    expect(cells[4]).toBe(eduRateChange.perMinute);
    // The version in force shows the new rate.
    expect(await page.getByRole('region', { name: 'In force' }).getByTestId(`rate-${eduRateChange.category}-${eduRateChange.direction}`).textContent()).toContain(`€${eduRateChange.perMinute}`);

    // cust-0003 is on eur-payg from 2026-10-01 open-ended: the page offers to end it on 31 Oct.
    await page.getByRole('form', { name: 'Assign to customers' }).getByLabel('Customers').click();
    await page.getByRole('option', { name: /\(cust-0003\)$/ }).click();
    await page.keyboard.press('Escape');
    await page.getByLabel('First day on the plan').fill(eduAssignment.from);
    await page.keyboard.press('Escape');
    const offer = page.getByRole('checkbox', { name: /^End that assignment/ });
    await expect.poll(() => offer.count()).toBe(1);
    expect(await page.getByText(/^End that assignment/).textContent()).toContain(`on ${shownDay(eduAssignment.previousLastDay)} (the day before)`);
    expect(await page.getByRole('form', { name: 'Assign to customers' }).textContent()).toContain(`is on eur-payg from ${shownDay('2026-10-01')}, open-ended`);

    const assigned = await assignPlanToCustomer(page, server.url, eduPlan.id, eduAssignment);
    expect(assigned).toContain(`eur-payg ends on ${shownDay(eduAssignment.previousLastDay)}`);
    // …and on eur-payg for October only.
    await page.goto(`${server.url}/plans/eur-payg`);
    await expect.poll(() => page.getByTestId('plan-customer-cust-0003').textContent()).toContain(`${shownDay('2026-10-01')} – ${shownDay(eduAssignment.previousLastDay)}`);
    await expectAccessible(page, 'plan page with customers');

    // The delete confirmation says what goes with the plan.
    await page.getByRole('button', { name: 'Delete plan' }).click();
    const message = await page.getByTestId('delete-plan-message').textContent();
    expect(message).toContain('This deletes the plan “Pay as you go (EUR)” (eur-payg) for good');
    expect(message).toContain('its 2 assignments — cust-0003, cust-0006 will be on no plan for those days');
    expect(message).toContain('the draft invoices that use it: cust-0003');
    expect(message).toContain('A plan that an approved invoice uses cannot be deleted');
    await page.getByRole('button', { name: 'Cancel' }).click();

    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('a save on a draft someone else changed meanwhile is refused (412), said so, and the page reloads their version', async () => {
    const { page, problems, context } = await newPage(browser);
    await signIn(page, server.url, server.admin.name, server.admin.password);
    await unlockPlan(page, server.url, 'jpy-payg');
    // Another operator (through the API) sets the monthly fee after this page read the plan.
    const auth = { authorization: `Bearer ${server.adminKey}` };
    const read = await fetch(`${server.url}/api/v1/plans/jpy-payg`, { headers: auth });
    const edited = await fetch(`${server.url}/api/v1/plans/jpy-payg`, {
      method: 'PATCH',
      headers: { ...auth, 'content-type': 'application/json', 'if-match': read.headers.get('etag')! },
      body: JSON.stringify({ changes: [{ field: 'monthlyFee', value: '1000' }] }),
    });
    expect(edited.status).toBe(200);
    const form = page.getByRole('form', { name: 'Edit the draft' });
    await form.getByLabel('Monthly fee').fill('2000');
    await form.getByRole('button', { name: 'Save draft' }).click();
    const alert = form.getByRole('alert').filter({ hasText: 'Someone else changed this plan' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('your edits were not saved');
    await alert.getByRole('button', { name: 'Reload the plan' }).click();
    await expect.poll(() => page.getByRole('form', { name: 'Edit the draft' }).getByLabel('Monthly fee').inputValue()).toBe('1000');
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('a viewer reads plans but is offered no copy, edit, lock, assign or delete', async () => {
    const password = await server.addUser('vera', 'viewer');
    const { page, problems, context } = await newPage(browser);
    await signIn(page, server.url, 'vera', password);
    await page.goto(`${server.url}/plans`);
    await page.getByRole('table', { name: 'Price plans' }).waitFor();
    expect(await page.getByRole('button', { name: 'Copy a plan' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Pay as you go (EUR)' }).click();
    await page.getByRole('heading', { level: 2, name: 'History' }).waitFor();
    expect(await page.getByTestId('plan-customer-cust-0006').textContent()).toContain(`from ${shownDay('2026-10-01')}, open-ended`);
    for (const name of ['Copy this plan', 'Delete plan', 'Unlock to edit', 'Lock & recalculate', 'Save draft', 'Assign to customer']) expect(await page.getByRole('button', { name }).count(), name).toBe(0);
    expect(await page.getByRole('form').count()).toBe(0);
    await expectAccessible(page, 'plan page (viewer)');
    // At tablet width the wide tables scroll inside their containers, not the page.
    await page.setViewportSize({ width: 820, height: 1100 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
    expect(problems.errors).toEqual([]);
    await context.close();
  });
});
