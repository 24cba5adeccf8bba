import { z } from 'zod';
import { runBilling } from '../../services/billingRun.ts';
import { knownCustomers } from '../../services/knownCustomers.ts';
import { peakPortsSeriesReport } from '../../services/peakPortsReport.ts';
import { previewInvoices, refusedChangesReportPage, rejectedRecordsReportPage, untrackedReportPage, usageReport, type ReportPage } from '../../services/reports.ts';
import '../apiAccess.ts';
import type { ApiRouteModule } from '../apiContext.ts';
import { cursorKey, encodeCursor, localDate, month, pageOf, pageOfList, pageQueryShape, plainText, slugId } from '../apiSchemas.ts';
import { repeatable, valuesOf } from '../repeatableQuery.ts';

const money = z.string().meta({ description: 'An exact decimal, as a string.' });
const nullableMoney = money.nullable();

const previewLine = z.object({
  kind: z.string(),
  description: z.string(),
  quantity: z.string(),
  unit: z.string(),
  amount: money,
  period: z.string(),
  planId: z.string().optional(),
  unitPrice: money.optional(),
  calls: z.number().int().optional(),
  late: z.boolean().optional(),
  basis: z.string().optional(),
});

const invoicePreview = z
  .object({
    customerId: z.string(),
    currency: z.string().nullable().meta({ description: 'Null for the row of charges no invoice can take (dated where the customer has no plan).' }),
    from: localDate,
    to: localDate,
    lines: z.array(previewLine),
    subtotal: nullableMoney,
    tax: nullableMoney,
    total: nullableMoney,
    items: z.array(z.object({ date: localDate, kind: z.string(), description: z.string(), amount: money, lines: z.array(z.number().int()) })).optional().meta({ description: 'The open items the invoice would take (with items=true).' }),
    notInvoiceable: z.array(z.object({ date: localDate, name: z.string(), amount: money })).optional(),
  })
  .meta({ id: 'InvoicePreview', description: 'What `invoice generate` would make now for one customer and currency, stored nowhere (`report non-invoiced --json`).' });

const untrackedCall = z
  .object({
    source: z.string(),
    externalId: z.string(),
    startedAt: z.string(),
    durationSeconds: z.number(),
    localAlias: z.string().nullable(),
    remoteAlias: z.string().nullable(),
    tenant: z.string().nullable(),
    customerId: z.string().nullable(),
    reason: z.enum(['no-customer', 'ambiguous', 'no-plan']),
    candidates: z.string().nullable().meta({ description: 'The matching rules an ambiguous call matched, space-separated.' }),
  })
  .meta({ id: 'UntrackedCall' });

const usageRow = z
  .object({
    customerId: z.string(),
    month,
    calls: z.number().int(),
    billedMinutes: z.number(),
    byCategoryDirection: z.array(z.object({ category: z.string(), direction: z.string(), calls: z.number().int(), billedMinutes: z.number() })),
    poolMinutes: z.number().nullable(),
    poolUsedMinutes: z.number().nullable(),
    overageMinutes: z.number().nullable(),
    peakPorts: z.number().int(),
    ports: z.number().int().nullable(),
  })
  .meta({ id: 'UsageRow' });

const peakPortsReport = z
  .object({
    customerId: z.string(),
    month,
    timeZone: z.string(),
    from: z.string().meta({ description: 'The month’s first instant: local midnight in the customer’s time zone.' }),
    to: z.string(),
    ports: z.number().int().nullable().meta({ description: 'The month’s port pool; null without one.' }),
    points: z.array(z.object({ at: z.string(), ports: z.number().int() })).meta({ description: 'Steps: from `at` on, until the next point (or `to`), the per-minute peak is `ports`.' }),
    peak: z.number().int(),
  })
  .meta({ id: 'PeakPortsReport' });

const refusedChange = z
  .object({
    source: z.string(),
    externalId: z.string(),
    customerId: z.string().nullable(),
    invoice: z.string().nullable().meta({ description: 'The invoice holding the call: its number once approved, else its id.' }),
    oldValues: z.record(z.string(), z.unknown()),
    newValues: z.record(z.string(), z.unknown()),
    file: z.string(),
    line: z.number().int().nullable(),
    refusedAt: z.string(),
  })
  .meta({ id: 'RefusedChange' });

const rejectedRecord = z
  .object({ format: z.string(), file: z.string(), line: z.number().int().nullable(), field: z.string().nullable(), reason: z.string(), raw: z.string(), source: z.string().nullable().optional(), rejectedAt: z.string() })
  .meta({ id: 'RejectedRecord' });

/** A date YYYY-MM-DD (the start of that day in the provider's time zone) or an instant with an offset. */
const bound = z.string().min(1).max(40).meta({ description: 'A date YYYY-MM-DD (its start in the provider’s time zone) or an instant with an offset.' });

