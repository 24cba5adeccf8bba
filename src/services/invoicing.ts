import { randomUUID } from 'node:crypto';
import { groupBy } from '../domain/groupBy.ts';
import { BillingError } from '../domain/billingError.ts';
import { addDays, firstDayOfMonth, formatInstant, isValidLocalDate, monthOf, nextMonth } from '../domain/calendar.ts';
import { invoiceAllowedAfter } from '../domain/settlementDelay.ts';
import { computeInvoice, type InvoiceComputation } from '../domain/computeInvoice.ts';
import { callsSummable, type CallMinutes } from '../domain/callSum.ts';
import { addManualLine, removeManualLine, type ManualLineInput } from '../domain/draftInvoiceEdit.ts';
import { invoiceReferenceText, parseInvoiceReference, type InvoiceReference } from '../domain/invoiceReference.ts';
import type { Database, Sql } from '../storage/database.ts';
import { claimItemsForInvoices, invoicedCallMinutes, invoicedItemsOfPlans, openCallSums, openItemsBefore, type ItemClaim, type OpenCallSum, type StoredItem } from '../storage/billingItemStore.ts';
import { lockCustomers, tryLockCustomers } from '../storage/customerLocks.ts';
import { approveInvoice, deleteInvoice, draftsOverlapping, getInvoice, insertInvoices, invoiceExists, invoiceIdByNumber, invoiceStatusForUpdate, priorOverageCharges, listInvoices, rewriteDraft, type DraftRange, type InvoiceFilter } from '../storage/invoiceStore.ts';
import type { Invoice } from '../domain/invoice.ts';
import type { BillingItem } from '../domain/billingItem.ts';
import type { InvoiceLine } from '../domain/invoiceLine.ts';
import { invoiceSummary } from '../domain/auditEntry.ts';
import { appendAuditEntries, appendAuditEntry } from '../storage/auditLogStore.ts';
import { loadPlanVersions, planVersionsByPlan } from '../storage/planStore.ts';
import { customersNeedingRating, markRatingDirty } from '../storage/ratingStateStore.ts';
import { readSettings } from '../storage/settingsStore.ts';
import { insertInvoiceSnapshot } from '../storage/invoiceSnapshotStore.ts';
import { rateCustomers } from './billingRun.ts';
import { approvedDocument, liveInvoiceDocument } from './invoiceDocument.ts';
import { invoiceVersion } from './invoiceVersion.ts';
import { knownCustomers } from './knownCustomers.ts';
import { recordInvoiceEvent, recordInvoiceEvents } from './webhookEvents.ts';

export interface GenerateRequest {
  customerIds?: readonly string[];
  from: string;
  to: string;
  now: Date;
  /** Who generates (recorded in the audit log). */
  actor: string;
}

export function assertRange(from: string, to: string): void {
  if (!isValidLocalDate(from)) throw new BillingError('invalid-argument', `The start date "${from}" is not a date YYYY-MM-DD.`, { field: 'from', value: from });
  if (!isValidLocalDate(to)) throw new BillingError('invalid-argument', `The end date "${to}" is not a date YYYY-MM-DD.`, { field: 'to', value: to });
  if (from >= to) throw new BillingError('invalid-argument', `The invoice range is empty: the start date ${from} must be before the end date ${to}.`, { field: 'to', value: to });
}

/** What a settlement-delay refusal of generation carries: the first customer refused and when its invoices may be generated. */
export interface SettlementDelayDetails {
  /** The range end is what is too early. */
  field: 'to';
  customer: string;
  /** ISO 8601 UTC: generation is allowed once this instant is past. */
  allowedAfter: string;
}

/** What generation did for one customer: an invoice per currency, or why none. */
export type GenerationOutcome =
  | { customerId: string; result: 'created'; invoices: Invoice[] }
  /** No open item gives a line: an invoice would be empty, so none is made and the items stay open. */
  | { customerId: string; result: 'nothing-to-bill' }
  /** A draft overlaps the range: delete it to generate again (a second draft would split the period). */
  | { customerId: string; result: 'draft-exists'; drafts: DraftRange[] };

/** Customers generated per transaction: one lock, a few set-based reads and writes for all of them. */
const generationBatch = 50;

