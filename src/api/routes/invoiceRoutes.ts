import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isBillingError } from '../../domain/billingError.ts';
import type { Invoice } from '../../domain/invoice.ts';
import { exportInvoice, type InvoiceExportFormat } from '../../services/exportInvoice.ts';
import { invoiceVersion } from '../../services/invoiceVersion.ts';
import { addDraftLine, approve, deleteDraft, generateInvoicesPerCustomer, removeDraftLine, setDraftNotes, showInvoice } from '../../services/invoicing.ts';
import { pageOfInvoices, type InvoicePosition } from '../../services/pageOfInvoices.ts';
import '../apiAccess.ts';
import type { ApiRouteModule } from '../apiContext.ts';
import { apiProblemSchema } from '../apiProblem.ts';
import { cursorKeys, invalidCursor, decimalString, encodeCursor, localDate, month, pageOf, pageQueryShape, plainText, slugId } from '../apiSchemas.ts';
import { entityTag, ifMatchHeaders, ifMatchRevisions } from '../ifMatch.ts';
import { invoiceSchema } from '../invoiceSchemas.ts';

const tags = ['invoices'];

const invoiceParams = z.strictObject({
  invoice: z.string().min(1).max(200).meta({ description: 'An invoice id, or the number of an approved invoice (12, or #12 written %2312).' }),
});

const draftRange = z.object({ id: z.string(), currency: z.string(), from: z.string(), to: z.string() });

const generationOutcome = z
  .discriminatedUnion('result', [
    z.object({ customerId: z.string(), result: z.literal('created'), invoices: z.array(invoiceSchema).meta({ description: 'The drafts made, one per currency.' }) }),
    z.object({ customerId: z.string(), result: z.literal('nothing-to-bill').meta({ description: 'No open item gives a line: no invoice is made and the items stay open.' }) }),
    z.object({
      customerId: z.string(),
      result: z.literal('draft-exists').meta({ description: 'A draft overlaps the range: review, approve or delete it to generate again.' }),
      drafts: z.array(draftRange),
    }),
  ])
  .meta({ id: 'InvoiceGenerationOutcome', description: 'What generation did for one customer.' });

const settlementDelayProblem = apiProblemSchema
  .extend({
    customerId: z.string().optional().meta({ description: 'The first customer whose range end is not yet past the settlement delay.' }),
    allowedAfter: z.string().optional().meta({ description: 'The instant (ISO 8601 UTC) after which the invoices may be generated.' }),
  })
  .meta({ id: 'SettlementDelayProblem', description: 'A problem answer; for a settlement-delay refusal with the customer and the time generation will be allowed.' });


/** A draft's ETag: its version (services/invoiceVersion.ts), which every edit changes. */
const etagOf = (invoice: Invoice): string => entityTag(invoiceVersion(invoice));

function withEtag(reply: FastifyReply, invoice: Invoice): Invoice {
  if (invoice.status === 'draft') void reply.header('etag', etagOf(invoice));
  return invoice;
}

function cursorPosition(cursor: string | undefined): InvoicePosition | undefined {
  if (cursor === undefined) return undefined;
  const [customerId, from, id] = cursorKeys(cursor, 3) as [string, string, string];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from)) throw invalidCursor();
  return { customerId, from, id };
}

const downloads: readonly { path: string; format: InvoiceExportFormat; summary: string }[] = [
  { path: 'pdf', format: 'pdf', summary: 'The invoice as a PDF (a draft says DRAFT; an approved invoice is rendered from the document frozen at approval).' },
  { path: 'csv', format: 'csv', summary: 'The lines of the invoice as CSV.' },
  { path: 'calls-csv', format: 'calls-csv', summary: 'The rated calls of the invoice as CSV.' },
];

/**
 * Invoices (docs/billing-rules.md §8): generate, list, show, edit drafts, delete, approve, download.
 * The invoice JSON is the CLI's (`invoice show --json`). Draft edits need If-Match with the ETag of
 * the draft; the service compares it under the invoice's row lock, so of two edits made on the same
 * version only the first passes.
 */
