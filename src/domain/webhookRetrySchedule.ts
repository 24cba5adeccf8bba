/**
 * When a failed delivery is tried again (docs/adr/0019-webhooks-outbox.md): 30 s after the first
 * attempt, then twice as long after each further one, never more than 6 h apart; a delivery is given
 * up after 15 attempts or once its event is 3 days old, whichever comes first.
 */
export const webhookRetry = {
  firstDelayMs: 30_000,
  maxDelayMs: 6 * 3600_000,
  maxAttempts: 15,
  maxAgeMs: 3 * 24 * 3600_000,
} as const;

/** The delay before the next attempt, after `attempts` failed ones (1 or more). */
export function webhookRetryDelayMs(attempts: number): number {
  return Math.min(webhookRetry.firstDelayMs * 2 ** Math.max(0, attempts - 1), webhookRetry.maxDelayMs);
}

/**
 * After a failed attempt (the `attempts`-th), the instant of the next one, or undefined when the
 * delivery is given up: the attempts are used up, or the next one would come after the event is 3
 * days old.
 */
export function nextWebhookAttemptAt(attempts: number, eventCreatedAt: number, now: number): number | undefined {
  if (attempts >= webhookRetry.maxAttempts) return undefined;
  const next = now + webhookRetryDelayMs(attempts);
  return next - eventCreatedAt > webhookRetry.maxAgeMs ? undefined : next;
}
