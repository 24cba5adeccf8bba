import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/testDatabases.ts';
import { addRuleForUntracked, previewNonInvoiced, viewPortChart } from './steps/reportSteps.ts';
import { expectAccessible, newPage, screenshot, signIn } from './support/browser.ts';
import type { WebAdminServer } from './support/webAdminServer.ts';
import { useWebAdmin } from './support/useWebAdmin.ts';

interface UntrackedCall {
  localAlias: string | null;
  reason: string;
}
interface PeakPorts {
  ports: number | null;
  peak: number;
  to: string;
  points: { at: string; ports: number }[];
}
interface UsageRow {
  month: string;
  billedMinutes: number;
  poolMinutes: number | null;
  byCategoryDirection: { category: string; direction: string; billedMinutes: number }[];
}
interface Preview {
  customerId: string;
  currency: string | null;
  total: string | null;
}

describe.each(databaseKinds)('reports on %s', (kind) => {
  let server: WebAdminServer;
  let browser: Browser;
  useWebAdmin(kind, (started, launched) => {
    server = started;
    browser = launched;
  });

  /** What the API answers the demo's administrator key (the page must show the same). */
  async function apiGet<T>(path: string): Promise<T> {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${server.adminKey}` } });
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  }

  it('the untracked report shows the 137 calls and their reasons; the shortcut adds a rule for an alias and the count drops by its calls', async () => {
    const { page, problems, context } = await newPage(browser);
    await signIn(page, server.url, server.admin.name, server.admin.password);
    const untracked = (await apiGet<{ items: UntrackedCall[] }>('/api/v1/reports/untracked?limit=500')).items;
    expect(untracked).toHaveLength(137);

    await page.goto(`${server.url}/reports`);
    await page.getByRole('tab', { name: 'Untracked calls' }).click();
    await expect.poll(() => page.getByTestId('untracked-count').textContent(), { timeout: 20_000 }).toBe('137');
    const byReason = new Map<string, number>();
    for (const c of untracked) byReason.set(c.reason, (byReason.get(c.reason) ?? 0) + 1);
    for (const [reason, count] of byReason) expect(await page.getByTestId(`reason-${reason}`).getByRole('cell').nth(1).textContent()).toBe(String(count));
    expect(await page.getByRole('table', { name: 'Calls' }).getByRole('columnheader', { name: 'Start (UTC)' }).count()).toBe(1);
    if (kind === 'pglite') await screenshot(page, 'reports-untracked');

    // The alias with the most untracked calls goes to a pay-as-you-go customer.
    const perAlias = new Map<string, number>();
    for (const c of untracked) if (c.localAlias) perAlias.set(c.localAlias, (perAlias.get(c.localAlias) ?? 0) + 1);
    const [alias, calls] = [...perAlias].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]!;
    const { before, after } = await addRuleForUntracked(page, server.url, { alias, customerId: 'cust-0003' });
    expect([before, after]).toEqual([137, 137 - calls]);
    const rules = await apiGet<{ items: { kind: string; value?: string }[] }>('/api/v1/customers/cust-0003/matching-rules');
    expect(rules.items.at(-1)).toMatchObject({ kind: 'alias', value: alias });
    const left = (await apiGet<{ items: UntrackedCall[] }>('/api/v1/reports/untracked?limit=500')).items;
    expect(left).toHaveLength(137 - calls);
    expect(left.some((c) => c.localAlias === alias)).toBe(false);
    // The shared notification's close button has no name (reported); axe runs once it has closed itself.
    await expect.poll(() => page.locator('.mantine-Notification-root').count(), { timeout: 20_000 }).toBe(0);
    await expectAccessible(page, 'reports-untracked');
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('the port chart of cust-0001 in October shows the pool of 10 and the peak the API gives, the overage shaded', async () => {
    const { page, problems, context } = await newPage(browser);
    await signIn(page, server.url, server.admin.name, server.admin.password);
    const report = await apiGet<PeakPorts>('/api/v1/reports/peak-ports?customer=cust-0001&month=2026-10');
    expect(report.ports).toBe(10);

    const { peak, pool } = await viewPortChart(page, server.url, { customerId: 'cust-0001', month: '2026-10' });
    expect({ peak, pool }).toEqual({ peak: report.peak, pool: 10 });
    expect(peak).toBeGreaterThan(pool);
    let overage = 0;
    report.points.forEach((p, i) => (overage += Math.max(0, p.ports - 10) * Math.round((Date.parse(report.points[i + 1]?.at ?? report.to) - Date.parse(p.at)) / 60_000)));
    expect(await page.getByTestId('overage-port-minutes').textContent()).toBe(String(overage));
    // A concurrent-calls plan has no minute pool: the page says so instead of drawing one.
    expect(await page.getByText('No included minutes this month').count()).toBe(1);

    // Zoomed to the day of the peak, the band above the pool is wide enough to see.
    await page.getByRole('combobox', { name: 'Zoom to' }).click();
    await page.getByRole('option', { name: new RegExp(`: peak ${report.peak} \\(over the pool\\)`) }).first().click();
    const chart = page.getByRole('img', { name: /^Peak ports per minute of cust-0001/ });
    await expect.poll(() => chart.getByText('12:00', { exact: true }).count(), { timeout: 20_000 }).toBe(1);
    await page.mouse.move(0, 0);
    if (kind === 'pglite') await screenshot(page, 'reports-usage');
    await expectAccessible(page, 'reports-usage');
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('the included-minutes chart of cust-0005 shows the pool of 3000 and the minutes by category and direction', async () => {
    const { page, problems, context } = await newPage(browser);
    await signIn(page, server.url, server.admin.name, server.admin.password);
    const usage = (await apiGet<{ items: UsageRow[] }>('/api/v1/reports/usage?customer=cust-0005')).items.find((r) => r.month === '2026-10')!;
    expect(usage.poolMinutes).toBe(3000);

    await page.goto(`${server.url}/reports/usage`);
    await expect.poll(() => page.getByText('Choose a customer', { exact: true }).count(), { timeout: 20_000 }).toBe(1);
    await page.getByRole('combobox', { name: 'Customer', exact: true }).fill('cust-0005');
    await page.getByRole('option', { name: /^cust-0005 ·/ }).click();
    // The month defaults to the latest with calls: October.
    await expect.poll(() => page.getByTestId('pool-minutes').textContent(), { timeout: 20_000 }).toBe('3000');
    expect(await page.getByRole('button', { name: 'Month' }).textContent()).toBe('2026-10');
    expect(await page.getByTestId('billed-minutes').textContent()).toBe(String(usage.billedMinutes));
    const minutes = page.getByRole('img', { name: /^Billed minutes of cust-0005 through 2026-10 against an included pool of 3000 minutes/ });
    await expect.poll(() => minutes.locator('.recharts-line-curve').count(), { timeout: 20_000 }).toBe(2);
    expect(await page.getByText('No port pool this month').count()).toBe(1);

    const categories = page.getByRole('img', { name: /^Billed minutes of cust-0005 in 2026-10 by category and direction/ });
    await expect.poll(() => categories.locator('.recharts-bar-rectangle').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const video = page.getByTestId('category-direction-chart').getByRole('row', { name: /^video / });
    const inbound = usage.byCategoryDirection.find((r) => r.category === 'video' && r.direction === 'inbound')!.billedMinutes;
    const outbound = usage.byCategoryDirection.find((r) => r.category === 'video' && r.direction === 'outbound')!.billedMinutes;
    expect(await video.getByRole('cell').allTextContents()).toEqual(['video', String(inbound), String(outbound)]);
    await expectAccessible(page, 'reports-usage-included-minutes');
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('the non-invoiced preview of two customers shows the totals the API previews, in each currency', async () => {
    const { page, problems, context } = await newPage(browser);
    await signIn(page, server.url, server.admin.name, server.admin.password);
    const previews = (await apiGet<{ items: Preview[] }>('/api/v1/reports/non-invoiced?customer=cust-0001&customer=cust-0010')).items;
    const money = (amount: string, currency: string) => new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount as Intl.StringNumericLiteral);
    const expected: Record<string, string[]> = {};
    for (const p of previews) if (p.currency && p.total) (expected[p.customerId] ??= []).push(money(p.total, p.currency));
    expect(Object.keys(expected).sort()).toEqual(['cust-0001', 'cust-0010']);

    const shown = await previewNonInvoiced(page, server.url, ['cust-0001', 'cust-0010']);
    expect(shown).toEqual(expected);
    // cust-0010 bills in yen: whole yen, no cents.
    expect(shown['cust-0010']![0]).toMatch(/^¥[\d,]+$/);
    expect(await page.getByTestId('preview-grand-total-JPY').textContent()).toBe(expected['cust-0010']![0]);
    if (kind === 'pglite') await screenshot(page, 'reports-non-invoiced');
    await expectAccessible(page, 'reports-non-invoiced');
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it('a viewer reads the untracked calls but is offered no shortcut (adding rules needs configure)', async () => {
    const password = await server.addUser('report-viewer', 'viewer');
    const { page, problems, context } = await newPage(browser);
    await signIn(page, server.url, 'report-viewer', password);
    await page.goto(`${server.url}/reports/untracked`);
    await expect.poll(() => page.getByTestId('untracked-count').textContent(), { timeout: 20_000 }).toMatch(/^\d+$/);
    expect(await page.getByRole('button', { name: /^Add rule or entity/ }).count()).toBe(0);
    expect(await page.getByRole('columnheader', { name: 'Match' }).count()).toBe(0);
    expect(problems.errors).toEqual([]);
    await context.close();
  });
});
