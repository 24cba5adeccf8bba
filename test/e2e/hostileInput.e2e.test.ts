import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvHeader } from '../support/billingFixtures.ts';
import { runCli, type CliResult } from '../support/runCli.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/testDatabases.ts';

// Issue 8 §6: hostile names and values through the real command, on every database. Nothing answers
// with a stack trace; names of Object.prototype are ordinary names or refused; values out of range
// are refused with their path; stored control characters reach no terminal.

const now = '2026-11-27T12:00:00Z';
const stackLine = /^\s+at /m;
// eslint-disable-next-line no-control-regex -- the raw characters a terminal would act on are what these tests look for
const rawControl = /[\u001b\u0007\u009b\u202e]/u;

const config = `
settings: { timezone: UTC, settlementDelayMinutes: 60 }
customers:
  - { id: constructor, name: "Evil Corp" }
plans:
  - { id: prototype, copyOf: pay-as-you-go, name: "Plan", services: { constructor: "2.00", toString: "-1" } }
assignments: [{ customer: constructor, plan: prototype, from: 2026-10-01 }]
sources: [{ id: dma-1, format: dma-csv }]
mappings:
  dma-csv:
    exclude: [{ field: callType, equals: VMR, reason: constructor }, { field: callType, equals: VEQ, reason: __proto__ }]
`;

const dmaHeader = 'version,type,callType,callUuid,dialin,startTime,endTime,origEndpoint,destEndpoint,dialString';
const dmaRows = [
  '4,CALL,VMR,c-1,TRUE,2026-10-05T10:00:00.000Z,2026-10-05T10:05:00.000Z,alice@acme.example,,7001@dma.example',
  '4,CALL,VEQ,c-2,TRUE,2026-10-05T11:00:00.000Z,2026-10-05T11:00:40.000Z,carol@gamma.example,,7000@dma.example',
];

function expectNoStackTrace(result: CliResult): void {
  expect(result.stderr).not.toMatch(stackLine);
  expect(result.stdout).not.toMatch(stackLine);
}

