import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/testDatabases.ts';
import { expectAccessible, newPage, screenshot, signIn, type PageProblems } from './support/browser.ts';
import type { WebAdminServer } from './support/webAdminServer.ts';
import { useWebAdmin } from './support/useWebAdmin.ts';
import { chooseOption, confbillCsv, CUST_0003_ALIAS, defaultUploadSource, uploadCdrFile } from './steps/callDataSteps.ts';

describe.each(databaseKinds)('call data on %s', (kind) => {
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

  it('the sources list the demo bridge with its counts and exclusions', async () => {
    await signIn(page, server.url, server.admin.name, server.admin.password);
    await page.goto(`${server.url}/calls`);
    await expect.poll(() => page.url()).toContain('/calls/sources');
    const demo = page.getByTestId('source-demo-bridge-1');
    await demo.waitFor();
    // The demo's calls came in by `confbill ingest` of a confbill-csv file, from a source not configured.
    expect(await demo.textContent()).toContain('not configured');
    const figure = async (id: string) => Number((await demo.getByTestId(id).textContent())!.replace(/\D/g, ''));
    expect(await figure('source-read')).toBe(12_000);
    expect(await figure('source-calls')).toBe(12_000);
    expect(await figure('source-rejected')).toBe(0);
    expect(await figure('source-unmatched')).toBe(137);
    await expectAccessible(page, 'call data: sources');
  });

  it('a confbill-csv of 3 good records and 1 bad is uploaded with a progress bar; 3 stored, 1 rejected with its reason', async () => {
    const call = (n: number, day: string) => ({ callId: `web-up-${n}`, start: `2026-11-${day}T09:00:00Z`, end: `2026-11-${day}T09:42:30Z`, alias: CUST_0003_ALIAS });
    const content = confbillCsv([call(1, '02'), call(2, '05'), { ...call(3, '09'), category: 'hologram' }, { ...call(4, '10'), direction: 'outbound' }]);
    await page.goto(`${server.url}/calls/upload`);
    await page.getByRole('heading', { name: 'Upload a CDR file' }).waitFor();
    await expectAccessible(page, 'call data: upload form');
    const summary = await uploadCdrFile(page, server.url, { fileName: 'november-web.csv', content, format: 'confbill-csv' });
    expect(summary).toEqual({ read: 4, stored: 3, rejected: 1, duplicates: 0 });
    const rejects = page.getByTestId('summary-rejects');
    expect(await rejects.textContent()).toContain('Line 4, field category: category "hologram" is not one of video');
    await expectAccessible(page, 'call data: ingest summary');
    if (kind === 'pglite') await screenshot(page, 'calls-upload');

    // The same file again stores nothing twice.
    const again = await uploadCdrFile(page, server.url, { fileName: 'november-web.csv', content, format: 'confbill-csv' });
    expect(again).toEqual({ read: 4, stored: 0, rejected: 1, duplicates: 3 });
  });

  it('the new source shows its counts and the rejected record is listed with file, line, field and reason', async () => {
    await page.goto(`${server.url}/calls/sources`);
    const source = page.getByTestId(`source-${defaultUploadSource}`);
    await source.waitFor();
    expect(await source.getByTestId('source-calls').textContent()).toBe('3');
    expect(await source.getByTestId('source-read').textContent()).toBe('8');
    expect(Number(await source.getByTestId('source-rejected').textContent())).toBeGreaterThanOrEqual(1);
    const rejected = page.getByRole('table', { name: 'Rejected records' }).getByRole('row').filter({ hasText: 'upload:november-web.csv' });
    await expect.poll(() => rejected.count()).toBe(1);
    const text = await rejected.textContent();
    expect(text).toContain('category "hologram" is not one of');
    expect(text).toContain(defaultUploadSource);
    await expectAccessible(page, 'call data: sources after upload');
  });

  it('call search finds the uploaded calls by alias, in the customer’s time zone, and pages the demo calls with "Load more"', async () => {
    await page.goto(`${server.url}/calls/search`);
    await page.getByRole('table', { name: 'Calls' }).waitFor();
    const firstPage = await page.getByRole('table', { name: 'Calls' }).getByRole('row').count();
    expect(firstPage).toBe(51);
    await page.getByRole('button', { name: 'Load more calls' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Calls' }).getByRole('row').count()).toBe(101);

    await page.getByLabel('Alias').fill(CUST_0003_ALIAS.toUpperCase());
    await page.getByRole('button', { name: 'Search calls' }).click();
    await expect.poll(() => page.getByTestId('call-count').textContent()).toContain('3 calls shown');
    const row = page.getByTestId('call-web-up-1');
    const text = (await row.textContent())!;
    expect(text).toContain('0:42:30');
    expect(text).toContain('matched');
    expect(text).toContain('video / inbound');
    expect(await page.getByTestId('call-web-up-4').textContent()).toContain('video / outbound');
    // Shown in the customer's zone, named.
    expect(await row.getByTestId('call-zone').textContent()).toMatch(/^[A-Za-z_]+\/[A-Za-z_]+$/);

    // The customer filter narrows to cust-0003's calls of November 2026.
    await page.getByLabel('Alias').fill('');
    await chooseOption(page, 'Customer', /\(cust-0003\)$/);
    await page.getByLabel('Started on or after (UTC)').fill('2026-11-01');
    await page.getByLabel('Started before (UTC)').fill('2026-12-01');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Search calls' }).click();
    await expect.poll(() => page.getByTestId('call-count').textContent()).toContain('3 calls shown');
    await expectAccessible(page, 'call data: search');
    if (kind === 'pglite') await screenshot(page, 'calls-search');
    expect(problems.errors).toEqual([]);
  });
});
