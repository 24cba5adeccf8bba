import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/runCli.ts';
import { hasShared, onSamplesName, sharedDir } from '../support/sharedSamples.ts';
import { createTestDatabase, type TestDatabase } from '../support/testDatabases.ts';
import { expectBooksVerified } from '../support/booksVerified.ts';

const now = '2026-11-27T12:00:00Z';

// Customers by domain, so that SfB/Teams ends belong to customers; contoso has no plan (no-plan).
const config = `
settings: { timezone: UTC, settlementDelayMinutes: 60 }
customers:
  - { id: acme, name: Acme Corp, timezone: Europe/Oslo, matching: [{ kind: domain, value: acme.example }] }
  - { id: contoso, name: Contoso, matching: [{ kind: domain, value: contoso.com }] }
plans:
  - { id: acme-payg, copyOf: pay-as-you-go, name: Acme pay as you go }
assignments: [{ customer: acme, plan: acme-payg, from: 2026-01-01 }]
`;

// CONSTRUCTED inputs (no public rows exist for DMA or LcsCDR): the same rows as the reader tests.
const dma = [
  'version,type,callType,callUuid,dialin,startTime,endTime,origEndpoint,destEndpoint,dialString,origSignalingId,origCallId,destCallId,userRole,userDataA,userDataB,userDataC,failureSignalingCode,cluster',
  '4,CALL,VMR,c-0001,TRUE,2026-03-29T01:30:00.000+01:00,2026-03-29T03:45:10.250+02:00,alice@acme.example,,7001@dma.example,<sip:alice@acme.example>,oc1,dc1,chairperson,,acme,,,dma-osl',
  '4,CALL,VMR,c-0002,FALSE,2026-10-25T02:50:00.000+02:00,2026-10-25T02:10:00.000+01:00,,room5@beta.example,room5@beta.example,<sip:7001@mcu.dma.example>,oc2,dc2,participant,,acme,,,dma-osl',
  '4,CALL,PT-PT,c-0003,TRUE,2026-06-01T10:00:00.000+02:00,2026-06-01T10:05:30.400+02:00,alice@acme.example,bob@acme.example,bob@acme.example,<sip:alice@acme.example>,oc3,dc3,,acme-user,,,,dma-osl',
  '4,CALL,VEQ,c-0004,TRUE,2026-06-01T10:00:00.000+02:00,2026-06-01T10:00:40.000+02:00,carol@gamma.example,,7000@dma.example,,oc4,dc4,,,,,,dma-osl',
  '4,CALL,PT-PT,c-0005,TRUE,2026-06-01T11:00:00.000Z,2026-06-01T11:00:00.000Z,alice@acme.example,dave@delta.example,dave@delta.example,,oc5,,,,,,486:BUSY HERE,dma-osl',
  '4,CALL,VMR,c-0006,TRUE,1970-01-01T00:00:00.000Z,2026-06-01T11:00:00.000Z,alice@acme.example,,7001@dma.example,,,,,,,,,dma-osl',
].join('\n') + '\n';

const sfb = [
  'SessionIdTime,SessionIdSeq,InviteTime,ResponseTime,ResponseCode,SessionEndTime,User1Uri,User2Uri,MediaTypes,CallFlag',
  '2026-10-05 09:00:00.123,1,2026-10-05 09:00:00.123,2026-10-05 09:00:04.500,200,2026-10-05 09:12:34.800,alice@acme.example,bob@acme.example,48,0',
  '2026-10-05 10:00:00.000,1,2026-10-05 10:00:00.000,2026-10-05 10:00:02.000,200,2026-10-05 10:30:02.000,alice@acme.example,carol@partner.example,16,0',
  '2026-10-05 10:00:00.000,2,2026-10-05 10:00:00.000,2026-10-05 10:00:00.200,200,2026-10-05 10:05:00.000,bob@acme.example,alice@acme.example,1,0',
  '2026-10-05 11:00:00.000,1,2026-10-05 11:00:00.000,NULL,480,NULL,carol@partner.example,alice@acme.example,16,0',
  '2026-10-05 12:00:00.000,1,2026-10-05 12:00:00.000,2026-10-05 12:00:01.000,200,NULL,erin@nowhere.example,frank@nowhere.example,16,0',
].join('\n') + '\n';