/**
 * docs/billing-rules.md §8 "Generate invoice": for each customer, once the range end is past the settlement delay,
 * rates the customer, then under the customer's lock takes every item dated before `to` that is in no
 * invoice, one draft per currency. Generating twice, at once or one after the other, never puts an
 * item into two invoices: the lock serializes generators and the claim only moves items still free.
 * A customer with a draft whose range overlaps [from, to) gets no second draft, and an invoice
 * without lines is never made (docs/adr/0013-invoice-lines-and-generation.md). Customers are
 * generated in batches, one transaction each (docs/adr/0023-set-based-invoice-run.md); processes
 * running at once share the customers between them (docs/scaling.md).
 */
export async function generateInvoicesPerCustomer(db: Database, request: GenerateRequest): Promise<GenerationOutcome[]> {
  const { from, to, now } = request;
  assertRange(from, to);
  const settings = await readSettings(db);
  const customers = await knownCustomers(db, request.customerIds);

  for (const c of customers) {
    const allowedAt = invoiceAllowedAfter(to, c.timezone ?? settings.timezone, settings.settlementDelayMinutes);
    if (now.getTime() <= allowedAt) {
      throw new BillingError('settlement-delay', `Invoices for customer "${c.id}" up to ${to} can be generated after ${formatInstant(allowedAt)} (the range end plus the settlement delay of ${settings.settlementDelayMinutes} minutes).`, { field: 'to', customer: c.id, allowedAfter: new Date(allowedAt).toISOString() } satisfies SettlementDelayDetails);
    }
  }

  await rateThrough(db, customers.map((c) => c.id), to, now);

  const options = { from, to, taxRatePercent: settings.taxRatePercent, actor: request.actor };
  const all = customers.map((c) => ({ customerId: c.id, timeZone: c.timezone ?? settings.timezone }));
  const outcomes = new Map<string, GenerationOutcome>();
  // Customers another process is generating are skipped, so that processes share a run; then each
  // skipped one is waited for and found with its draft made (or generated, if that process died).
  const skipped: typeof all = [];
  for (let i = 0; i < all.length; i += generationBatch) {
    const batch = all.slice(i, i + generationBatch);
    await db.transaction(async (tx) => {
      const locked = new Set(await tryLockCustomers(tx, batch.map((c) => c.customerId)));
      skipped.push(...batch.filter((c) => !locked.has(c.customerId)));
      for (const o of await generateBatch(tx, batch.filter((c) => locked.has(c.customerId)), options)) outcomes.set(o.customerId, o);
    });
  }
  for (let i = 0; i < skipped.length; i += generationBatch) {
    const batch = skipped.slice(i, i + generationBatch);
    await db.transaction(async (tx) => {
      await lockCustomers(tx, batch.map((c) => c.customerId));
      for (const o of await generateBatch(tx, batch, options)) outcomes.set(o.customerId, o);
    });
  }
  return all.map((c) => outcomes.get(c.customerId)!);
}

/**
 * One transaction of generation for customers whose locks the caller holds: their drafts computed,
 * stored and their items claimed together.
 */
async function generateBatch(tx: Sql, batch: readonly { customerId: string; timeZone: string }[], options: { from: string; to: string; taxRatePercent?: string; actor: string }): Promise<GenerationOutcome[]> {
  if (batch.length === 0) return [];
  const { from, to } = options;
  const ids = batch.map((c) => c.customerId);
  const existing = groupBy(await draftsOverlapping(tx, ids, from, to), (d) => d.customerId);
  const free = batch.filter((c) => !existing.has(c.customerId));
  const computed = await computeDraftsOf(tx, free, { from, to, taxRatePercent: options.taxRatePercent }, { sumCalls: true });
  const made = new Map<string, Invoice[]>();
  const claims: ItemClaim[] = [];
  for (const c of free) {
    const invoices: Invoice[] = [];
    for (const { currency, computation, items, lastItemId } of computed.get(c.customerId) ?? []) {
      const invoice: Invoice = { id: randomUUID(), number: null, status: 'draft', customerId: c.customerId, currency, from, to, lines: computation.lines, total: computation.total };
      invoices.push(invoice);
      claims.push({ invoiceId: invoice.id, customerId: c.customerId, currency, before: to, lastItemId, items });
    }
    made.set(c.customerId, invoices);
  }
  const all = [...made.values()].flat();
  await insertInvoices(tx, all);
  const { claimed, expected } = await claimItemsForInvoices(tx, claims);
  if (claimed !== expected) throw new BillingError('conflict', `Items of customers ${ids[0]}..${ids[ids.length - 1]} were invoiced by another process meanwhile; generate again.`);
  await recordInvoiceEvents(tx, 'invoice.generated', all);
  await appendAuditEntries(tx, all.map((invoice) => ({ actor: options.actor, action: 'invoice.generated', objectKind: 'invoice', objectId: invoice.id, before: null, after: invoiceSummary(invoice) })));
  return batch.map((c): GenerationOutcome => {
    const drafts = existing.get(c.customerId);
    if (drafts) return { customerId: c.customerId, result: 'draft-exists', drafts: drafts.map(({ customerId: _customerId, ...d }) => d) };
    const invoices = made.get(c.customerId)!;
    return invoices.length ? { customerId: c.customerId, result: 'created', invoices } : { customerId: c.customerId, result: 'nothing-to-bill' };
  });
}