// Each test spawns the CLI several times; on a busy machine one spawn can take seconds.
describe.each(databaseKinds)('hostile input through the CLI on %s', { timeout: 300_000 }, (kind) => {
  let db: TestDatabase;
  let dir: string;
  const cli = async (...args: string[]): Promise<CliResult> => {
    const result = await runCli(args, { env: { ...db.env, TMPDIR: dir, CONFBILL_USER: 'operator' }, now });
    expectNoStackTrace(result);
    return result;
  };
  const apply = async (yaml: string): Promise<CliResult> => {
    const file = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, yaml);
    return cli('apply', file);
  };

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    dir = mkdtempSync(join(tmpdir(), 'confbill-hostile-'));
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes constructor and prototype as ordinary ids and service types, and refuses what is no format or a reserved key', async () => {
    // Control characters in names are refused by apply (ADR 0008), each with its path, shown escaped.
    const controls = await apply(config.replace('"Evil Corp"', '"Evil\\e[2J\\u202eCorp"').replace('name: "Plan"', 'name: "Plan\\u009b31m"'));
    expect(controls.status).toBe(2);
    expect(controls.stderr).toContain('customers[0].name: contains the control character U+001B; plans[0].name: contains the control character U+009B');
    expect(controls.stderr).not.toMatch(rawControl);
    const applied = await apply(config);
    expect(applied.stderr).toBe('');
    expect(applied.status).toBe(0);
    const shown = JSON.parse((await cli('plan', 'show', 'prototype', '--json')).stdout) as { services: Record<string, string> };
    expect(shown.services).toEqual({ constructor: '2.00', toString: '-1' });

    const format = await apply('sources: [{ id: s-1, format: constructor }]\n');
    expect(format.status).toBe(2);
    expect(format.stderr).toContain('sources[0].format: must be a known format');
    const reserved = await apply('plans: [{ id: p-1, copyOf: pay-as-you-go, services: { __proto__: "1.00" } }]\n');
    expect(reserved.status).toBe(2);
    expect(reserved.stderr).toContain('plans[0].services.__proto__: "__proto__" is a reserved name');
    const ingest = await cli('ingest', '--format', '__proto__', join(dir, 'none.csv'));
    expect(ingest.status).toBe(2);
    expect(ingest.stderr).toContain('Unknown --format "__proto__"');
    const report = await cli('report', 'constructor');
    expect(report.status).toBe(2);
  });

  it('plan set refuses __proto__ and unknown fields, takes a service named valueOf, and refuses values out of range with the field', async () => {
    expect((await cli('plan', 'unlock', 'prototype')).status).toBe(0);
    const polluting = await cli('plan', 'set', 'prototype', 'services.__proto__.polluted', '"yes"');
    expect(polluting.status).toBe(2);
    expect(polluting.stderr).toContain('"__proto__" is a reserved name');
    const inherited = await cli('plan', 'set', 'prototype', 'constructor', '5');
    expect(inherited.status).toBe(2);
    expect(inherited.stderr).toContain('"constructor" is not a plan field');
    const reservedValue = await cli('plan', 'set', 'prototype', 'services', '{"__proto__": "1.00"}');
    expect(reservedValue.status).toBe(2);
    expect(reservedValue.stderr).toContain('services.__proto__: "__proto__" is a reserved name');
    expect((await cli('plan', 'set', 'prototype', 'services.valueOf', '1.50')).status).toBe(0);

    // Every bound is tested on the schema (test/services/providerConfigBounds.test.ts); plan set uses the same one.
    const cases: [string, string, number, string?][] = [
      ['monthlyFee', '-0.01', 2, 'monthlyFee: must be a decimal number written as a string, ≥ 0'],
      ['portPool', '{"ports": 100001, "overagePerPortMinute": "0.10"}', 2, 'portPool.ports: must be an integer from 0 to 100000'],
      ['portPool', '{"ports": 100000, "overagePerPortMinute": "0.10"}', 0],
    ];
    for (const [field, value, status, message] of cases) {
      const result = await cli('plan', 'set', 'prototype', field, value);
      expect([field, value, result.status]).toEqual([field, value, status]);
      if (message) expect(result.stderr).toContain(message);
    }
    expect((await cli('plan', 'lock', 'prototype')).status).toBe(0);
    const locked = JSON.parse((await cli('plan', 'show', 'prototype', '--json')).stdout) as { monthlyFee: string; portPool: { ports: number }; services: Record<string, string> };
    expect(locked).toMatchObject({ monthlyFee: '0', portPool: { ports: 100_000 }, services: { constructor: '2.00', toString: '-1', valueOf: '1.50' } });
  });

  it('apply refuses settings out of range with their path, and the longest settlement delay only postpones invoicing', async () => {
    const refused = await apply('settings: { settlementDelayMinutes: 9007199254740991, taxRatePercent: "100.01" }\n');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('settings.settlementDelayMinutes: must be an integer from 0 to 43200');
    expect(refused.stderr).toContain('settings.taxRatePercent: must be a decimal number written as a string, from 0 to 100');
    expect((await apply('settings: { settlementDelayMinutes: 43200, taxRatePercent: "100" }\n')).status).toBe(0);
    const early = await cli('invoice', 'generate', '--customer', 'constructor', '--from', '2026-10-01', '--to', '2026-11-01');
    expect(early.status).toBe(4);
    expect(early.stderr).toContain('can be generated after 2026-12-01');
    expect((await apply('settings: { settlementDelayMinutes: 60, taxRatePercent: "0" }\n')).status).toBe(0);
  });

  it('counts exclusions whose reasons are constructor and __proto__ like any other reason', async () => {
    writeFileSync(join(dir, 'dma.csv'), `${dmaHeader}\n${dmaRows.join('\n')}\n`);
    const ingest = await cli('ingest', '--source', 'dma-1', join(dir, 'dma.csv'));
    expect(ingest.status).toBe(0);
    expect(ingest.stdout).toContain('excluded (not billable legs): 2 (constructor: 1, __proto__: 1)');
    const [source] = JSON.parse((await cli('source', 'list', '--json')).stdout) as { excluded: number; excludedReasons: Record<string, number> }[];
    expect(source!.excluded).toBe(2);
    expect(Object.entries(source!.excludedReasons).sort()).toEqual([['__proto__', 1], ['constructor', 1]]);
  });

  it('shows stored escape sequences, C1 controls and bidi overrides as visible escapes in text mode', async () => {
    // Call data is where such text can still come from: a rejected row, and an alias of an untracked call.
    writeFileSync(join(dir, 'calls.csv'), `${csvHeader}\nbridge-1,x1,,2026-10-05T10:00:00Z,60,"\u001b[31mred\u001b]0;owned\u0007",inbound,sip,a@b.example,,\nbridge-1,x2,,2026-10-05T11:00:00Z,60,video,inbound,sip,"\u001b[2J\u202eroom\u009b31m@nowhere.example",,\n`);
    const ingest = await cli('ingest', '--format', 'confbill-csv', join(dir, 'calls.csv'));
    expect(ingest.stdout).toContain('category: category "\\x1b[31mred\\x1b]0;owned\\x07" is not one of');
    const rejected = await cli('report', 'rejected');
    const untracked = await cli('report', 'untracked');
    const list = await cli('plan', 'list');
    for (const output of [ingest.stdout, rejected.stdout, untracked.stdout, list.stdout]) {
      expect(output).not.toMatch(rawControl);
    }
    expect(rejected.stdout).toContain('\\x1b[31mred');
    expect(untracked.stdout).toContain('\\x1b[2J\\u202eroom\\x9b31m@nowhere.example');
    // JSON keeps the exact text for programs, escaped so that it is harmless on a terminal too.
    const json = await cli('report', 'rejected', '--json');
    expect(json.stdout).not.toMatch(rawControl);
    expect((JSON.parse(json.stdout) as { raw: string }[]).map((r) => r.raw)).toEqual([expect.stringContaining('\u001b[31mred\u001b]0;owned\u0007')]);
  });
});

