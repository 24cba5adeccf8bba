import type { Principal } from '../domain/accessRole.ts';

/** The credentials the API accepts, checked by the services of users, API keys and sessions. */
export interface ApiAuthenticator {
  /** An API key's secret (Bearer token, or the password of HTTP basic auth). */
  apiKey(secret: string, now: Date): Promise<Principal | undefined>;
  /** A user's name and password (HTTP basic auth, sign-in). */
  password(name: string, password: string, now: Date): Promise<Principal | undefined>;
  /** A session cookie's token; the CSRF token that unsafe requests of the session must echo. */
  session(token: string, now: Date): Promise<{ principal: Principal; csrfToken: string } | undefined>;
  startSession(principal: Principal, now: Date): Promise<{ token: string; csrfToken: string; expiresAt: Date }>;
  endSession(token: string): Promise<void>;
}
