import { apiKeyPrefix } from '../services/apiKeys.ts';
/**
 * The credential a request carries, read from its headers only: `Authorization: Bearer <api key>`,
 * `Authorization: Basic <name:password>` (what CDR senders such as the Pexip event sink can send; the
 * password may be an API key), a key in a receiver's URL, or the session cookie of the web admin.
 */
export type RequestCredential =
  | { kind: 'api-key'; secret: string }
  | { kind: 'password'; name: string; password: string }
  | { kind: 'session'; token: string }
  | { kind: 'none' }
  | { kind: 'malformed'; reason: string };

export const sessionCookieName = 'confbill_session';
export const csrfHeaderName = 'x-csrf-token';
/** The session cookie's token in a Cookie header, if there is one. */
export function sessionCookieOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === sessionCookieName) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

export function requestCredential(authorization: string | undefined, sessionCookie: string | undefined, keyInPath?: string): RequestCredential {
  if (authorization !== undefined) {
    const match = /^(\S+)\s+(\S+)\s*$/.exec(authorization);
    if (!match) return { kind: 'malformed', reason: 'The Authorization header is not "<scheme> <credentials>".' };
    const scheme = match[1]!.toLowerCase();
    const value = match[2]!;
    if (scheme === 'bearer') return { kind: 'api-key', secret: value };
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return { kind: 'malformed', reason: 'The basic credentials are not "name:password" in base64.' };
      const name = decoded.slice(0, colon);
      const password = decoded.slice(colon + 1);
      return password.startsWith(apiKeyPrefix) ? { kind: 'api-key', secret: password } : { kind: 'password', name, password };
    }
    return { kind: 'malformed', reason: `The Authorization scheme "${scheme.slice(0, 20)}" is not accepted; send "Bearer <API key>" or HTTP basic auth.` };
  }
  // A CDR receiver URL may carry the key (`/cdr/cms/<source>/<key>`) for senders that send no header.
  if (keyInPath !== undefined) return { kind: 'api-key', secret: keyInPath };
  if (sessionCookie !== undefined && sessionCookie !== '') return { kind: 'session', token: sessionCookie };
  return { kind: 'none' };
}
