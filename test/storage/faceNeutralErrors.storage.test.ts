import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { isBillingError, type BillingError, type BillingErrorCode } from '../../src/domain/billingError.ts';
import { addManualLine, removeManualLine } from '../../src/domain/draftInvoiceEdit.ts';
import { parseInvoiceReference } from '../../src/domain/invoiceReference.ts';
import { checkedSourceId } from '../../src/domain/sourceId.ts';
import { cliErrorText, flagsOfCommand } from '../../src/cli/cliErrorText.ts';
import { program } from '../../src/cli/main.ts';
import { applyConfig } from '../../src/services/applyConfig.ts';
import { addAssignment, endAssignment, listAssignmentsOf } from '../../src/services/assignments.ts';
import { addEntity, deleteEntity } from '../../src/services/entities.ts';
import { previewInvoices } from '../../src/services/invoicePreview.ts';
import { generateInvoices, showInvoice } from '../../src/services/invoicing.ts';
import { peakPortsSeriesReport } from '../../src/services/peakPortsReport.ts';
import { planDetails, planHistoryOf } from '../../src/services/planCatalog.ts';
import { copyPlanAs, setPlanField, unlockPlan } from '../../src/services/planLifecycle.ts';
import { parseProviderConfig } from '../../src/services/providerConfig.ts';
import { refusedChangesReport, untrackedReport, usageReport } from '../../src/services/reports.ts';
import { migrateSchema } from '../../src/services/schemaMigration.ts';
import { resolveSource } from '../../src/services/sourceReaderOptions.ts';
import type { Database } from '../../src/storage/database.ts';
import { grantServiceRole } from '../../src/storage/serviceRoleGrants.ts';
import { runCli } from '../support/runCli.ts';
import { applyYaml } from '../support/billingFixtures.ts';
import { createTestDatabase, databaseKinds, useTestDatabase } from '../support/testDatabases.ts';

// Issue 10: an error raised below the faces speaks of fields, never of a flag or a command; the CLI
// names the flag of the command at hand and the command that helps, from the error's details.

const provider = `
customers:
  - { id: fe-a, name: Face A }
plans:
  - { id: fe-plan, copyOf: pay-as-you-go }
  - { id: fe-open, copyOf: pay-as-you-go }
assignments:
  - { id: fe-a@2026-10-01, customer: fe-a, plan: fe-plan, from: 2026-10-01 }
sources:
  - { id: fe-src, format: confbill-csv }
`;

const now = new Date('2026-12-01T00:00:00Z');

/** The command a path of names leads to (`['invoice', 'generate']`), as the CLI defines it. */
function commandAt(path: readonly string[]): Command {
  let command: Command = program(async () => undefined);
  for (const name of path) command = command.commands.find((c) => c.name() === name)!;
  return command;
}

async function refusal(raise: () => unknown): Promise<BillingError> {
  try {
    await raise();
  } catch (error) {
    if (isBillingError(error)) return error;
    throw error;
  }
  throw new Error('no error was raised');
}

interface ErrorSite {
  site: string;
  raise: (db: Database) => unknown;
  code: BillingErrorCode;
  field: string | undefined;
  /** The CLI command whose flags name the field. */
  command: string[];
  /** The whole line the CLI writes. */
  cli: string;
}

