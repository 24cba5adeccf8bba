import { z } from 'zod';
import { invoiceLineKinds } from '../domain/invoiceLine.ts';

/**
 * The invoice JSON of the CLI (`invoice show --json`, docs/billing-rules.md "Files and commands") as
 * the API sends it. Response schemas only: what the database holds is sent as it is, so a decimal is
 * any decimal string here (request bodies use the stricter `decimalString`).
 */
const decimalText = z.string().meta({ description: 'An exact decimal, as a string.' });

export const invoiceLineSchema = z
  .object({
    kind: z.enum(invoiceLineKinds),
    description: z.string(),
    quantity: decimalText,
    unit: z.enum(['minute', 'day', 'entity-day', 'port-minute', 'unit', 'percent']),
    amount: decimalText.meta({ description: "quantity × unitPrice rounded half up to the currency's minor unit." }),
    period: z.string().meta({ description: 'YYYY-MM for monthly groupings, YYYY-MM-DD for dated elements.' }),
    planId: z.string().optional(),
    unitPrice: decimalText.optional(),
    calls: z.number().int().optional().meta({ description: 'How many calls a call-charges line holds.' }),
    late: z.boolean().optional().meta({ description: 'The line holds only items dated before the invoice range.' }),
    basis: z.enum(['included-minutes', 'port-pool']).optional().meta({ description: 'The pool an overage or adjustment line settles.' }),
  })
  .meta({ id: 'InvoiceLine' });

export const invoiceSchema = z
  .object({
    id: z.string(),
    number: z.number().int().nullable().meta({ description: 'Given at approval (gapless); null for a draft.' }),
    status: z.enum(['draft', 'approved']),
    customerId: z.string(),
    currency: z.string(),
    from: z.string().meta({ description: 'First day of the range, YYYY-MM-DD.' }),
    to: z.string().meta({ description: 'Day after the range, YYYY-MM-DD.' }),
    lines: z.array(invoiceLineSchema),
    total: decimalText,
    notes: z.string().nullable().optional().meta({ description: 'Printed on the invoice.' }),
    createdAt: z.string().optional().meta({ description: 'An instant, ISO 8601 in UTC.' }),
    approvedAt: z.string().nullable().optional().meta({ description: 'An instant, ISO 8601 in UTC.' }),
    approvedBy: z.string().nullable().optional().meta({ description: 'Who approved it: a user, an API key or a CLI user.' }),
  })
  .meta({ id: 'Invoice', description: 'The invoice JSON, as `confbill invoice show --json` prints it.' });
