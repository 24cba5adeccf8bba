import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/testDatabases.ts';
import { expectAccessible, newPage, screenshot, signIn } from './support/browser.ts';
import type { WebAdminServer } from './support/webAdminServer.ts';
import { useWebAdmin } from './support/useWebAdmin.ts';

describe.each(databaseKinds)('sign-in on %s', (kind) => {
  let server: WebAdminServer;
  let browser: Browser;
  useWebAdmin(kind, (started, launched) => {
    server = started;
    browser = launched;
  });

  it('a wrong password is refused on the form; the demo administrator signs in and sees the role; signing out comes back to the form', async () => {
    const { page, problems, context } = await newPage(browser);
    await page.goto(`${server.url}/`);
    await expectAccessible(page, 'sign-in');
    if (kind === 'pglite') await screenshot(page, 'sign-in');
    await page.getByLabel('User name').fill('admin');
    await page.getByRole('textbox', { name: 'Password' }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The name or the password is wrong');
    await signIn(page, server.url, server.admin.name, server.admin.password);
    expect(await page.getByTestId('user-role').textContent()).toBe('admin');
    // A reload keeps the session (the cookie) and its CSRF token (read again from GET /api/v1/session).
    await page.reload();
    await expect.poll(() => page.getByTestId('user-role').textContent()).toBe('admin');
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Sign in' }).count()).toBe(1);
    expect(problems.errors).toEqual([]);
    await context.close();
  });
});