/** Billing data must be current and reach `to`: rates, in batches, only the customers that need it. */
export async function rateThrough(db: Database, customerIds: readonly string[], to: string, now: Date): Promise<void> {
  const stale = await customersNeedingRating(db, to, customerIds);
  if (stale.length) await rateCustomers(db, { customerIds: stale, now, through: to });
}

/** One invoice that generation would make: its currency, the open items it takes, and its lines and total. */
export interface DraftComputation {
  currency: string;
  /** The items it takes, read one by one (generation sums the calls of plans without a port pool instead: see computeDraftsOf). */
  taken: StoredItem[];
  /** How many items it takes in all, and the greatest item id among them (what the claim moves). */
  items: number;
  lastItemId: number;
  computation: InvoiceComputation;
}

/**
 * What generating a customer's invoices for `from`..`to` makes, computed and not stored: every open
 * item dated before `to`, one draft per currency. Generation stores these; the non-invoiced report
 * (the preview of the next invoices) shows them, so the preview is what generation produces. With
 * `sumCalls`, the calls of plans without a port pool are summed by the database and not in `taken`.
 */
export async function computeDrafts(tx: Sql, request: { customerId: string; timeZone: string; from: string; to: string; taxRatePercent?: string; sumCalls?: boolean }): Promise<DraftComputation[]> {
  const { customerId, timeZone, sumCalls, ...range } = request;
  return (await computeDraftsOf(tx, [{ customerId, timeZone }], range, { sumCalls: sumCalls === true })).get(customerId) ?? [];
}

/** The month-to-date basis of one draft: its months, plans and the range of earlier items that count for its overage. */
function draftBasis(items: readonly BillingItem[], sums: readonly OpenCallSum[]): { months: string[]; planIds: string[]; earliest: string; latest: string } {
  const months = [...new Set([...items.map((i) => monthOf(i.date)), ...sums.map((s) => s.sum.month)])].sort();
  const planIds = [...new Set([...items.map((i) => i.planId), ...sums.map((s) => s.sum.planId)])];
  const earliest = firstDayOfMonth(monthOf(addDays(firstDayOfMonth(months[0]!), -1)));
  const latest = firstDayOfMonth(nextMonth(months[months.length - 1]!));
  return { months, planIds, earliest, latest };
}

/**
 * computeDrafts for several customers with one read of each kind for all of them: their open items,
 * the earlier invoiced items and overage charges of their plans (each draft then keeps only its own
 * customer's, plans' and months', as a read per draft would), and the plan versions. With `sumCalls`
 * (generation, which needs no line's items), the calls of plans without a port pool, open or
 * invoiced, are not read but summed by the database (docs/adr/0028-invoice-lines-from-sums.md).
 */
