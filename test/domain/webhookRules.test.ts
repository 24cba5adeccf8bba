import { describe, expect, it } from 'vitest';
import { checkedWebhookEvents, checkedWebhookUrl } from '../../src/domain/webhookEndpoint.ts';
import { nextWebhookAttemptAt, webhookRetryDelayMs } from '../../src/domain/webhookRetrySchedule.ts';

describe('webhook endpoints', () => {
  it('takes http and https URLs, normalized, and refuses others and credentials', () => {
    expect(checkedWebhookUrl('https://Billing.Example.com/hooks?x=1')).toBe('https://billing.example.com/hooks?x=1');
    expect(checkedWebhookUrl('http://10.0.0.5:8080')).toBe('http://10.0.0.5:8080/');
    for (const bad of ['ftp://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'example.com/hooks', '', ' https://example.com/', 'https://exa\nmple.com/', `https://example.com/${'a'.repeat(2048)}`]) {
      expect(() => checkedWebhookUrl(bad)).toThrow(/is not an http:\/\/ or https:\/\/ URL of at most 2048 characters: give one such as https:\/\/billing\.example\.com\/confbill-events\.$/);
    }
    expect(() => checkedWebhookUrl('https://user:pw@example.com/')).toThrow('The webhook URL "example.com…" holds a user name or password: give the URL without them (the signature authenticates each event to the receiver).');
  });

  it('takes known events, each once, and at least one', () => {
    expect(checkedWebhookEvents(['invoice.approved', ' calls.untracked', 'invoice.approved'])).toEqual(['invoice.approved', 'calls.untracked']);
    expect(() => checkedWebhookEvents(['invoice.paid'])).toThrow('"invoice.paid" is not a webhook event: use invoice.generated, invoice.approved, invoice.deleted, calls.untracked.');
    expect(() => checkedWebhookEvents(['__proto__'])).toThrow('"__proto__" is not a webhook event');
    expect(() => checkedWebhookEvents(['', ' '])).toThrow('A webhook needs at least one event: use invoice.generated, invoice.approved, invoice.deleted, calls.untracked.');
  });
});

describe('webhook retries', () => {
  it('doubles the delay from 30 s up to 6 h, and gives up after 15 attempts or 3 days', () => {
    expect([1, 2, 3, 4, 10, 11, 12, 14].map((n) => webhookRetryDelayMs(n) / 1000)).toEqual([30, 60, 120, 240, 15360, 21600, 21600, 21600]);
    const created = Date.parse('2026-11-01T00:00:00Z');
    expect(nextWebhookAttemptAt(1, created, created)).toBe(created + 30_000);
    expect(nextWebhookAttemptAt(14, created, created + 3600_000)).toBe(created + 3600_000 + 6 * 3600_000);
    expect(nextWebhookAttemptAt(15, created, created + 3600_000)).toBeUndefined();
    // An event 2.9 days old whose next attempt would come after 3 days is given up.
    expect(nextWebhookAttemptAt(12, created, created + 2.9 * 86_400_000)).toBeUndefined();
    expect(nextWebhookAttemptAt(1, created, created + 2.9 * 86_400_000)).toBe(created + 2.9 * 86_400_000 + 30_000);
  });
});