export const invoiceRoutes: ApiRouteModule = (app, { db, now, metrics }) => {
  app.post(
    '/api/v1/invoices/generate',
    {
      config: { access: 'bill' },
      schema: {
        tags,
        summary: 'Generate draft invoices of what is not invoiced yet, per customer and currency, as `confbill invoice generate`; says why a customer got none.',
        description: 'Refused with 409 (settlement-delay, with allowedAfter and a Retry-After header) while the range end of a customer is not yet past the settlement delay; then no invoice is made. The tax rate is the one of the settings.',
        body: z
          .strictObject({
            customers: z.array(slugId).min(1).max(1000).optional().meta({ description: 'The customers to invoice (one or several); or give all.' }),
            all: z.literal(true).optional().meta({ description: 'Every customer.' }),
            from: localDate.meta({ description: 'First day of the range (YYYY-MM-DD).' }),
            to: localDate.meta({ description: 'Day after the range (YYYY-MM-DD).' }),
          })
          .refine((b) => (b.customers === undefined) !== (b.all === undefined), { message: 'give either customers (a list of ids) or all: true', path: ['customers'] }),
        response: { 200: z.object({ customers: z.array(generationOutcome) }), 409: settlementDelayProblem },
      },
    },
    async (request) => {
      const { customers, from, to } = request.body;
      try {
        const outcomes = await generateInvoicesPerCustomer(db, { customerIds: customers, from, to, now: now(), actor: request.principal!.name });
        // The drafts as stored (with their creation time): the JSON a GET of each gives.
        for (const outcome of outcomes) if (outcome.result === 'created') outcome.invoices = await Promise.all(outcome.invoices.map((i) => showInvoice(db, i.id)));
        metrics.invoiceRuns.inc({ outcome: 'done' });
        return { customers: outcomes };
      } catch (error) {
        metrics.invoiceRuns.inc({ outcome: isBillingError(error) && error.code === 'settlement-delay' ? 'too-early' : 'failed' });
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/invoices',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'List invoices (drafts and approved) in the order customer, range start, id, as `confbill invoice list`.',
        querystring: z.strictObject({
          customer: z.union([slugId, z.array(slugId).max(1000)]).optional().meta({ description: 'Only these customers (repeat the parameter for several).' }),
          from: localDate.optional().meta({ description: 'Only invoices whose range ends after this day.' }),
          to: localDate.optional().meta({ description: 'Only invoices whose range starts before this day.' }),
          status: z.enum(['draft', 'approved']).optional(),
          ...pageQueryShape,
        }),
        response: { 200: pageOf(invoiceSchema) },
      },
    },
    async (request) => {
      const { customer, from, to, status, limit, cursor } = request.query;
      const page = await pageOfInvoices(db, {
        customerIds: customer === undefined ? undefined : [customer].flat(),
        from,
        to,
        status,
        after: cursorPosition(cursor),
        limit,
      });
      return { items: page.invoices, nextCursor: page.next ? encodeCursor(page.next.customerId, page.next.from, page.next.id) : null };
    },
  );

  app.get(
    '/api/v1/invoices/:invoice',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'One invoice, by id or by the number of an approved invoice: the JSON of `confbill invoice show --json`. A draft comes with an ETag for If-Match on edits.',
        params: invoiceParams,
        response: { 200: invoiceSchema, 404: apiProblemSchema },
      },
    },
    async (request, reply) => withEtag(reply, await showInvoice(db, request.params.invoice)),
  );

  app.delete(
    '/api/v1/invoices/:invoice',
    {
      config: { access: 'bill' },
      schema: {
        tags,
        summary: 'Delete a draft; its items go back to the next generation (approved invoices are never deleted). With If-Match, only the draft as it was read.',
        params: invoiceParams,
        headers: ifMatchHeaders,
        response: { 204: z.void().meta({ description: 'Deleted.' }), 404: apiProblemSchema, 409: apiProblemSchema, 412: apiProblemSchema },
      },
    },
    async (request, reply) => {
      await deleteDraft(db, request.params.invoice, request.principal!.name, { expectedVersions: ifMatchRevisions(request, { required: false }) });
      return reply.code(204).send();
    },
  );

  /** A draft edit: If-Match required, the edited draft and its new ETag back. */
  const draftEdit = async (request: FastifyRequest, reply: FastifyReply, edit: (expectedVersions: string[] | undefined) => Promise<Invoice>): Promise<Invoice> =>
    withEtag(reply, await edit(ifMatchRevisions(request, { required: true })));
  const editResponses = { 200: invoiceSchema, 400: apiProblemSchema, 404: apiProblemSchema, 409: apiProblemSchema, 412: apiProblemSchema, 428: apiProblemSchema };

  app.post(
    '/api/v1/invoices/:invoice/lines',
    {
      config: { access: 'bill' },
      schema: {
        tags,
        summary: 'Add a manual line to a draft (a negative unit price gives a credit); If-Match required. Answers the draft with its new ETag.',
        headers: ifMatchHeaders,
        params: invoiceParams,
        body: z.strictObject({
          description: plainText(500).min(1).refine((v) => v.trim() !== '', 'must not be blank').meta({ description: 'The text of the line.' }),
          unitPrice: decimalString.meta({ description: 'Price of one unit, in the invoice currency.' }),
          quantity: decimalString.optional().meta({ description: 'Default 1.' }),
          period: z.union([month, localDate]).optional().meta({ description: 'YYYY-MM or YYYY-MM-DD; default the first month of the invoice.' }),
        }),
        response: editResponses,
      },
    },
    async (request, reply) => draftEdit(request, reply, (expectedVersions) => addDraftLine(db, request.params.invoice, request.body, request.principal!.name, { expectedVersions })),
  );

  app.delete(
    '/api/v1/invoices/:invoice/lines/:line',
    {
      config: { access: 'bill' },
      schema: {
        tags,
        summary: 'Remove a manual line of a draft by its number (1 is the first line); If-Match required. Answers the draft with its new ETag.',
        headers: ifMatchHeaders,
        params: invoiceParams.extend({ line: z.coerce.number().int().min(1).max(100_000).meta({ description: 'The line number, 1-based, as the lines are listed.' }) }),
        response: editResponses,
      },
    },
    async (request, reply) => draftEdit(request, reply, (expectedVersions) => removeDraftLine(db, request.params.invoice, request.params.line, request.principal!.name, { expectedVersions })),
  );

  app.put(
    '/api/v1/invoices/:invoice/notes',
    {
      config: { access: 'bill' },
      schema: {
        tags,
        summary: 'Set the notes printed on a draft (an empty text clears them); If-Match required. Answers the draft with its new ETag.',
        headers: ifMatchHeaders,
        params: invoiceParams,
        body: z.strictObject({ notes: plainText(4000).meta({ description: 'The notes; "" clears them.' }) }),
        response: editResponses,
      },
    },
    async (request, reply) => draftEdit(request, reply, (expectedVersions) => setDraftNotes(db, request.params.invoice, request.body.notes, request.principal!.name, { expectedVersions })),
  );

  app.post(
    '/api/v1/invoices/:invoice/approve',
    {
      config: { access: 'approve' },
      schema: {
        tags,
        summary: 'Approve a draft: it gets the next gapless number, records the caller as its approver, and never changes again. With If-Match, only the draft as it was read.',
        params: invoiceParams,
        headers: ifMatchHeaders,
        response: { 200: invoiceSchema, 404: apiProblemSchema, 409: apiProblemSchema, 412: apiProblemSchema },
      },
    },
    async (request) => approve(db, request.params.invoice, { user: request.principal!.name, expectedVersions: ifMatchRevisions(request, { required: false }) }),
  );

  for (const download of downloads) {
    app.get(
      `/api/v1/invoices/:invoice/${download.path}`,
      {
        config: { access: 'read' },
        schema: {
          tags,
          summary: download.summary,
          params: invoiceParams,
          querystring: z.strictObject({
            disposition: z.enum(['attachment', 'inline']).default('attachment').meta({ description: 'inline: for showing in the page (the web admin\'s PDF preview) instead of saving.' }),
          }),
        },
      },
      async (request, reply) => {
        const file = await exportInvoice(db, request.params.invoice, download.format);
        if (request.query.disposition === 'inline') {
          // The web admin previews the PDF in a frame of its own pages: framing by this origin only.
          void reply.header('content-security-policy', "frame-ancestors 'self'").header('x-frame-options', 'SAMEORIGIN');
        }
        return reply.type(file.mediaType).header('content-disposition', `${request.query.disposition}; filename="${file.fileName}"`).send(file.content);
      },
    );
  }
};