async function computeDraftsOf(tx: Sql, customers: readonly { customerId: string; timeZone: string }[], range: { from: string; to: string; taxRatePercent?: string }, options: { sumCalls: boolean } = { sumCalls: false }): Promise<Map<string, DraftComputation[]>> {
  const { from, to } = range;
  const result = new Map<string, DraftComputation[]>();
  if (customers.length === 0) return result;
  const ids = customers.map((c) => c.customerId);
  const summedPlans = options.sumCalls ? [...(await planVersionsByPlan(tx))].filter(([, versions]) => callsSummable(versions)).map(([planId]) => planId) : [];
  const open = groupBy(await openItemsBefore(tx, ids, to, summedPlans), (o) => o.item.customerId);
  const sums = groupBy(await openCallSums(tx, ids, to, summedPlans), (s) => s.customerId);
  const pending: { customerId: string; timeZone: string; currency: string; taken: StoredItem[]; items: BillingItem[]; sums: OpenCallSum[]; basis: ReturnType<typeof draftBasis> }[] = [];
  for (const c of customers) {
    const itemsByCurrency = groupBy(open.get(c.customerId) ?? [], (o) => o.item.currency);
    const sumsByCurrency = groupBy(sums.get(c.customerId) ?? [], (s) => s.currency);
    for (const currency of [...new Set([...itemsByCurrency.keys(), ...sumsByCurrency.keys()])].sort()) {
      const taken = itemsByCurrency.get(currency) ?? [];
      const summed = sumsByCurrency.get(currency) ?? [];
      const items = taken.map((o) => o.item);
      pending.push({ customerId: c.customerId, timeZone: c.timeZone, currency, taken, items, sums: summed, basis: draftBasis(items, summed) });
    }
  }
  if (pending.length === 0) return result;
  const customerIds = [...new Set(pending.map((p) => p.customerId))];
  const allPlans = [...new Set(pending.flatMap((p) => p.basis.planIds))];
  const allMonths = [...new Set(pending.flatMap((p) => p.basis.months))];
  const earliest = pending.reduce((d, p) => (p.basis.earliest < d ? p.basis.earliest : d), pending[0]!.basis.earliest);
  const latest = pending.reduce((d, p) => (p.basis.latest > d ? p.basis.latest : d), pending[0]!.basis.latest);
  const priorItems = groupBy((await invoicedItemsOfPlans(tx, customerIds, allPlans, earliest, latest, summedPlans)).map((p) => p.item), (i) => i.customerId);
  const priorMinutes = groupBy(await invoicedCallMinutes(tx, customerIds, summedPlans.filter((planId) => allPlans.includes(planId)), earliest, latest), (m) => m.customerId);
  const priorCharges = groupBy(await priorOverageCharges(tx, customerIds, allPlans, allMonths), (c) => c.customerId);
  const priorOf = new Map(pending.map((p) => {
    const plans = new Set(p.basis.planIds);
    return [p, (priorItems.get(p.customerId) ?? []).filter((i) => plans.has(i.planId) && i.date >= p.basis.earliest && i.date < p.basis.latest)] as const;
  }));
  // The basis runs from the first day of a month to the first day of another: whole months.
  const priorMinutesOf = (p: (typeof pending)[number]): CallMinutes[] => {
    const plans = new Set(p.basis.planIds);
    const [first, end] = [monthOf(p.basis.earliest), monthOf(p.basis.latest)];
    return (priorMinutes.get(p.customerId) ?? []).filter((m) => m.currency === p.currency && plans.has(m.planId) && m.month >= first && m.month < end).map(({ customerId: _c, currency: _currency, ...minutes }) => minutes);
  };
  const versions = await loadPlanVersions(tx, pending.flatMap((p) => [...p.items, ...priorOf.get(p)!].map((i) => ({ planId: i.planId, version: i.planVersion }))));
  for (const p of pending) {
    const plans = new Set(p.basis.planIds);
    const months = new Set(p.basis.months);
    const computation = computeInvoice({
      currency: p.currency,
      timeZone: p.timeZone,
      from,
      to,
      items: p.items,
      callSums: p.sums.map((s) => s.sum),
      priorCallMinutes: priorMinutesOf(p),
      priorItems: priorOf.get(p)!,
      priorCharges: (priorCharges.get(p.customerId) ?? []).filter((c) => plans.has(c.planId) && months.has(c.month)).map(({ customerId: _customerId, ...charge }) => charge),
      taxRatePercent: range.taxRatePercent,
      planVersion: (planId, version) => {
        const definition = versions.get(`${planId}@${version}`);
        if (!definition) throw new BillingError('storage', `Plan "${planId}" version ${version} is missing.`);
        return definition;
      },
    });
    // Items that give no line (a free plan, calls inside the pool) stay open: they bill nothing now.
    if (computation.lines.length) {
      const list = result.get(p.customerId);
      const draft: DraftComputation = {
        currency: p.currency,
        taken: p.taken,
        items: p.taken.length + p.sums.reduce((n, s) => n + s.items, 0),
        lastItemId: Math.max(p.taken.reduce((last, o) => Math.max(last, o.id), 0), p.sums.reduce((last, s) => Math.max(last, s.lastItemId), 0)),
        computation,
      };
      if (list) list.push(draft);
      else result.set(p.customerId, [draft]);
    }
  }
  return result;
}

