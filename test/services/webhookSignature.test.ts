import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../src/services/webhookDelivery.ts';
import { webhookSignatureHeader } from '../../src/services/webhookSignature.ts';

const secret = 'whsec_test-secret';
const body = '{"id":"e1","type":"invoice.approved","createdAt":"2026-11-02T00:00:00.000Z","data":{"total":"31.00"}}';
const t = 1_795_000_000;
const at = (seconds: number) => new Date((t + seconds) * 1000);

// Issue 10 §6: the Stripe scheme, t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>.
describe('webhook signatures', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 keyed by the secret, as a receiver can recompute', () => {
    const header = webhookSignatureHeader(secret, body, t);
    expect(header).toBe(`t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`);
    expect(verifyWebhookSignature(secret, header, body, at(0))).toBe(true);
    expect(verifyWebhookSignature(secret, header, Buffer.from(body), at(299), 300)).toBe(true);
  });

  it('fails for a changed body, a wrong secret, an old or future timestamp and a malformed header', () => {
    const header = webhookSignatureHeader(secret, body, t);
    expect(verifyWebhookSignature(secret, header, body.replace('31.00', '310.0'), at(0))).toBe(false);
    expect(verifyWebhookSignature('whsec_other', header, body, at(0))).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, at(301), 300)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, at(-301), 300)).toBe(false);
    // A signature taken from another time does not hold for a new timestamp.
    expect(verifyWebhookSignature(secret, header.replace(`t=${t}`, `t=${t + 60}`), body, at(60))).toBe(false);
    for (const bad of [undefined, '', 'v1=abc', `t=${t}`, `t=${t},v1=zz`, `t=x,v1=${'0'.repeat(64)}`, `t=${t},v1=${'0'.repeat(64)}`]) {
      expect(verifyWebhookSignature(secret, bad, body, at(0))).toBe(false);
    }
  });

  it('accepts a header with several v1 signatures when one of them verifies (a rotated secret)', () => {
    const good = webhookSignatureHeader(secret, body, t).split(',v1=')[1];
    expect(verifyWebhookSignature(secret, `t=${t},v1=${'a'.repeat(64)},v1=${good}`, body, at(0))).toBe(true);
  });

  it('verifies with the receiver example of the README as with verifyWebhookSignature', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = /\*\*Verify every request\*\*[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)![1]!;
    const folder = mkdtempSync(join(tmpdir(), 'confbill-readme-'));
    try {
      writeFileSync(join(folder, 'verify.mjs'), example);
      const { verifyConfbillSignature } = (await import(pathToFileURL(join(folder, 'verify.mjs')).href)) as { verifyConfbillSignature: (secret: string, header: string | undefined, body: string | Buffer) => boolean };
      const now = Math.floor(Date.now() / 1000);
      const header = webhookSignatureHeader(secret, body, now);
      expect(verifyConfbillSignature(secret, header, Buffer.from(body))).toBe(true);
      expect(verifyConfbillSignature(secret, header, body.replace('31.00', '31.01'))).toBe(false);
      expect(verifyConfbillSignature('whsec_other', header, body)).toBe(false);
      expect(verifyConfbillSignature(secret, webhookSignatureHeader(secret, body, now - 301), body)).toBe(false);
      expect(verifyConfbillSignature(secret, undefined, body)).toBe(false);
      expect(verifyConfbillSignature(secret, `t=${now},v1=zz`, body)).toBe(false);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
