import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/testDatabases.ts';
import { expectAccessible, newPage, screenshot, signIn, type PageProblems } from './support/browser.ts';
import type { WebAdminServer } from './support/webAdminServer.ts';
import { useWebAdmin } from './support/useWebAdmin.ts';
import { addUser, createApiKey } from './steps/settingsSteps.ts';

describe.each(databaseKinds)('settings and access on %s', (kind) => {
  let server: WebAdminServer;
  let browser: Browser;
  let page: Page;
  let context: BrowserContext;
  let problems: PageProblems;
  useWebAdmin(kind, (started, launched) => {
    server = started;
    browser = launched;
  });
  beforeAll(async () => {
    ({ page, problems, context } = await newPage(browser));
  });
  afterAll(async () => {
    await context?.close();
  });

  const apiStatus = async (secret: string) => (await fetch(`${server.url}/api/v1/customers?limit=1`, { headers: { authorization: `Bearer ${secret}` } })).status;

  it("the provider's details are shown and its tax rate edit saves", async () => {
    await signIn(page, server.url, server.admin.name, server.admin.password);
    await page.goto(`${server.url}/settings`);
    await expect.poll(() => page.url()).toContain('/settings/provider');
    await page.getByTestId('tax-rate').waitFor();
    const details = (await page.getByRole('main').textContent())!;
    expect(details).toContain('Example Video Services Ltd');
    expect(details).toContain('NO 999 999 999 MVA');
    expect(details).toContain('60 minutes after a month ends');
    expect(await page.getByTestId('tax-rate').textContent()).toBe('0 %');
    await expectAccessible(page, 'settings: provider');
    await page.getByRole('button', { name: 'Edit provider settings' }).click();
    await page.getByLabel('Tax rate (%)').fill('twenty');
    await expect.poll(() => page.getByText('A percentage from 0 to 100').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
    await page.getByLabel('Tax rate (%)').fill('12.5');
    await expectAccessible(page, 'settings: provider edit form');
    await page.getByLabel('Tax rate (%)').press('Enter');
    await expect.poll(() => page.getByTestId('tax-rate').textContent()).toBe('12.5 %');
    expect(((await (await fetch(`${server.url}/api/v1/settings`, { headers: { authorization: `Bearer ${server.adminKey}` } })).json()) as { taxRatePercent: string }).taxRatePercent).toBe('12.5');
  });

  it('an API key is created and shown once, listed by its prefix, works, and stops working once revoked', async () => {
    const secret = await createApiKey(page, server.url, { name: 'erp-export', role: 'viewer' });
    expect(await apiStatus(secret)).toBe(200);
    const row = page.getByTestId('api-key-erp-export');
    expect(await row.textContent()).toContain('viewer');
    expect(await row.getByTestId('api-key-status').textContent()).toBe('active');
    await expectAccessible(page, 'settings: API keys');
    if (kind === 'pglite') await screenshot(page, 'settings-keys');
    await row.getByRole('button', { name: 'Revoke erp-export' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke the key erp-export?' });
    expect(await dialog.textContent()).toContain('refused from the next request on');
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await expect.poll(() => row.getByTestId('api-key-status').textContent()).toMatch(/^Revoked .* by admin$/);
    expect(await row.getByRole('button', { name: 'Revoke erp-export' }).count()).toBe(0);
    expect(await apiStatus(secret)).toBe(401);
  });

  it('a user is added with a role and signs in in a new context', async () => {
    await addUser(page, server.url, { name: 'olga', role: 'billing', password: 'olga-password-2026' });
    await expectAccessible(page, 'settings: users');
    const other = await newPage(browser);
    await signIn(other.page, server.url, 'olga', 'olga-password-2026');
    expect(await other.page.getByTestId('user-role').textContent()).toBe('billing');
    // billing may not administer: the settings show the provider only.
    await other.page.goto(`${server.url}/settings/users`);
    await expect.poll(() => other.page.url()).toContain('/settings/provider');
    expect(await other.page.getByRole('tab').allTextContents()).toEqual(['Provider']);
    expect(other.problems.errors).toEqual([]);
    await other.context.close();
  });

  it('a webhook endpoint is added (its secret shown once) and the delivery log is shown', async () => {
    await page.goto(`${server.url}/settings/webhooks`);
    await page.getByText('No webhook endpoints').waitFor();
    await page.getByLabel('Endpoint URL').fill('https://erp.example.com/confbill');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const shown = page.getByRole('region', { name: 'New webhook signing secret' });
    await shown.waitFor();
    expect(await shown.textContent()).toContain('shown this once');
    await expectAccessible(page, 'settings: webhooks');
    await page.getByRole('button', { name: 'I have stored the secret' }).click();
    const endpoints = page.getByRole('table', { name: 'Webhook endpoints' });
    await endpoints.waitFor();
    expect(await endpoints.textContent()).toContain('https://erp.example.com/confbill');
    expect(await endpoints.textContent()).toContain('invoice.approved');
    expect(await page.getByText('No deliveries').count()).toBe(1);
  });

  it("the audit log lists the key's creation by admin, filtered by actor and kind", async () => {
    await page.goto(`${server.url}/settings/audit`);
    await page.getByTestId('audit-entry').first().waitFor();
    await page.getByLabel('Actor').fill('admin');
    await page.getByRole('combobox', { name: 'Object kind', exact: true }).click();
    await page.getByRole('option', { name: 'apikey' }).click();
    await page.getByRole('button', { name: 'Filter the log' }).click();
    await expect.poll(() => page.getByTestId('audit-entry').allTextContents()).toHaveLength(2);
    const [revoked, created] = await page.getByTestId('audit-entry').allTextContents();
    expect(revoked).toContain('apikey.revoked');
    expect(created).toContain('apikey.created');
    expect(created).toContain('admin');
    expect(created).toContain('name: erp-export');
    expect(created).toContain('role: viewer');
    await expectAccessible(page, 'settings: audit log');
    if (kind === 'pglite') await screenshot(page, 'settings-audit');
    expect(problems.errors).toEqual([]);
  });

  it('a viewer sees the provider only: no users, keys, webhooks or audit tabs and no edit', async () => {
    const password = await server.addUser('vera', 'viewer');
    const viewer = await newPage(browser);
    await signIn(viewer.page, server.url, 'vera', password);
    await viewer.page.goto(`${server.url}/settings`);
    await viewer.page.getByTestId('tax-rate').waitFor();
    expect(await viewer.page.getByRole('tab').allTextContents()).toEqual(['Provider']);
    expect(await viewer.page.getByRole('button', { name: 'Edit provider settings' }).count()).toBe(0);
    await viewer.page.goto(`${server.url}/settings/audit`);
    await expect.poll(() => viewer.page.url()).toContain('/settings/provider');
    await expectAccessible(viewer.page, 'settings: viewer');
    // Not offered, and refused if asked anyway.
    expect(await viewer.page.evaluate(async () => (await fetch('/api/v1/api-keys')).status)).toBe(403);
    expect(viewer.problems.errors).toEqual([]);
    await viewer.context.close();
  });
});
