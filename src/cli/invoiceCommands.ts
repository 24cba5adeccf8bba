import { BillingError } from '../domain/billingError.ts';
import { addDraftLine, approve, deleteDraft, generateInvoicesPerCustomer, invoicesOf, removeDraftLine, setDraftNotes, showInvoice, type GenerationOutcome } from '../services/invoicing.ts';
import { printJson, println, withDatabase, type CliContext } from './cliContext.ts';
import { confirmAction } from './confirmAction.ts';
import { approvalText, invoiceText } from './invoiceText.ts';
import { terminalSafeText } from './terminalSafeText.ts';
import { countText } from './countText.ts';

/** One sentence per customer for which generation made no invoice: why, and what to do. */
function skippedText(outcome: Exclude<GenerationOutcome, { result: 'created' }>, range: string): string {
  const customer = `Customer ${terminalSafeText(outcome.customerId)}`;
  if (outcome.result === 'nothing-to-bill') return `${customer}: nothing to bill ${range}; no invoice made.`;
  const drafts = outcome.drafts.map((d) => `${d.id} (${d.from} to ${d.to}, ${d.currency})`).join(', ');
  return `${customer}: already has draft ${drafts} overlapping ${range}; no invoice made. Review or approve it, or delete it to generate again.`;
}

export async function invoiceGenerateCommand(ctx: CliContext, options: { customer?: string[]; all?: boolean; from: string; to: string; json?: boolean }): Promise<number> {
  if (!options.all && !options.customer?.length) throw new BillingError('invalid-argument', 'Say which customers: --customer ID (repeatable) or --all.');
  return withDatabase(ctx, async (db) => {
    const outcomes = await generateInvoicesPerCustomer(db, { customerIds: options.all ? undefined : options.customer, from: options.from, to: options.to, now: ctx.now(), actor: ctx.user });
    const range = `from ${options.from} to ${options.to}`;
    const created = outcomes.flatMap((o) => (o.result === 'created' ? o.invoices : []));
    const skipped = outcomes.filter((o): o is Exclude<GenerationOutcome, { result: 'created' }> => o.result !== 'created');
    if (options.json) {
      // Standard output stays the JSON array of created invoices (docs/billing-rules.md, "Files and commands"); why the others got none goes to standard error.
      printJson(ctx, created);
      for (const o of skipped) ctx.stderr.write(`${terminalSafeText(skippedText(o, range))}\n`);
      return 0;
    }
    for (const o of outcomes) {
      if (o.result !== 'created') println(ctx, skippedText(o, range));
      else for (const invoice of o.invoices) println(ctx, `Customer ${terminalSafeText(o.customerId)}: draft ${invoice.id} created, total ${invoice.total} ${invoice.currency}.\n${invoiceText(invoice)}\n`);
    }
    if (outcomes.length === 0) println(ctx, 'No customers.');
    else {
      const nothing = skipped.filter((o) => o.result === 'nothing-to-bill').length;
      println(ctx, `${countText(created.length, 'draft invoice')} created; ${countText(nothing, 'customer')} with nothing to bill; ${countText(skipped.length - nothing, 'customer')} with a draft already.`);
    }
    return 0;
  });
}

export async function invoiceListCommand(ctx: CliContext, options: { customer?: string[]; from?: string; to?: string; json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const invoices = await invoicesOf(db, { customerIds: options.customer, from: options.from, to: options.to });
    if (options.json) {
      printJson(ctx, invoices);
      return 0;
    }
    if (invoices.length === 0) println(ctx, 'No invoices.');
    for (const i of invoices) {
      const approval = i.status === 'approved' ? `  ${approvalText(i)}` : '';
      println(ctx, `${i.id}  ${String(i.number ?? 'DRAFT').padEnd(6)}  ${terminalSafeText(i.customerId).padEnd(16)}  ${i.from} – ${i.to}  ${i.total.padStart(12)} ${i.currency}  ${i.status}${approval}`);
    }
    return 0;
  });
}

export async function invoiceShowCommand(ctx: CliContext, reference: string, options: { json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const invoice = await showInvoice(db, reference);
    if (options.json) printJson(ctx, invoice);
    else println(ctx, invoiceText(invoice));
    return 0;
  });
}

export async function invoiceApproveCommand(ctx: CliContext, reference: string, options: { yes?: boolean } = {}): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const draft = await showInvoice(db, reference);
    if (draft.status === 'approved') throw new BillingError('invoice-immutable', `Invoice ${draft.number} is already approved.`);
    const question = `Approve invoice ${draft.id} for customer ${terminalSafeText(draft.customerId)}, ${draft.from} to ${draft.to}, total ${draft.total} ${draft.currency}? This is permanent.`;
    if (!(await confirmAction(ctx, question, { yes: options.yes, flagHint: '`confbill invoice approve`' }))) {
      println(ctx, `Invoice ${draft.id} not approved; it stays a draft.`);
      return 0;
    }
    const invoice = await approve(db, draft.id, { user: ctx.user });
    println(ctx, `Invoice ${draft.id} approved as number ${invoice.number} (${approvalText(invoice)}).`);
    return 0;
  });
}

export async function invoiceDeleteCommand(ctx: CliContext, reference: string): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const { id } = await showInvoice(db, reference);
    await deleteDraft(db, id, ctx.user);
    println(ctx, `Draft invoice ${id} deleted; its items are free for the next generation.`);
    return 0;
  });
}

export async function invoiceAddLineCommand(ctx: CliContext, reference: string, options: { description: string; unitPrice: string; quantity?: string; period?: string; json?: boolean }): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const invoice = await addDraftLine(db, reference, options, ctx.user);
    if (options.json) printJson(ctx, invoice);
    else println(ctx, invoiceText(invoice));
    return 0;
  });
}

export async function invoiceRemoveLineCommand(ctx: CliContext, reference: string, position: string, options: { json?: boolean }): Promise<number> {
  if (!/^\d+$/.test(position)) throw new BillingError('invalid-argument', `Line "${position}" is not a line number; \`confbill invoice show ${reference}\` numbers the lines.`);
  return withDatabase(ctx, async (db) => {
    const invoice = await removeDraftLine(db, reference, Number(position), ctx.user);
    if (options.json) printJson(ctx, invoice);
    else println(ctx, invoiceText(invoice));
    return 0;
  });
}

export async function invoiceNoteCommand(ctx: CliContext, reference: string, text: string): Promise<number> {
  return withDatabase(ctx, async (db) => {
    const invoice = await setDraftNotes(db, reference, text, ctx.user);
    println(ctx, text.trim() ? `Notes of draft ${invoice.id} set.` : `Notes of draft ${invoice.id} cleared.`);
    return 0;
  });
}