/** The drafts generation created, over all customers (see generateInvoicesPerCustomer). */
export async function generateInvoices(db: Database, request: GenerateRequest): Promise<Invoice[]> {
  return (await generateInvoicesPerCustomer(db, request)).flatMap((o) => (o.result === 'created' ? o.invoices : []));
}

/** The id of the invoice a user names by id or by approval number. */
export async function invoiceIdOf(db: Sql, reference: string): Promise<string> {
  const parsed = parseInvoiceReference(reference);
  const id = 'number' in parsed ? await invoiceIdByNumber(db, parsed.number) : (await invoiceExists(db, parsed.id)) ? parsed.id : undefined;
  if (id === undefined) throw notFound(parsed);
  return id;
}

function notFound(reference: InvoiceReference): BillingError {
  const hint = 'number' in reference ? 'numbers are given at approval' : 'give an invoice id or the number of an approved invoice';
  return new BillingError('not-found', `No invoice with ${invoiceReferenceText(reference)}: ${hint}.`, { field: 'invoice', value: 'number' in reference ? String(reference.number) : reference.id, remedy: 'list-invoices' });
}

/** The invoice named by its id or its number. */
export async function showInvoice(db: Sql, reference: string): Promise<Invoice> {
  const parsed = parseInvoiceReference(reference);
  // By id, the invoice is read at once (no check that it exists first): two statements a read.
  const id = 'number' in parsed ? await invoiceIdByNumber(db, parsed.number) : parsed.id;
  const invoice = id === undefined ? undefined : await getInvoice(db, id);
  if (!invoice) throw notFound(parsed);
  return invoice;
}

/**
 * Approves a draft with the next gapless number and, in the same transaction, freezes what its
 * documents show (ADR 0006); approving an approved invoice is refused. The document is read under
 * the invoice's row lock before the number is taken, so concurrent approvals wait on the number only
 * for the approval itself. `user` is recorded as the approver (else the database role), and as the
 * actor of the approval in the audit log.
 */
export async function approve(db: Database, reference: string, options: { user?: string } & DraftVersionCheck = {}): Promise<Invoice> {
  const id = await invoiceIdOf(db, reference);
  await db.transaction(async (tx) => {
    const status = await invoiceStatusForUpdate(tx, id);
    if (!status) throw notFound({ id });
    if (status.status === 'approved') throw new BillingError('invoice-immutable', `Invoice ${status.number} is already approved.`);
    const current = (await getInvoice(tx, id))!;
    checkVersion(current, options);
    const draft = await liveInvoiceDocument(tx, current, { calls: true });
    const approval = await approveInvoice(tx, id, options.user);
    if (!approval) throw new BillingError('conflict', `Invoice ${id} changed while it was being approved; approve it again.`);
    await insertInvoiceSnapshot(tx, approvedDocument(draft, approval));
    await recordInvoiceEvent(tx, 'invoice.approved', async () => (await getInvoice(tx, id))!);
    await appendAuditEntry(tx, { actor: approval.approvedBy, action: 'invoice.approved', objectKind: 'invoice', objectId: id, before: { status: 'draft', number: null }, after: { status: 'approved', number: approval.number, total: draft.invoice.total } });
  });
  return showInvoice(db, id);
}

/**
 * Deletes a draft and releases its items for the next generation. The status is checked under the
 * invoice's row lock: a draft approved meanwhile by another process is refused with the usual error.
 */
export async function deleteDraft(db: Database, reference: string, actor: string, options: DraftVersionCheck = {}): Promise<void> {
  const id = await invoiceIdOf(db, reference);
  await db.transaction(async (tx) => {
    const status = await invoiceStatusForUpdate(tx, id);
    if (!status) throw notFound({ id });
    if (status.status === 'approved') throw new BillingError('invoice-immutable', `Invoice ${status.number} is approved: it can never be deleted or changed.`);
    const draft = (await getInvoice(tx, id))!;
    checkVersion(draft, options);
    await recordInvoiceEvent(tx, 'invoice.deleted', draft);
    await deleteInvoice(tx, id);
    await appendAuditEntry(tx, { actor, action: 'invoice.deleted', objectKind: 'invoice', objectId: id, before: invoiceSummary(draft), after: null });
    // Released items are derived data again: the next generation re-rates them under the plans in force.
    await markRatingDirty(tx, [status.customerId]);
  });
}

