import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { chooseOption } from './callDataSteps.ts';

const roleOption = (role: string) => new RegExp(`^${role} —`);

/**
 * Creates an API key on Settings › API keys and returns its secret, after checking the page says it is
 * shown once and that it is gone once the operator says it is stored (the list shows only its prefix).
 */
export async function createApiKey(page: Page, baseUrl: string, key: { name: string; role: string }): Promise<string> {
  await page.goto(`${baseUrl}/settings/keys`);
  await page.getByLabel('Key name').fill(key.name);
  await chooseOption(page, 'Key role', roleOption(key.role));
  await page.getByRole('button', { name: 'Create API key' }).click();
  const shown = page.getByRole('region', { name: 'New API key' });
  await shown.waitFor();
  expect(await shown.textContent()).toContain('shown this once');
  const secret = (await page.getByTestId('new-api-key-secret').textContent())!.trim();
  expect(secret).toMatch(/^cbk_/);
  await page.getByRole('button', { name: 'I have stored the key' }).click();
  await page.getByTestId('new-api-key-secret').waitFor({ state: 'detached' });
  const row = page.getByTestId(`api-key-${key.name}`);
  await row.waitFor();
  const prefix = (await row.getByTestId('api-key-prefix').textContent())!.replace('…', '');
  expect(secret).toContain(prefix);
  expect(await page.content()).not.toContain(secret);
  return secret;
}

/** Adds a user on Settings › Users and waits for it in the list with its role. */
export async function addUser(page: Page, baseUrl: string, user: { name: string; role: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/settings/users`);
  await page.getByLabel('User name').fill(user.name);
  await chooseOption(page, 'Role', roleOption(user.role));
  await page.getByRole('textbox', { name: 'Password' }).fill(user.password);
  await page.getByRole('button', { name: 'Add user' }).click();
  const row = page.getByTestId(`user-${user.name}`);
  await row.waitFor();
  expect(await row.textContent()).toContain(user.role);
}
