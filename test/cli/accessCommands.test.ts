import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPassword } from '../../src/cli/newPassword.ts';
import { runCli } from '../support/runCli.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabases.ts';

const now = '2026-12-01T00:00:00Z';

// Issue 10 §3: bootstrapping the first admin and the keys from the command line (embedded database).
describe('user and apikey commands', () => {
  let db!: TestDatabase;
  const cli = (args: string[], options: { input?: string; env?: Record<string, string> } = {}): ReturnType<typeof runCli> =>
    runCli(args, { env: { ...db.env, CONFBILL_USER: 'ops', CONFBILL_PASSWORD: '', ...options.env }, input: options.input, now });

  beforeAll(async () => {
    db = await createTestDatabase('pglite');
  });
  afterAll(async () => db?.drop());

  it('adds a user with the password from standard input or CONFBILL_PASSWORD, refuses a short one and asks for one where there is no terminal', async () => {
    const noTerminal = await cli(['user', 'add', '--name', 'admin', '--role', 'admin']);
    expect(noTerminal).toEqual({
      status: 2,
      stdout: '',
      stderr: 'confbill: user add needs a password and there is no terminal to ask for it on: give it on standard input with --password-stdin, or in CONFBILL_PASSWORD.\n',
    });
    const short = await cli(['user', 'add', '--name', 'admin', '--role', 'admin'], { env: { CONFBILL_PASSWORD: 'hunter2' } });
    expect(short).toEqual({ status: 2, stdout: '', stderr: 'confbill: The password has 7 characters; use at least 12 (a few words make a good one).\n' });
    const badRole = await cli(['user', 'add', '--name', 'admin', '--role', 'root', '--password-stdin'], { input: 'a long enough password\n' });
    expect(badRole.stderr).toBe('confbill: "root" is not a role: use one of admin, billing, approver, viewer, ingest.\n');

    const added = await cli(['user', 'add', '--name', 'admin', '--role', 'admin', '--password-stdin'], { input: 'a long enough password\n' });
    expect(added.stderr).toBe('');
    expect(added.stdout).toMatch(/^User "admin" added with role admin \(id [0-9a-f-]{36}\); they sign in to the Billing API with this name and password\.\n$/);
    const fromEnvironment = await cli(['user', 'add', '--name', 'viewer1', '--role', 'viewer'], { env: { CONFBILL_PASSWORD: 'another long password' } });
    expect(fromEnvironment.status).toBe(0);

    const listed = await cli(['user', 'list', '--json']);
    const users = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(users.map((u) => [u.name, u.role, u.createdBy, u.createdAt, u.disabledAt])).toEqual([
      ['admin', 'admin', 'ops', now.replace('Z', '.000Z'), null],
      ['viewer1', 'viewer', 'ops', now.replace('Z', '.000Z'), null],
    ]);
    expect(listed.stdout).not.toContain('scrypt');
    expect(listed.stdout).not.toContain('password');

    expect((await cli(['user', 'disable', 'viewer1'])).stdout).toBe('User "viewer1" disabled: they can no longer sign in, and their sessions have ended.\n');
    expect((await cli(['user', 'list'])).stdout).toBe(
      `admin                    admin    added 2026-12-01T00:00:00.000Z by ops; active\nviewer1                  viewer   added 2026-12-01T00:00:00.000Z by ops; disabled 2026-12-01T00:00:00.000Z by ops\n`,
    );
  });

  it('prints a new key alone on the last line, never in a list, and revokes it by name', async () => {
    const created = await cli(['apikey', 'create', '--name', 'billing-export', '--role', 'billing']);
    expect(created.stderr).toBe('');
    const lines = created.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const key = lines.at(-1)!;
    const [, prefix] = /^cbk_([0-9a-f]{8})_[A-Za-z0-9_-]{43}$/.exec(key)!;
    expect(lines[0]).toMatch(new RegExp(`^API key "billing-export" created with role billing \\(id [0-9a-f-]{36}, starts cbk_${prefix}_\\)\\.$`));
    expect(lines[1]).toBe('Store it now: it is shown only this once and cannot be recovered. Revoke it with `confbill apikey revoke billing-export`.');

    const [text, json] = [await cli(['apikey', 'list']), await cli(['apikey', 'list', '--json'])];
    expect(text.stdout).toContain(`billing-export           billing  cbk_${prefix}_…`);
    for (const listing of [text.stdout, json.stdout]) expect(listing).not.toContain(key.slice(13));
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ name: 'billing-export', role: 'billing', prefix, createdBy: 'ops', lastUsedAt: null, revokedAt: null })]);

    const revoked = await cli(['apikey', 'revoke', 'billing-export']);
    expect(revoked.stdout).toMatch(/^API key "billing-export" \(id [0-9a-f-]{36}\) revoked: it no longer works\.\n$/);
    expect((await cli(['apikey', 'list'])).stdout).toMatch(/; never used; revoked 2026-12-01T00:00:00\.000Z by ops\n$/);
    expect(await cli(['apikey', 'revoke', 'billing-export'])).toMatchObject({ status: 3, stderr: 'confbill: There is no API key named "billing-export" that is not revoked, nor one with that id; the list of API keys shows their names and ids.\n' });
  });
});

describe('the password prompt', () => {
  /** A terminal as the prompt sees it: raw mode switched, keys typed after each prompt. */
  function terminal(keys: string[]): { stdin: PassThrough & { isTTY: boolean; isRaw: boolean; setRawMode(raw: boolean): void }; shown: () => string; rawModes: boolean[] } {
    let shown = '';
    const rawModes: boolean[] = [];
    const stdin = Object.assign(new PassThrough(), {
      isTTY: true,
      isRaw: false,
      setRawMode(raw: boolean) {
        rawModes.push(raw);
        this.isRaw = raw;
      },
    });
    const stderr = new Writable({
      write(chunk: Buffer, _encoding, done) {
        shown += chunk.toString();
        // Each prompt is answered once it is shown, as a person would.
        if (chunk.toString().endsWith(': ') && keys.length > 0) setImmediate(() => stdin.write(keys.shift()!));
        done();
      },
    });
    return Object.assign({ stdin, shown: () => shown, rawModes }, { stderr });
  }

  it('asks twice with echo off, takes Backspace, and refuses two different answers', async () => {
    const t = terminal(['correct horse battery staplx\u007fe\r', 'correct horse battery staple\r']) as ReturnType<typeof terminal> & { stderr: Writable };
    expect(await newPassword({ stdin: t.stdin, stderr: t.stderr }, { userName: 'admin' })).toBe('correct horse battery staple');
    expect(t.shown()).toBe('Password for admin (at least 12 characters): \nThe same password again: \n');
    expect(t.rawModes).toEqual([true, false, true, false]);

    const differ = terminal(['one long password\r', 'another long password\r']) as ReturnType<typeof terminal> & { stderr: Writable };
    await expect(newPassword({ stdin: differ.stdin, stderr: differ.stderr }, { userName: 'admin' })).rejects.toThrow('The two passwords typed differ; no user was added. Run the command again.');
    const cancelled = terminal(['abc\u0003']) as ReturnType<typeof terminal> & { stderr: Writable };
    await expect(newPassword({ stdin: cancelled.stdin, stderr: cancelled.stderr }, { userName: 'admin' })).rejects.toThrow('Cancelled; no user was added.');
  });
});
