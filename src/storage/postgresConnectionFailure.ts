import { BillingError } from '../domain/billingError.ts';

/** Where a DATABASE_URL points, for messages; the password only to keep it out of them. */
export interface PostgresTarget {
  /** host:port, or the socket folder. */
  where: string;
  database: string;
  user: string;
  sslmode: string | null;
  password: string;
}

const unset = 'or unset it to use the embedded database';

/**
 * Reads a DATABASE_URL far enough to name its server and database, refusing one that is not a
 * PostgreSQL URL. The URL itself is never echoed: it may hold a password.
 */
export function postgresTarget(databaseUrl: string): PostgresTarget {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new BillingError('invalid-argument', `DATABASE_URL is not a PostgreSQL URL (postgres://user:password@host:port/database): check its spelling (write @ : / % in a password as %40 %3A %2F %25), ${unset}.`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new BillingError('invalid-argument', `DATABASE_URL is a ${url.protocol} URL; confbill needs postgres:// or postgresql:// (${unset}).`);
  }
  const user = decoded(url.username);
  const socketFolder = url.searchParams.get('host');
  return {
    where: socketFolder ?? `${url.hostname || 'localhost'}:${url.port || 5432}`,
    database: decoded(url.pathname.slice(1)) || user,
    user,
    sslmode: url.searchParams.get('sslmode'),
    password: decoded(url.password),
  };
}

/**
 * One sentence for a PostgreSQL server that cannot be used: which server and database, and why in
 * the user's terms, without the password.
 */
export function postgresConnectionFailure(target: PostgresTarget, error: unknown): BillingError {
  let reason = reasonOf(target, error);
  for (const secret of new Set([target.password, encodeURIComponent(target.password)])) {
    if (secret) reason = reason.split(secret).join('*****');
  }
  return new BillingError('storage', `Cannot use the PostgreSQL database "${target.database}" on ${target.where}: ${reason}. Check DATABASE_URL, ${unset}.`);
}

function reasonOf(target: PostgresTarget, error: unknown): string {
  const { code, path } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; path?: unknown };
  const message = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
  switch (code) {
    case 'ECONNREFUSED':
      return 'nothing answers there (connection refused)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return 'the host name is not known';
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return `the host cannot be reached (${code})`;
    case 'ECONNRESET':
      return 'the server closed the connection';
    case '28P01':
      return `the server refused the password of user "${target.user}"`;
    case '28000':
      return `the server refused the connection (${message})`;
    case '3D000':
      return 'it does not exist';
    case 'ENOENT':
    case 'EACCES':
    case 'EISDIR':
      // An sslrootcert, sslcert or sslkey file that DATABASE_URL names.
      if (typeof path === 'string') return `cannot read ${path} (${code}), named in DATABASE_URL`;
  }
  if (/does not support SSL/i.test(message)) return `the server does not offer SSL, which sslmode=${target.sslmode ?? 'require'} asks for (sslmode=disable connects without it)`;
  if (typeof code === 'string' && /CERT|SELF_SIGNED|^ERR_TLS|^ERR_SSL|^EPROTO$/.test(code)) return `its SSL certificate was not accepted (${message})`;
  if (/Connection terminated/i.test(message)) return 'the server closed the connection';
  return message;
}

/**
 * SQLSTATEs of a server that went away under a connection or is not taking any: connection
 * exceptions (class 08), and an administrator's or a crash's shutdown, or a start not finished
 * (57P01, 57P02, 57P03). Any other error of the server is about the statement, not the server.
 */
const unavailableStates = /^(08...|57P0[123])$/;

/** Socket errors of a connection that broke or could not be made, and pg's own words for one. */
const lostSocketCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const lostMessages = /Connection terminated|not queryable|terminating connection|the database system is (starting up|shutting down|in recovery mode)/i;

/**
 * Whether a driver error says that the PostgreSQL server cannot be used right now (it stopped,
 * restarts, or is not reachable) rather than that a statement failed: what a caller may retry.
 */
export function isPostgresUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (unavailableStates.test(code) || lostSocketCodes.has(code))) return true;
  return error instanceof Error && lostMessages.test(error.message);
}

/**
 * The error of a statement or transaction cut off by the server going away: `storage` (503 for the
 * API, exit status 7 for the CLI), saying that nothing uncommitted was kept and to try again.
 */
export function postgresUnavailable(target: PostgresTarget, error: unknown): BillingError {
  const reason = reasonOf(target, error);
  return new BillingError('storage', `The PostgreSQL database "${target.database}" on ${target.where} is not available (${reason}); what was not committed is not kept. Try again once the server is back.`);
}

/** A %-escaped part of the URL; as written when its escapes are broken (the driver reads it so too). */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
