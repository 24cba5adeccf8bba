import { describe, expect, it } from 'vitest';
import { runCli } from '../support/runCli.ts';

/**
 * A DATABASE_URL that cannot be used gets one sentence naming the host and the database, never the
 * password and never a stack trace, and an exit status of the table (issue 8 §6).
 */
const password = 's3cret-Pa55';

interface Case {
  url: string;
  status: number;
  says: RegExp;
}

async function expectOneSentence({ url, status, says }: Case, otherLines: RegExp[] = []): Promise<void> {
  const result = await runCli(['rate'], { env: { DATABASE_URL: url } });
  const lines = result.stderr.split('\n').filter((line) => line !== '' && !otherLines.some((other) => other.test(line)));
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0], url).toMatch(says);
  expect(lines[0]).toMatch(/^confbill: [^\n]+\.$/);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toContain(password);
  expect(result.stderr).not.toContain(encodeURIComponent(password));
  expect(result.status, result.stderr).toBe(status);
  expect(result.stdout).toBe('');
}

describe('a DATABASE_URL that cannot be used', () => {
  it.each<Case>([
    { url: 'not a url', status: 2, says: /^confbill: DATABASE_URL is not a PostgreSQL URL/ },
    { url: `postgres://billing:${password}@[::1/ledger`, status: 2, says: /^confbill: DATABASE_URL is not a PostgreSQL URL/ },
    { url: `postgres://billing:${password}@127.0.0.1:99999/ledger`, status: 2, says: /^confbill: DATABASE_URL is not a PostgreSQL URL/ },
    { url: `mysql://billing:${password}@127.0.0.1/ledger`, status: 2, says: /^confbill: DATABASE_URL is a mysql: URL; confbill needs postgres:\/\/ or postgresql:\/\// },
    { url: `postgres://billing:${password}@127.0.0.1:1/ledger`, status: 7, says: /^confbill: Cannot use the PostgreSQL database "ledger" on 127\.0\.0\.1:1: nothing answers there \(connection refused\)\./ },
    { url: `postgres://billing:${password}@no-such-host.invalid/ledger`, status: 7, says: /^confbill: Cannot use the PostgreSQL database "ledger" on no-such-host\.invalid:5432: the host name is not known/ },
    { url: `postgres://billing:${password}@127.0.0.1:1/ledger?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem`, status: 7, says: /^confbill: Cannot use the PostgreSQL database "ledger" on 127\.0\.0\.1:1: cannot read \/nonexistent\/ca\.pem/ },
  ])('$url', (c) => expectOneSentence(c));

  const server = process.env.DATABASE_URL ? new URL(process.env.DATABASE_URL) : undefined;
  const on = (change: (url: URL) => void): string => {
    const url = new URL(server!.toString());
    change(url);
    return url.toString();
  };
  const at = server ? `${server.hostname}:${server.port || 5432}` : '';

  it.runIf(server)('on the PostgreSQL server: a wrong password, an unknown database, SSL the server does not offer', async () => {
    const database = server!.pathname.slice(1);
    await expectOneSentence({ url: on((u) => (u.password = password)), status: 7, says: new RegExp(`^confbill: Cannot use the PostgreSQL database "${database}" on ${at}: the server refused the password of user "${server!.username}"\\.`) });
    await expectOneSentence({ url: on((u) => (u.pathname = '/confbill_no_such_db')), status: 7, says: new RegExp(`^confbill: Cannot use the PostgreSQL database "confbill_no_such_db" on ${at}: it does not exist\\.`) });
    await expectOneSentence({ url: on((u) => u.searchParams.set('sslmode', 'verify-full')), status: 7, says: new RegExp(`^confbill: Cannot use the PostgreSQL database "${database}" on ${at}: the server does not offer SSL, which sslmode=verify-full asks for`) });
    // The driver adds its own notice that it reads `require` as verify-full, and no stack trace.
    const driverNotice = /SECURITY WARNING|^In the next major version|^To prepare for this change|^- If you want|^See https:|^\(Use `node --trace-warnings|^$/;
    await expectOneSentence({ url: on((u) => u.searchParams.set('sslmode', 'require')), status: 7, says: /the server does not offer SSL, which sslmode=require asks for/ }, [driverNotice]);
  });
});
