import { BillingError } from '../domain/billingError.ts';
import { addDraftLine, approve, deleteDraft, generateInvoices, removeDraftLine, setDraftNotes, showInvoice } from '../services/invoicing.ts';
import { listInvoices } from '../storage/invoiceStore.ts';
import { printJson, println, withDatabase, type CliContext } from './cliContext.ts';
import { invoiceText } from './invoiceText.ts';
import { terminalSafeText } from './terminalSafeText.ts';

export async function invoiceGenerateCommand(ctx: CliContext, options: { customer?: string[]; all?: boolean; from: string; to: string; json?: boolean }): Promise<number> {
  if (!options.all && !options.customer?.length) throw new BillingError('invalid-argument', 'Say which customers: --customer ID (repeatable) or --all.');
  return withDatabase(ctx, async (db) => {
    const invoices = await generateInvoices(db, { customerIds: options.all ? undefined : options.customer, from: options.from, to: options.to, now: ctx.now() });
    if (options.json) printJson(ctx, invoices);
    else if (invoices.length === 0) println(ctx, `No invoice: nothing to bill between ${options.from} and ${options.to} that is not already invoiced.`);
    else for (const invoice of invoices) println(ctx, `${invoiceText(invoice)}\n`);
    return 0;
  });
}

export async function invoiceListCommand(ctx: CliContext, options: { customer?: string[]; from?: string; to?: string; json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const invoices = await listInvoices(db, { customerIds: options.customer, from: options.from, to: options.to });
    if (options.json) {
      printJson(ctx, invoices);
      return 0;
    }
    if (invoices.length === 0) println(ctx, 'No invoices.');
    for (const i of invoices) println(ctx, `${i.id}  ${String(i.number ?? 'DRAFT').padEnd(6)}  ${terminalSafeText(i.customerId).padEnd(16)}  ${i.from} – ${i.to}  ${i.total.padStart(12)} ${i.currency}  ${i.status}`);
    return 0;
  });
}

export async function invoiceShowCommand(ctx: CliContext, id: string, options: { json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const invoice = await showInvoice(db, id);
    if (options.json) printJson(ctx, invoice);
    else println(ctx, invoiceText(invoice));
    return 0;
  });
}

export async function invoiceApproveCommand(ctx: CliContext, id: string): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const invoice = await approve(db, id);
    println(ctx, `Invoice ${id} approved as number ${invoice.number}.`);
    return 0;
  });
}

export async function invoiceDeleteCommand(ctx: CliContext, id: string): Promise<number> {
  return withDatabase(ctx, async (db) => {
    await deleteDraft(db, id);
    println(ctx, `Draft invoice ${id} deleted; its items are free for the next generation.`);
    return 0;
  });
}

export async function invoiceAddLineCommand(ctx: CliContext, id: string, options: { description: string; unitPrice: string; quantity?: string; period?: string; json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const invoice = await addDraftLine(db, id, options);
    if (options.json) printJson(ctx, invoice);
    else println(ctx, invoiceText(invoice));
    return 0;
  });
}

export async function invoiceRemoveLineCommand(ctx: CliContext, id: string, position: string, options: { json?: boolean }): Promise<number> {
  if (!/^\d+$/.test(position)) throw new BillingError('invalid-argument', `Line "${position}" is not a line number; \`confbill invoice show ${id}\` numbers the lines.`);
  return withDatabase(ctx, async (db) => {
    const invoice = await removeDraftLine(db, id, Number(position));
    if (options.json) printJson(ctx, invoice);
    else println(ctx, invoiceText(invoice));
    return 0;
  });
}

export async function invoiceNoteCommand(ctx: CliContext, id: string, text: string): Promise<number> {
  return withDatabase(ctx, async (db) => {
    await setDraftNotes(db, id, text);
    println(ctx, text.trim() ? `Notes of draft ${id} set.` : `Notes of draft ${id} cleared.`);
    return 0;
  });
}