const endpoint = (upn: string) => ({ associatedIdentity: { id: upn, tenantId: 'tenant-acme', userPrincipalName: upn }, userAgent: { productFamily: 'teams' } });
const teams = JSON.stringify({
  value: [{
    id: 'meet-1', type: 'groupCall', modalities: ['audio'], organizer_v2: { identity: { user: { id: 'o', tenantId: 'tenant-acme' } } },
    sessions: [
      { id: 's-1', modalities: ['audio'], startDateTime: '2026-10-05T09:00:00.0000000Z', endDateTime: '2026-10-05T09:30:00.0000000Z', caller: endpoint('olga@acme.example'), callee: {} },
      { id: 's-2', modalities: ['audio'], startDateTime: '2026-10-05T09:00:00Z', endDateTime: '2026-10-05T09:10:00Z', caller: endpoint('nina@elsewhere.example'), callee: {} },
      { id: 's-3', isTest: true, startDateTime: '2026-10-05T09:00:00Z', endDateTime: '2026-10-05T09:01:00Z', caller: endpoint('olga@acme.example'), callee: {} },
    ],
  }],
});

describe('confbill ingest of dma-csv, sfb-csv and teams-json on PGlite', () => {
  let db: TestDatabase;
  let dir: string;
  const cli = (...args: string[]) => runCli(args, { env: db.env, now });

  beforeAll(async () => {
    db = await createTestDatabase('pglite');
    dir = mkdtempSync(join(tmpdir(), 'confbill-dst-'));
    writeFileSync(join(dir, 'provider.yaml'), config);
    writeFileSync(join(dir, 'calls.csv'), dma);
    writeFileSync(join(dir, 'sessions.csv'), sfb);
    writeFileSync(join(dir, 'callrecords.json'), teams);
    if (hasShared) copyFileSync(join(sharedDir, 'samples/microsoft-teams-graph/callrecord-get-expanded-docs-example.json'), join(dir, 'sample.json'));
    expect((await cli('apply', join(dir, 'provider.yaml'))).stderr).toBe('');
  });
  afterAll(async () => {
    await expectBooksVerified(db);
    await db?.drop();
  });

  it('ingests the three formats with their summaries, and again without change', async () => {
    const dmaRun = await cli('ingest', '--format', 'dma-csv', '--source', 'dma-osl', join(dir, 'calls.csv'));
    expect(dmaRun.stderr).toBe('');
    expect(dmaRun.stdout).toContain('Records read: 6. Calls new: 4, updated: 0, unchanged (duplicates): 0, refused changes to invoiced calls: 0, rejected: 1, excluded (not billable legs): 1 (IVR/lobby leg (VEQ): 1).');
    expect(dmaRun.stdout).toContain('line 7 field startTime');
    const sfbRun = await cli('ingest', '--format', 'sfb-csv', '--source', 'sfb-pool1', join(dir, 'sessions.csv'));
    expect(sfbRun.stdout).toContain('Records read: 5. Calls new: 3, updated: 0, unchanged (duplicates): 0, refused changes to invoiced calls: 0, rejected: 1, excluded (not billable legs): 1 (instant messaging: 1).');
    expect(sfbRun.stdout).toContain('line 6 field SessionEndTime');
    const teamsRun = await cli('ingest', '--format', 'teams-json', '--source', 'teams', join(dir, 'callrecords.json'));
    expect(teamsRun.stdout).toContain('Records read: 3. Calls new: 2, updated: 0, unchanged (duplicates): 0, refused changes to invoiced calls: 0, rejected: 0, excluded (not billable legs): 1 (test call: 1).');
    const again = await cli('ingest', '--format', 'dma-csv', '--source', 'dma-osl', join(dir, 'calls.csv'));
    expect(again.stdout).toContain('Calls new: 0, updated: 0, unchanged (duplicates): 4');
  });

  it.skipIf(!hasShared)(onSamplesName('ingests the Graph documentation sample: one leg of a customer without a plan'), async () => {
    const run = await cli('ingest', '--format', 'teams-json', '--source', 'teams', join(dir, 'sample.json'));
    expect(run.stdout).toContain('Records read: 1. Calls new: 1,');
  });

  it('reports the untracked legs', async () => {
    const rows = JSON.parse((await cli('report', 'untracked', '--json')).stdout) as { source: string; externalId: string; reason: string }[];
    const expected: [string, string, string][] = [
      ['dma-osl', 'c-0002#2026-10-25T00:50:00.000Z', 'no-customer'],
      ['teams', 'meet-1/s-2', 'no-customer'],
    ];
    if (hasShared) expected.push(['teams', 'e523d2ed-2966-4b6b-925b-754a88034cc5/e523d2ed-2966-4b6b-925b-754a88034cc5', 'no-plan']);
    expect(rows.map((r) => [r.source, r.externalId, r.reason]).sort()).toEqual(expected.sort());
  });
});