/** A page read from the database in pages, as the API gives it: the service's position wrapped as a cursor. */
const pageOfReport = <T>(page: ReportPage<T>) => ({ items: page.items, nextCursor: page.next === null ? null : encodeCursor(page.next) });
const afterOf = (cursor: string | undefined): string | undefined => (cursor === undefined ? undefined : cursorKey(cursor));

/**
 * The reports of `confbill report` (docs/billing-rules.md §9). As in the CLI, the reports built on
 * rated data first bring matching and rating up to date, so they show what generating would now.
 */
export const reportRoutes: ApiRouteModule = (app, { db, now }) => {
  const reports = '/api/v1/reports';
  const tags = ['reports'];
  const upToDate = () => runBilling(db, { now: now() });

  app.get(
    `${reports}/non-invoiced`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'The next invoices previewed: per customer and currency, what generating now would make (`report non-invoiced`); paged by customer.',
        querystring: z.strictObject({
          customer: repeatable(slugId).meta({ description: 'A customer id; repeat for several (all customers without).' }),
          from: localDate.optional().meta({ description: 'Default: where the customer’s last invoice ends, else the first day of the month.' }),
          to: localDate.optional().meta({ description: 'The day after the last day; default: tomorrow in the customer’s time zone.' }),
          items: z.enum(['true', 'false']).optional().meta({ description: 'true: list the open items each invoice would take.' }),
          ...pageQueryShape,
        }),
        response: { 200: pageOf(invoicePreview) },
      },
    },
    async (request) => {
      const { from, to, items } = request.query;
      const customers = await knownCustomers(db, valuesOf(request.query.customer));
      const page = pageOfList(customers.map((c) => c.id), (id) => id, request.query);
      if (page.items.length === 0) return { items: [], nextCursor: null };
      await upToDate();
      const previews = await previewInvoices(db, { customerIds: page.items, from, to, now: now(), items: items === 'true' });
      return { items: previews, nextCursor: page.nextCursor };
    },
  );

  app.get(
    `${reports}/untracked`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Calls billed to no customer, with the reason (no customer, ambiguous, no plan at their start), by start; paged in the database.',
        querystring: z.strictObject({
          customer: repeatable(slugId).meta({ description: 'The calls matched to this customer with no plan, or ambiguous between its rules and another’s; repeat for several.' }),
          source: plainText(64).min(1).optional(),
          from: bound.optional(),
          to: bound.optional(),
          ...pageQueryShape,
        }),
        response: { 200: pageOf(untrackedCall) },
      },
    },
    async (request) => {
      const { source, from, to, limit, cursor } = request.query;
      await upToDate();
      return pageOfReport(await untrackedReportPage(db, { customerIds: valuesOf(request.query.customer), source, from, to }, { limit, after: afterOf(cursor) }));
    },
  );

  app.get(
    `${reports}/usage`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Per customer and month: calls, billed minutes by category and direction, included-minutes pool, peak ports.',
        querystring: z.strictObject({ customer: repeatable(slugId).meta({ description: 'A customer id; repeat for several (all customers without).' }), ...pageQueryShape }),
        response: { 200: pageOf(usageRow) },
      },
    },
    async (request) => {
      await upToDate();
      const rows = await usageReport(db, valuesOf(request.query.customer));
      return pageOfList(rows, (r) => `${r.customerId} ${r.month}`, request.query);
    },
  );

  app.get(
    `${reports}/peak-ports`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Peak ports per minute of one customer and month against its port pool, as a step series a chart draws.',
        querystring: z.strictObject({ customer: slugId, month }),
        response: { 200: peakPortsReport },
      },
    },
    async (request) => {
      await upToDate();
      return peakPortsSeriesReport(db, request.query.customer, request.query.month);
    },
  );

  app.get(
    `${reports}/refused-changes`,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Later records for invoiced calls, refused at ingest: the fields they would have changed, old and new; in the order refused, paged in the database.',
        querystring: z.strictObject({
          customer: repeatable(slugId),
          source: plainText(64).min(1).optional(),
          from: bound.optional().meta({ description: 'Refused at or after: a date YYYY-MM-DD or an instant with an offset.' }),
          to: bound.optional().meta({ description: 'Refused before: a date YYYY-MM-DD or an instant with an offset.' }),
          ...pageQueryShape,
        }),
        response: { 200: pageOf(refusedChange) },
      },
    },
    async (request) => {
      const { source, from, to, limit, cursor } = request.query;
      return pageOfReport(await refusedChangesReportPage(db, { customerIds: valuesOf(request.query.customer), source, from, to }, { limit, after: afterOf(cursor) }));
    },
  );

  app.get(
    `${reports}/rejected`,
    {
      config: { access: 'read' },
      schema: { tags, summary: 'The records that could not be read, with file, line, field and reason; oldest first, paged in the database.', querystring: z.strictObject(pageQueryShape), response: { 200: pageOf(rejectedRecord) } },
    },
    async (request) => pageOfReport(await rejectedRecordsReportPage(db, { limit: request.query.limit, after: afterOf(request.query.cursor) })),
  );
};