describe('no stack trace reaches the user', () => {
  let dir: string;
  const cli = (env: Record<string, string>, ...args: string[]) => runCli(args, { env: { DATABASE_URL: '', TMPDIR: dir, ...env }, now, ownProcess: true });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'confbill-unexpected-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** One line naming the error and the log file, which holds the stack. */
  function expectOneLineAndLog(result: CliResult, error: RegExp): void {
    expect(result.status).toBe(1);
    expect(result.stderr).not.toMatch(stackLine);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const match = /^confbill: unexpected error \((.+)\); details in (.+)$/.exec(lines[0]!);
    expect(match?.[1]).toMatch(error);
    const log = readFileSync(match![2]!, 'utf8');
    expect(log).toMatch(stackLine);
    expect(log).toMatch(error);
  }

  it('a corrupted data folder: one line, the stack in a log file', async () => {
    const data = join(dir, 'corrupted');
    expect((await cli({ CONFBILL_DATA: data }, 'plan', 'list')).status).toBe(0);
    writeFileSync(join(data, 'PG_VERSION'), 'not a version\n');
    expectOneLineAndLog(await cli({ CONFBILL_DATA: data }, 'plan', 'list'), /PGlite/);
  });

  it('a data folder that is a file: one line, the stack in a log file', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expectOneLineAndLog(await cli({ CONFBILL_DATA: file }, 'invoice', 'list'), /EEXIST|ENOTDIR/);
  });

  it('unknown commands, options and unreadable files: a sentence, no stack', async () => {
    const data = join(dir, 'data');
    mkdirSync(data, { recursive: true });
    writeFileSync(join(dir, 'binary.yaml'), Buffer.from([0xff, 0xfe, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x3a, 0x3a, 0x7b]));
    const cases: [string[], number][] = [[['frobnicate'], 2], [['invoice', 'list', '--bogus'], 2], [['apply', join(dir, 'missing.yaml')], 6], [['apply', join(dir, 'binary.yaml')], 2]];
    for (const [args, status] of cases) {
      const result = await cli({ CONFBILL_DATA: data }, ...args);
      expect(result.status, args.join(' ')).toBe(status);
      expect(result.stderr).not.toMatch(stackLine);
      expect(result.stderr).not.toMatch(rawControl);
    }
  });
});
