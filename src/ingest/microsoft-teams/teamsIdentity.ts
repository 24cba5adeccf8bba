/** The part of a Graph `identity` / `communicationsUserIdentity` that billing uses. */
export interface TeamsIdentity {
  /** userPrincipalName for users, the number for phones: the address matching compares. */
  alias?: string;
  domain?: string;
  tenantId?: string;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The identity of a session endpoint (`associatedIdentity`, or the older `identity.user`,
 * `identity.phone`, `identity.guest`, …) or of an organizer (`identity.user` or `user`).
 */
export function teamsIdentityOf(holder: unknown): TeamsIdentity | undefined {
  const h = asRecord(holder);
  if (!h) return undefined;
  const identitySet = asRecord(h.identity) ?? h;
  const candidates = [h.associatedIdentity, identitySet.user, identitySet.phone, identitySet.guest, identitySet.acsUser, identitySet.spoolUser, identitySet.onPremises];
  const identity = candidates.map(asRecord).find((c) => c !== undefined);
  if (!identity) return undefined;
  const upn = text(identity.userPrincipalName);
  const phone = identitySet.phone === identity ? text(identity.id) : undefined;
  const alias = upn ?? phone;
  const at = upn?.lastIndexOf('@') ?? -1;
  return { alias, domain: upn && at > 0 ? upn.slice(at + 1).toLowerCase() : undefined, tenantId: text(identity.tenantId) };
}
