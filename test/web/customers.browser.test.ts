import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/testDatabases.ts';
import { expectAccessible, newPage, screenshot, signIn } from './support/browser.ts';
import type { WebAdminServer } from './support/webAdminServer.ts';
import { useWebAdmin } from './support/useWebAdmin.ts';
import { addMatchingRule, addOneOffCharge, openCustomer, testAlias, wait } from './steps/customerSteps.ts';

describe.each(databaseKinds)('customers on %s', (kind) => {
  let server: WebAdminServer;
  let browser: Browser;
  /** cust-0003 of the demo: on eur-payg from 2026-10-01, its first entity vmr-0003-1 provisioned before October. */
  const customerId = 'cust-0003';
  let customerName: string;
  useWebAdmin(kind, (started, launched) => {
    server = started;
    browser = launched;
  });
  beforeAll(async () => {
    // The demo's names are drawn from a seeded generator: read this one as the API gives it.
    const answer = await fetch(`${server.url}/api/v1/customers/${customerId}`, { headers: { authorization: `Bearer ${server.adminKey}` } });
    customerName = ((await answer.json()) as { name: string }).name;
  });

  it('the administrator finds a customer by part of its name, sees its plan timeline, tests aliases, adds a rule and an entity that make aliases match, a one-off charge in euros, and edits billing details', async () => {
    const { page, problems, context } = await newPage(browser);
    await signIn(page, server.url, server.admin.name, server.admin.password);

    await page.goto(`${server.url}/customers`);
    const table = page.getByRole('table', { name: 'Customers' });
    await expect.poll(() => table.getByRole('row').count(), wait).toBe(11);
    const part = customerName.split(' ')[1]!.toLowerCase().slice(0, 5);
    await page.getByRole('textbox', { name: /^Search customers/ }).fill(part);
    const row = table.getByRole('row').filter({ hasText: customerId });
    // Every row shown (once the search answered) holds the text searched (any case), in its id or name.
    const bodyRows = table.locator('tbody tr');
    await expect.poll(async () => (await bodyRows.allTextContents()).every((text) => text.toLowerCase().includes(part)), wait).toBe(true);
    expect(await row.count()).toBe(1);
    await expect.poll(() => row.textContent(), wait).toContain('Pay as you go (EUR)');
    expect(await row.textContent()).toContain('EUR');
    expect(page.url()).toContain(`search=${part}`);
    await expectAccessible(page, 'customers list');
    if (kind === 'pglite') await screenshot(page, 'customers-list');

    await row.getByRole('link', { name: customerId }).click();
    expect(await openCustomer(page, server.url, customerId)).toBe(customerName);
    const timeline = page.getByTestId('plan-timeline');
    await expect.poll(() => timeline.textContent(), wait).toContain('eur-payg');
    expect(await timeline.textContent()).toContain('2026-10-01');
    expect(await timeline.textContent()).toContain('In force today');
    expect(await page.getByRole('region', { name: 'Billing details' }).textContent()).toContain('billing@c0003.example');

    const byEntity = await testAlias(page, server.url, customerId, 'vmr-0003-1@vc.provider.example');
    expect(byEntity.text).toContain(`Matches ${customerName}`);
    expect(byEntity.text).toContain('entity:vmr-0003-1');
    const byDomain = await testAlias(page, server.url, customerId, 'someone@c0003.example');
    expect(byDomain.text).toContain(`Matches ${customerName}`);
    expect(byDomain.text).toContain('domain c0003.example');
    const unknown = await testAlias(page, server.url, customerId, 'boardroom@partner-web-test.example');
    expect(unknown.text).toContain('Untracked');

    // A refused rule says what to fix, on its field.
    const ruleForm = page.getByRole('form', { name: 'Add a matching rule' });
    await ruleForm.getByRole('combobox', { name: /^Kind/ }).click();
    await page.getByRole('option', { name: /^Domain/ }).click();
    await ruleForm.getByRole('textbox', { name: /^Value/ }).fill('not a domain!');
    await ruleForm.getByRole('button', { name: 'Add rule' }).click();
    await expect.poll(() => ruleForm.textContent(), wait).toContain('must be a domain name');

    await addMatchingRule(page, server.url, customerId, { kind: 'alias', value: 'boardroom@partner-web-test.example' });
    // The answer shown is asked again after the change: the same alias now matches by the new rule.
    await expect.poll(() => page.getByTestId('alias-test-result').textContent(), wait).toContain(`Matches ${customerName}`);
    const matched = await testAlias(page, server.url, customerId, 'boardroom@partner-web-test.example');
    expect(matched.text).toContain('alias boardroom@partner-web-test.example');

    // An entity added with an alias makes that alias the customer's.
    const entityForm = page.getByRole('form', { name: 'Add an entity' });
    await entityForm.getByRole('textbox', { name: /^Entity id/ }).fill('vmr-web-test');
    await entityForm.getByRole('combobox', { name: /^Service type/ }).click();
    await page.getByRole('option').first().click();
    await entityForm.getByRole('textbox', { name: /^Alias/ }).fill('vmr-web-test@vc.provider.example');
    await entityForm.getByRole('button', { name: 'Add entity' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Entities' }).getByRole('row').filter({ hasText: 'vmr-web-test@vc.provider.example' }).count(), wait).toBe(1);
    const byNewEntity = await testAlias(page, server.url, customerId, 'vmr-web-test@vc.provider.example');
    expect(byNewEntity.text).toContain('entity:vmr-web-test');

    const { amountText } = await addOneOffCharge(page, server.url, customerId, { description: 'Training day', amount: '1234.50', date: '2026-11-15' });
    expect(amountText).toBe('€1,234.50');
    const charges = page.getByRole('table', { name: 'One-off charges' });
    expect(await charges.getByRole('row').filter({ hasText: 'Training day' }).textContent()).toContain('Nov 15, 2026');

    // The notifications of the changes close by themselves (Mantine's close button of a notification has no name for axe).
    await expect.poll(() => page.getByRole('alert').count(), wait).toBe(0);
    await page.getByRole('heading', { level: 1 }).scrollIntoViewIfNeeded();
    await expectAccessible(page, 'customer page');
    if (kind === 'pglite') await screenshot(page, 'customer-detail');

    // Billing details: a wrong e-mail is refused on its field, a tax id is saved and shown.
    await page.getByRole('button', { name: 'Edit billing details' }).click();
    const details = page.getByRole('form', { name: 'Billing details' });
    await details.getByRole('textbox', { name: /^E-mail/ }).fill('not-an-address');
    await details.getByRole('textbox', { name: /^Tax id/ }).fill('NO 123 456 789 MVA');
    await details.getByRole('button', { name: 'Save billing details' }).click();
    await expect.poll(() => details.getByRole('textbox', { name: /^E-mail/ }).getAttribute('aria-invalid'), wait).toBe('true');
    expect(await details.textContent()).toContain('must be an e-mail address');
    await details.getByRole('textbox', { name: /^E-mail/ }).fill('invoices@c0003.example');
    await details.getByRole('button', { name: 'Save billing details' }).click();
    const billing = page.getByRole('region', { name: 'Billing details' });
    await expect.poll(() => billing.textContent(), wait).toContain('NO 123 456 789 MVA');
    expect(await billing.textContent()).toContain('invoices@c0003.example');
    expect(await billing.textContent()).toContain('PO-0003');

    // ?alias= (the untracked-calls report's link) prefills and answers the test box.
    await page.goto(`${server.url}/customers/${customerId}?alias=${encodeURIComponent('vmr-0003-1@vc.provider.example')}`);
    await expect.poll(() => page.getByTestId('alias-test-result').textContent(), wait).toContain(`Matches ${customerName}`);
    expect(await page.getByRole('textbox', { name: /^Alias to test/ }).inputValue()).toBe('vmr-0003-1@vc.provider.example');

    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('a viewer at tablet width reads the customer page and tests aliases, and is offered no add, edit or delete', async () => {
    const password = await server.addUser('vera', 'viewer');
    // At tablet width: the sections stack and nothing makes the page scroll sideways.
    const { page, problems, context } = await newPage(browser, { width: 820, height: 1100 });
    await signIn(page, server.url, 'vera', password);
    expect(await openCustomer(page, server.url, 'cust-0005')).not.toBe('');
    // cust-0005 has the demo's one-off charge: €250.00 onboarding workshop.
    await expect.poll(() => page.getByRole('table', { name: 'One-off charges' }).textContent(), wait).toContain('€250.00');
    await expect.poll(() => page.getByRole('table', { name: 'Entities' }).getByRole('row').count(), wait).toBeGreaterThan(1);
    for (const name of [/^Add rule$/, /^Add entity$/, /^Add one-off charge$/, /^Edit billing details$/, /^Delete/, /^Remove/]) expect(await page.getByRole('button', { name }).count(), String(name)).toBe(0);
    expect(await page.getByRole('form', { name: 'Add a matching rule' }).count()).toBe(0);
    const answer = await testAlias(page, server.url, 'cust-0005', 'vmr-0005-1@vc.provider.example');
    expect(answer.text).toContain('Matches');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820);
    await expectAccessible(page, 'customer page (viewer)');
    expect(problems.errors).toEqual([]);
    await context.close();
  });
});
