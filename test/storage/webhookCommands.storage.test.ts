import { describe, expect, it } from 'vitest';
import type { WebhookEndpoint } from '../../src/domain/webhookEndpoint.ts';
import { deliverDueWebhooks } from '../../src/services/webhookDelivery.ts';
import { recordWebhookEvent } from '../../src/services/webhookEvents.ts';
import { runCli } from '../support/runCli.ts';
import { createTestDatabase, databaseKinds } from '../support/testDatabases.ts';

// Issue 10 §6: `confbill webhook add|list|disable|deliveries`.
describe.each(databaseKinds)('confbill webhook on %s', (kind) => {
  it('adds a webhook printing its secret once, lists, disables it and shows the delivery log', async () => {
    const testDb = await createTestDatabase(kind);
    const env = { ...testDb.env, CONFBILL_USER: 'alice' };
    try {
      const added = await runCli(['webhook', 'add', '--url', 'https://billing.example.com/hooks', '--events', 'invoice.approved,calls.untracked'], { env });
      expect(added.status).toBe(0);
      const lines = added.stdout.trimEnd().split('\n');
      const id = /^Webhook (\S+) added/.exec(lines[0]!)![1]!;
      expect(lines).toEqual([
        `Webhook ${id} added: https://billing.example.com/hooks receives invoice.approved, calls.untracked.`,
        'Its signing secret, shown this once (the receiver verifies the Confbill-Signature header with it):',
        expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
      ]);
      const secret = lines[2]!;

      // One event, attempted once against a receiver that answers 502.
      const db = await testDb.open();
      try {
        await db.transaction((tx) => recordWebhookEvent(tx, 'invoice.approved', { id: 'inv-1', number: 7, status: 'approved', customerId: 'acme', currency: 'EUR', from: '2026-10-01', to: '2026-11-01', total: '12.30', approvedAt: '2026-11-02T10:00:00.000Z', approvedBy: 'bob' }));
        await deliverDueWebhooks(db, { now: new Date(Date.now() + 1000), send: async () => ({ status: 502 }) });
      } finally {
        await db.close();
      }

      const disabled = await runCli(['webhook', 'disable', id], { env });
      expect([disabled.status, disabled.stdout]).toEqual([0, `Webhook ${id} disabled: no event is sent to https://billing.example.com/hooks any more.\n`]);
      const list = await runCli(['webhook', 'list', '--json'], { env });
      const webhooks = JSON.parse(list.stdout) as WebhookEndpoint[];
      expect(webhooks).toEqual([{ id, url: 'https://billing.example.com/hooks', events: ['invoice.approved', 'calls.untracked'], createdAt: expect.any(String), createdBy: 'alice', disabledAt: expect.any(String), disabledBy: 'alice' }]);
      expect(list.stdout).not.toContain(secret);

      const log = await runCli(['webhook', 'deliveries', '--webhook', id, '--status', 'failed'], { env });
      expect(log.stdout).toMatch(new RegExp(`^\\S+Z  invoice\\.approved  event \\S+  to ${id} \\(https://billing\\.example\\.com/hooks\\)  delivery \\S+: 1 attempt, failed: the webhook was disabled\\n  \\S+Z  HTTP 502 \\(\\d+ ms\\)\\n$`));
    } finally {
      await testDb.drop();
    }
  });
});