const sites: ErrorSite[] = [
  { site: 'invoicing: start date', raise: (db) => generateInvoices(db, { from: '2026-13-01', to: '2026-11-01', now, actor: 'test' }), code: 'invalid-argument', field: 'from', command: ['invoice', 'generate'], cli: 'confbill: --from: The start date "2026-13-01" is not a date YYYY-MM-DD.' },
  { site: 'invoicing: end date', raise: (db) => generateInvoices(db, { from: '2026-10-01', to: 'november', now, actor: 'test' }), code: 'invalid-argument', field: 'to', command: ['invoice', 'generate'], cli: 'confbill: --to: The end date "november" is not a date YYYY-MM-DD.' },
  { site: 'invoicing: empty range', raise: (db) => generateInvoices(db, { from: '2026-11-01', to: '2026-10-01', now, actor: 'test' }), code: 'invalid-argument', field: 'to', command: ['invoice', 'generate'], cli: 'confbill: --to: The invoice range is empty: the start date 2026-11-01 must be before the end date 2026-10-01.' },
  { site: 'invoicing: no invoice', raise: (db) => showInvoice(db, '999'), code: 'not-found', field: 'invoice', command: ['invoice', 'show'], cli: 'confbill: No invoice with number 999: numbers are given at approval. See `confbill invoice list`.' },
  { site: 'invoice reference: empty', raise: () => parseInvoiceReference(' '), code: 'invalid-argument', field: 'invoice', command: ['invoice', 'show'], cli: 'confbill: The invoice is missing: give its id or the number of an approved invoice. See `confbill invoice list`.' },
  { site: 'invoice reference: number 0', raise: () => parseInvoiceReference('#0'), code: 'invalid-argument', field: 'invoice', command: ['invoice', 'approve'], cli: 'confbill: "#0" is no invoice number: numbers start at 1. See `confbill invoice list`.' },
  { site: 'manual line: description', raise: () => addManualLine([], { description: ' ', unitPrice: '1' }, 'EUR', '2026-10'), code: 'invalid-argument', field: 'description', command: ['invoice', 'add-line'], cli: 'confbill: --description: A manual line needs a description.' },
  { site: 'manual line: quantity', raise: () => addManualLine([], { description: 'x', quantity: 'two', unitPrice: '1' }, 'EUR', '2026-10'), code: 'invalid-argument', field: 'quantity', command: ['invoice', 'add-line'], cli: 'confbill: --quantity: The quantity "two" is not a decimal number.' },
  { site: 'manual line: unit price', raise: () => addManualLine([], { description: 'x', unitPrice: '1,50' }, 'EUR', '2026-10'), code: 'invalid-argument', field: 'unitPrice', command: ['invoice', 'add-line'], cli: 'confbill: --unit-price: The unit price "1,50" is not a decimal number such as 12.50 or -5.' },
  { site: 'manual line: period', raise: () => addManualLine([], { description: 'x', unitPrice: '1', period: 'October' }, 'EUR', '2026-10'), code: 'invalid-argument', field: 'period', command: ['invoice', 'add-line'], cli: 'confbill: --period: The period "October" is neither YYYY-MM nor YYYY-MM-DD.' },
  { site: 'manual line: no such line', raise: () => removeManualLine([], 2, 'EUR'), code: 'invalid-argument', field: 'line', command: ['invoice', 'remove-line'], cli: 'confbill: The draft has no line 2; it has 0.' },
  { site: 'assignments: start date', raise: (db) => addAssignment(db, { customerId: 'fe-a', planId: 'fe-plan', from: '1 Oct' }, 'test', now), code: 'invalid-argument', field: 'from', command: ['assignment', 'add'], cli: 'confbill: --from: The start date "1 Oct" is not a date YYYY-MM-DD.' },
  { site: 'assignments: end date', raise: (db) => endAssignment(db, 'fe-a@2026-10-01', '2027-02-30', 'test', now), code: 'invalid-argument', field: 'to', command: ['assignment', 'end'], cli: 'confbill: --to: The end date "2027-02-30" is not a date YYYY-MM-DD.' },
  { site: 'assignments: end before start', raise: (db) => addAssignment(db, { customerId: 'fe-a', planId: 'fe-plan', from: '2027-01-01', to: '2026-12-01' }, 'test', now), code: 'invalid-argument', field: 'to', command: ['assignment', 'add'], cli: 'confbill: --to: An assignment ends after it starts: the end date 2026-12-01 must be after the start date 2027-01-01.' },
  { site: 'assignments: no customer', raise: (db) => addAssignment(db, { customerId: 'fe-ghost', planId: 'fe-plan', from: '2027-01-01' }, 'test', now), code: 'not-found', field: 'customer', command: ['assignment', 'add'], cli: 'confbill: No customer with id "fe-ghost". Customers are added with `confbill apply FILE`.' },
  { site: 'assignments: no plan', raise: (db) => addAssignment(db, { customerId: 'fe-a', planId: 'fe-ghost', from: '2027-01-01' }, 'test', now), code: 'not-found', field: 'plan', command: ['assignment', 'add'], cli: 'confbill: No plan with id "fe-ghost". See `confbill plan list`.' },
  { site: 'assignments: id taken', raise: (db) => addAssignment(db, { id: 'fe-a@2026-10-01', customerId: 'fe-a', planId: 'fe-plan', from: '2027-01-01' }, 'test', now), code: 'conflict', field: 'id', command: ['assignment', 'add'], cli: 'confbill: --id: An assignment with id "fe-a@2026-10-01" already exists; change its end, or give the new one another id.' },
  { site: 'assignments: no assignment', raise: (db) => endAssignment(db, 'fe-ghost', undefined, 'test', now), code: 'not-found', field: 'id', command: ['assignment', 'end'], cli: 'confbill: No assignment with id "fe-ghost". See `confbill assignment list`.' },
  { site: 'assignments: a template is not assigned', raise: (db) => listAssignmentsOf(db, { planIds: ['pay-as-you-go'] }), code: 'not-found', field: 'plan', command: ['assignment', 'list'], cli: 'confbill: No plan with id "pay-as-you-go". "pay-as-you-go" is a built-in template: templates are copied, never assigned. See `confbill plan list`.' },
  { site: 'plan lifecycle: no plan', raise: (db) => unlockPlan(db, 'fe-ghost', 'ops'), code: 'not-found', field: 'plan', command: ['plan', 'unlock'], cli: 'confbill: No plan with id "fe-ghost". See `confbill plan list`.' },
  { site: 'plan lifecycle: locked', raise: (db) => setPlanField(db, 'fe-plan', 'monthlyFee', '30', 'ops'), code: 'plan-locked', field: 'plan', command: ['plan', 'set'], cli: 'confbill: Plan "fe-plan" is locked; unlock it first. Unlock it with `confbill plan unlock fe-plan`.' },
  { site: 'plan lifecycle: already unlocked', raise: (db) => unlockPlan(db, 'fe-open', 'ops'), code: 'plan-unlocked', field: 'plan', command: ['plan', 'unlock'], cli: 'confbill: Plan "fe-open" is already unlocked: edit its draft, then lock it. Edit it with `confbill plan set fe-open FIELD VALUE` and lock it with `confbill plan lock fe-open`.' },
  { site: 'plan copy: id no slug', raise: (db) => copyPlanAs(db, { from: 'pay-as-you-go', id: 'Gold Plan', name: 'Gold', user: 'ops' }), code: 'invalid-argument', field: 'id', command: ['plan', 'copy'], cli: 'confbill: Plan id "Gold Plan" must be a lower-case slug (a-z, 0-9, . _ -).' },
  { site: 'plan copy: nothing to copy', raise: (db) => copyPlanAs(db, { from: 'fe-ghost', id: 'fe-new', name: 'New', user: 'ops' }), code: 'not-found', field: 'from', command: ['plan', 'copy'], cli: 'confbill: No plan or built-in template "fe-ghost" to copy (templates: concurrent-calls, pay-as-you-go, included-minutes). See `confbill plan list`.' },
  { site: 'plan catalog: no plan or template', raise: (db) => planDetails(db, 'fe-ghost'), code: 'not-found', field: 'plan', command: ['plan', 'show'], cli: 'confbill: No plan with id "fe-ghost", and no built-in template of that name. See `confbill plan list`.' },
  { site: 'plan catalog: no history', raise: (db) => planHistoryOf(db, 'fe-ghost'), code: 'not-found', field: 'plan', command: ['plan', 'history'], cli: 'confbill: No plan with id "fe-ghost". See `confbill plan list`.' },
  { site: 'apply: unlocked plan', raise: (db) => applyConfig(db, parseProviderConfig('plans: [{ id: fe-open, monthlyFee: "9" }]', 'fe.yaml'), 'ops'), code: 'plan-unlocked', field: 'plans', command: ['apply'], cli: 'confbill: plans "fe-open" is unlocked and being edited; lock it before applying a file that changes it. Nothing was applied. Lock it with `confbill plan lock fe-open`.' },
  { site: 'apply: a copy the file would change', raise: (db) => applyConfig(db, parseProviderConfig('plans: [{ id: fe-copy, monthlyFee: "5" }]', 'fe.yaml'), 'ops'), code: 'conflict', field: 'plans', command: ['apply'], cli: 'confbill: plans "fe-copy": no file has applied it yet (made as a copy), and the file would change monthlyFee ("0" → "5"). Write the plan\'s values into the file, or apply it with force to put the file\'s values in force. Nothing was applied. `confbill apply --force` puts the file\'s values in force.' },
  { site: 'peak ports: month', raise: (db) => peakPortsSeriesReport(db, 'fe-a', '2026-13'), code: 'invalid-argument', field: 'month', command: ['report'], cli: 'confbill: --month: The month "2026-13" is not a month. Give it as YYYY-MM, such as 2026-10.' },
  { site: 'reports: unknown customer', raise: (db) => usageReport(db, ['fe-a', 'fe-ghost']), code: 'not-found', field: 'customer', command: ['report'], cli: 'confbill: No customer with id "fe-ghost". Customers are added with `confbill apply FILE`.' },
  { site: 'reports: range start', raise: (db) => untrackedReport(db, { from: 'last week' }), code: 'invalid-argument', field: 'from', command: ['report'], cli: 'confbill: --from: The range start "last week" is neither a date YYYY-MM-DD nor an instant with an offset (2026-10-01T00:00:00Z).' },
  { site: 'reports: range end', raise: (db) => refusedChangesReport(db, { to: 'tomorrow' }), code: 'invalid-argument', field: 'to', command: ['report'], cli: 'confbill: --to: The range end "tomorrow" is neither a date YYYY-MM-DD nor an instant with an offset (2026-10-01T00:00:00Z).' },
  { site: 'preview: start date', raise: (db) => previewInvoices(db, { from: '2026-13-01', now }), code: 'invalid-argument', field: 'from', command: ['report'], cli: 'confbill: --from: The start date "2026-13-01" is not a date YYYY-MM-DD.' },
  { site: 'preview: end date', raise: (db) => previewInvoices(db, { to: '2026-11-31', now }), code: 'invalid-argument', field: 'to', command: ['report'], cli: 'confbill: --to: The end date "2026-11-31" is not a date YYYY-MM-DD.' },
  { site: 'sources: format of another family', raise: (db) => resolveSource(db, { source: 'fe-src', format: 'dma-csv' }), code: 'invalid-argument', field: 'format', command: ['ingest'], cli: 'confbill: --format: Source "fe-src" is configured for format confbill-csv, not dma-csv; correct the format or the source\'s format.' },
  { site: 'sources: no format', raise: (db) => resolveSource(db, {}), code: 'invalid-argument', field: 'format', command: ['ingest'], cli: expect.stringMatching(/^confbill: --format: Say which format the data is in: confbill-csv, .*\(or configure the source with its format\)\.$/) as unknown as string },
  { site: 'sources: unknown format', raise: (db) => resolveSource(db, { format: 'xlsx' }), code: 'invalid-argument', field: 'format', command: ['ingest'], cli: expect.stringMatching(/^confbill: --format: Unknown format "xlsx"\. Known formats: confbill-csv, /) as unknown as string },
  { site: 'source id', raise: () => checkedSourceId('../x', 'The source'), code: 'invalid-argument', field: 'source', command: ['ingest'], cli: 'confbill: --source: The source "../x" is not a source id: use lower-case letters a-z, 0-9, ".", "_" and "-", starting with a letter or digit, at most 64 characters (such as cms-oslo-1).' },
  { site: 'entities: no customer', raise: (db) => addEntity(db, { customerId: 'fe-ghost', id: 'e9', serviceType: 'pexip-vmr', createdAt: now }, 'test'), code: 'not-found', field: 'customer', command: ['entity', 'add'], cli: 'confbill: No customer with id "fe-ghost". Customers are added with `confbill apply FILE`.' },
  { site: 'entities: no instant', raise: (db) => addEntity(db, { customerId: 'fe-a', id: 'e9', serviceType: 'pexip-vmr', createdAt: new Date(Number.NaN) }, 'test'), code: 'invalid-argument', field: 'at', command: ['entity', 'add'], cli: 'confbill: --at: The creation time is not a valid instant. Give an ISO 8601 instant with an offset, such as 2026-10-11T10:00:00Z.' },
  { site: 'entities: id no slug', raise: (db) => addEntity(db, { customerId: 'fe-a', id: 'VMR 1', serviceType: 'pexip-vmr', createdAt: now }, 'test'), code: 'invalid-argument', field: 'id', command: ['entity', 'add'], cli: 'confbill: --id: Entity id "VMR 1" must be a lower-case slug (a-z, 0-9, . _ -), such as vmr-1001.' },
  { site: 'entities: empty service type', raise: (db) => addEntity(db, { customerId: 'fe-a', id: 'e9', serviceType: ' ', createdAt: now }, 'test'), code: 'invalid-argument', field: 'serviceType', command: ['entity', 'add'], cli: 'confbill: --type: The service type is empty. Give one such as pexip-vmr, of the service types available to the customer. See `confbill service available --customer fe-a`.' },
  { site: 'entities: alias taken', raise: (db) => addEntity(db, { customerId: 'fe-a', id: 'e2', serviceType: 'pexip-vmr', alias: '1001@vc.fe.example', createdAt: now }, 'test'), code: 'conflict', field: 'alias', command: ['entity', 'add'], cli: 'confbill: --alias: The alias "1001@vc.fe.example" is already used by entity "e1" of customer "fe-a" (since 2026-11-01T00:00:00.000Z). An alias belongs to one entity at a time: delete that entity first, or choose another alias. Delete it with `confbill entity delete --customer fe-a e1`.' },
  { site: 'entities: no entity', raise: (db) => deleteEntity(db, 'fe-a', 'e-ghost', now, 'test'), code: 'not-found', field: 'id', command: ['entity', 'delete'], cli: 'confbill: Customer "fe-a" has no entity "e-ghost". See `confbill entity list --customer fe-a --all`.' },
  { site: 'entities: deleted before created', raise: (db) => deleteEntity(db, 'fe-a', 'e1', new Date('2026-10-31T00:00:00Z'), 'test'), code: 'invalid-argument', field: 'at', command: ['entity', 'delete'], cli: 'confbill: --at: Entity "e1" of customer "fe-a" cannot be deleted at 2026-10-31T00:00:00.000Z: it was created later, at 2026-11-01T00:00:00.000Z. Give a deletion time at or after its creation.' },
  { site: 'migrate: service role on the embedded database', raise: () => migrateSchema({ dataDir: '/nonexistent/confbill' }, { serviceRole: 'app' }), code: 'invalid-argument', field: 'serviceRole', command: ['migrate'], cli: 'confbill: --service-role: The embedded database has no roles: a service role needs a PostgreSQL server (DATABASE_URL).' },
];

