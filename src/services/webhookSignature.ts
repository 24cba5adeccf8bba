import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `Confbill-Signature` header of a delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256>`, the MAC
 * keyed with the endpoint's signing secret (its UTF-8 text, `whsec_…` included) over `<t>.<body>`
 * (the scheme of Stripe's webhooks). Signing the time stops an old delivery from being replayed.
 */
export function webhookSignatureHeader(secret: string, body: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${webhookSignature(secret, body, timestampSeconds)}`;
}

function webhookSignature(secret: string, body: string | Buffer, timestampSeconds: number | string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
}

/**
 * What a receiver runs on each request: true when `header` (the `Confbill-Signature` value) holds a
 * `v1` signature of the raw `body` by `secret` and its time is within `toleranceSeconds` of `now`.
 * The body must be the bytes received, before any JSON parsing.
 */
export function verifyWebhookSignature(secret: string, header: string | undefined, body: string | Buffer, now: Date = new Date(), toleranceSeconds = 300): boolean {
  if (typeof header !== 'string') return false;
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value !== undefined) timestamp = value;
    else if (key === 'v1' && value !== undefined) signatures.push(value);
  }
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(webhookSignature(secret, body, timestamp), 'hex');
  return signatures.some((s) => /^[0-9a-f]{64}$/i.test(s) && timingSafeEqual(Buffer.from(s, 'hex'), expected));
}
