import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildServer, type ServerLimits } from '../../src/api/buildServer.ts';
import type { ApiAuthenticator } from '../../src/api/apiAuthenticator.ts';
import type { AccessRole, Principal } from '../../src/domain/accessRole.ts';
import type { Database } from '../../src/storage/database.ts';
import { upsertSource } from '../../src/storage/sourceStore.ts';

/**
 * Credentials held in memory, for tests of the HTTP layer that are not about how keys are stored
 * (that is the access services' own tests): `issue(role)` gives a key of that role.
 */
export function memoryAuthenticator(): ApiAuthenticator & { issue(role: AccessRole, name?: string): string; revoke(secret: string): void } {
  const keys = new Map<string, Principal>();
  const sessions = new Map<string, { principal: Principal; csrfToken: string }>();
  return {
    issue(role, name = `${role}-key`) {
      const secret = `cbk_test_${randomBytes(16).toString('base64url')}`;
      keys.set(secret, { kind: 'api-key', id: name, name, role });
      return secret;
    },
    revoke(secret) {
      keys.delete(secret);
    },
    async apiKey(secret) {
      return keys.get(secret);
    },
    async password() {
      return undefined;
    },
    async session(token) {
      return sessions.get(token);
    },
    async startSession(principal) {
      const token = randomBytes(16).toString('base64url');
      const csrfToken = randomBytes(16).toString('base64url');
      sessions.set(token, { principal, csrfToken });
      return { token, csrfToken, expiresAt: new Date(Date.now() + 3_600_000) };
    },
    async endSession(token) {
      sessions.delete(token);
    },
  };
}

const formatOfReceiver = new Map([
  ['cms', 'cms-xml'],
  ['pexip', 'pexip-events'],
]);

/**
 * The server on `db` with an in-memory key of the ingest role. For the receivers' own tests, `inject`
 * sends that key when the request names no credential, and configures the source of a `/cdr/<vendor>/<source>`
 * URL first (receivers refuse unconfigured sources, which `receiverAccess.test.ts` checks).
 */
export function buildTestServer(db: Database, limits: Partial<ServerLimits> = {}): { app: FastifyInstance; ingestKey: string; authenticator: ReturnType<typeof memoryAuthenticator> } {
  const authenticator = memoryAuthenticator();
  const ingestKey = authenticator.issue('ingest');
  const app = buildServer(db, { limits, authenticator });
  const inject = app.inject.bind(app) as (options: InjectOptions) => Promise<LightMyRequestResponse>;
  // Each source once: the fuzz suites post thousands of bodies, and a write per post would double their time.
  const configured = new Set<string>();
  (app as { inject: unknown }).inject = async (options: InjectOptions): Promise<LightMyRequestResponse> => {
    const url = typeof options.url === 'string' ? options.url : '';
    const match = /^\/cdr\/([a-z]+)\/([^/?]+)/.exec(url);
    const format = match ? formatOfReceiver.get(match[1]!) : undefined;
    if (match && format && /^[a-z0-9][a-z0-9._-]{0,63}$/i.test(match[2]!) && !configured.has(`${format} ${match[2]}`)) {
      configured.add(`${format} ${match[2]}`);
      await upsertSource(db, { id: match[2]!, format, timezone: null, defaultCustomer: null }).catch(() => undefined);
    }
    const headers = { ...(options.headers ?? {}) } as Record<string, string>;
    if (match && headers.authorization === undefined) headers.authorization = `Bearer ${ingestKey}`;
    return inject({ ...options, headers });
  };
  return { app, ingestKey, authenticator };
}

/** Configures sources a test posts to over real HTTP (fetch or a socket), where `inject` does not. */
export async function configureSources(db: Database, sources: readonly { id: string; format: string }[]): Promise<void> {
  for (const s of sources) await upsertSource(db, { id: s.id, format: s.format, timezone: null, defaultCustomer: null });
}