/** An edit made on the version of a draft its maker read (invoiceVersion); absent, the edit applies to the draft as it is. */
export interface DraftVersionCheck {
  /** The versions (ETags) the change may be made on; absent: any. */
  expectedVersions?: readonly string[];
}

/**
 * Refuses a change made on another version of the invoice than the current one. Callers hold the
 * invoice's row lock, so of two changes made on the same version only the first passes.
 */
function checkVersion(current: Invoice, check: DraftVersionCheck): void {
  if (check.expectedVersions === undefined || check.expectedVersions.includes(invoiceVersion(current))) return;
  throw new BillingError('precondition-failed', `Draft ${current.id} changed since it was read; read it again and redo the change on what it holds now.`, { field: 'If-Match' });
}

type DraftEdit = Pick<Invoice, 'lines' | 'total' | 'notes'>;

/** An edit of a draft and how the audit log tells it: its action and the values before and after. */
interface AuditedEdit {
  action: string;
  edit: (draft: Invoice) => DraftEdit;
  audit: (draft: Invoice, edited: DraftEdit) => { before: object; after: object };
}

async function editDraft(db: Database, reference: string, actor: string, check: DraftVersionCheck, { action, edit, audit }: AuditedEdit): Promise<Invoice> {
  const id = await invoiceIdOf(db, reference);
  await db.transaction(async (tx) => {
    const status = await invoiceStatusForUpdate(tx, id);
    if (!status) throw notFound({ id });
    if (status.status === 'approved') throw new BillingError('invoice-immutable', `Invoice ${status.number} is approved: it can never be changed.`);
    const draft = (await getInvoice(tx, id))!;
    checkVersion(draft, check);
    const edited = edit(draft);
    await rewriteDraft(tx, { id, ...edited });
    await appendAuditEntry(tx, { actor, action, objectKind: 'invoice', objectId: id, ...audit(draft, edited) });
  });
  return showInvoice(db, id);
}

/** docs/billing-rules.md §8: adds a manual line (a charge, or a credit with a negative price) to a draft. */
export async function addDraftLine(db: Database, id: string, input: ManualLineInput, actor: string, check: DraftVersionCheck = {}): Promise<Invoice> {
  return editDraft(db, id, actor, check, {
    action: 'invoice.line-added',
    edit: (draft) => ({ ...addManualLine(draft.lines, input, draft.currency, draft.from.slice(0, 7)), notes: draft.notes }),
    // The new manual line is the last line before the tax line.
    audit: (draft, edited) => ({ before: { total: draft.total }, after: { line: lineSummary(edited.lines.filter((l) => l.kind !== 'tax').at(-1)!), total: edited.total } }),
  });
}

export async function removeDraftLine(db: Database, id: string, position: number, actor: string, check: DraftVersionCheck = {}): Promise<Invoice> {
  return editDraft(db, id, actor, check, {
    action: 'invoice.line-removed',
    edit: (draft) => ({ ...removeManualLine(draft.lines, position, draft.currency), notes: draft.notes }),
    audit: (draft, edited) => ({ before: { line: lineSummary(draft.lines[position - 1]!), position, total: draft.total }, after: { total: edited.total } }),
  });
}

/** Sets (or with an empty text clears) a draft's notes, printed on the invoice. */
export async function setDraftNotes(db: Database, id: string, notes: string, actor: string, check: DraftVersionCheck = {}): Promise<Invoice> {
  return editDraft(db, id, actor, check, {
    action: 'invoice.notes-changed',
    edit: (draft) => ({ lines: draft.lines, total: draft.total, notes: notes.trim() === '' ? null : notes }),
    audit: (draft, edited) => ({ before: { notes: draft.notes ?? null }, after: { notes: edited.notes ?? null } }),
  });
}

function lineSummary(line: InvoiceLine): object {
  return { description: line.description, quantity: line.quantity, unitPrice: line.unitPrice ?? null, amount: line.amount, period: line.period };
}

/** Invoices, drafts and approved, of some customers (else all) whose range shares a day with `from`..`to` (either may be open). */
export async function invoicesOf(db: Sql, filter: InvoiceFilter = {}): Promise<Invoice[]> {
  return listInvoices(db, filter);
}