describe.each(databaseKinds)('errors below the faces, on %s', (kind) => {
  let db!: Database;
  useTestDatabase(kind, (opened) => (db = opened));
  beforeAll(async () => {
    await applyYaml(db, provider);
    await unlockPlan(db, 'fe-open', 'ops');
    await copyPlanAs(db, { from: 'pay-as-you-go', id: 'fe-copy', name: 'Copy', user: 'ops' });
    await addEntity(db, { customerId: 'fe-a', id: 'e1', serviceType: 'pexip-vmr', alias: '1001@vc.fe.example', createdAt: new Date('2026-11-01T00:00:00Z') }, 'test');
  });

  it.each(sites)('$site: a field and no CLI words; the CLI names the flag and the command that helps', async ({ raise, code, field, command, cli }) => {
    const error = await refusal(() => raise(db));
    expect(error.code).toBe(code);
    expect(error.message).not.toMatch(/--[a-z]/);
    expect(error.message).not.toContain('confbill ');
    expect(error.details.field).toBe(field);
    expect(cliErrorText(error, flagsOfCommand(commandAt(command)))).toEqual(cli);
  });

  it.runIf(kind === 'pglite')('storage: the embedded database has no roles to grant', async () => {
    const error = await refusal(() => grantServiceRole(db, 'app'));
    expect([error.code, error.message, error.details.field]).toEqual(['invalid-argument', 'The embedded database has no roles: a service role needs a PostgreSQL server (DATABASE_URL).', 'serviceRole']);
  });
});

describe('the CLI renders a service error with the flag of the command it runs', () => {
  it('names --from for invoice generate and the command that helps for a missing plan', async () => {
    const db = await createTestDatabase(databaseKinds[0]!);
    try {
      const range = await runCli(['invoice', 'generate', '--all', '--from', '2026-13-01', '--to', '2026-11-01'], { env: db.env, now: '2026-12-01T00:00:00Z' });
      expect([range.status, range.stdout, range.stderr]).toEqual([2, '', 'confbill: --from: The start date "2026-13-01" is not a date YYYY-MM-DD.\n']);
      const plan = await runCli(['plan', 'history', 'ghost'], { env: db.env });
      expect([plan.status, plan.stderr]).toEqual([3, 'confbill: No plan with id "ghost". See `confbill plan list`.\n']);
    } finally {
      await db.drop();
    }
  });
});
