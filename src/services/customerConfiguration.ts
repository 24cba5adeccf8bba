import { BillingError } from '../domain/billingError.ts';
import type { Customer } from '../domain/customer.ts';
import { amountOf, compareAmounts } from '../domain/money.ts';
import type { CustomerCustomElement } from '../domain/rateCustomer.ts';
import { lockCustomers } from '../storage/customerLocks.ts';
import { customerCustomElementInvoiced, deleteCustomerCustomElement, findCustomerCustomElement, findEntity } from '../storage/customerStore.ts';
import type { Database } from '../storage/database.ts';
import { markRatingDirty } from '../storage/ratingStateStore.ts';
import { applyConfigurationChange, type ConfigurationChange } from './applyConfigurationChange.ts';
import { runBilling } from './billingRun.ts';
import { knownCustomers } from './knownCustomers.ts';
import type { CustomerConfig } from './providerConfig.ts';
import { refuseConfigTextProblems } from './refuseConfigTextProblems.ts';
import { appendAuditEntry } from '../storage/auditLogStore.ts';

type MatchingRuleConfig = NonNullable<CustomerConfig['matching']>[number];
type CustomElementConfig = NonNullable<CustomerConfig['customElements']>[number];

interface ChangeOptions {
  now: Date;
  dryRun?: boolean;
}

/** A stored customer as the configuration file's entry for it, without rules, entities or charges; applied with `keepCustomerDetails`, its details are not written. */
function customerEntry(c: Customer): CustomerConfig {
  return { id: c.id, name: c.name, timezone: c.timezone, billingAddress: c.billingAddress, email: c.email, taxId: c.taxId, customerReference: c.customerReference };
}

async function storedCustomer(db: Database, customerId: string): Promise<Customer> {
  const [customer] = await knownCustomers(db, [customerId]);
  return customer!;
}

/**
 * Creates or updates one customer as the configuration file's entry for it does: its billing details
 * (absent ones are cleared), and its matching rules, entities and one-off charges when listed.
 */
export async function putCustomer(db: Database, customer: CustomerConfig, actor: string, options: ChangeOptions): Promise<ConfigurationChange> {
  refuseConfigTextProblems(customer, 'The customer');
  await refuseOtherCustomersIds(db, customer);
  return applyConfigurationChange(db, { customers: [customer] }, actor, options);
}

/**
 * An entity or one-off charge id is one of one customer: a customer's entry naming another customer's
 * is refused, where a whole configuration file would move it over.
 */
async function refuseOtherCustomersIds(db: Database, customer: CustomerConfig): Promise<void> {
  for (const [i, e] of (customer.entities ?? []).entries()) {
    const owner = (await findEntity(db, e.id))?.customerId;
    if (owner !== undefined && owner !== customer.id) throw new BillingError('conflict', `The entity "${e.id}" is one of customer "${owner}": entity ids are unique across customers, so choose another id.`, { field: `entities[${i}].id` });
  }
  for (const [i, e] of (customer.customElements ?? []).entries()) {
    const owner = (await findCustomerCustomElement(db, e.id))?.customerId;
    if (owner !== undefined && owner !== customer.id) throw new BillingError('conflict', `The one-off charge "${e.id}" is one of customer "${owner}": charge ids are unique across customers, so choose another id.`, { field: `customElements[${i}].id` });
  }
}

/** Replaces a customer's matching rules by `rules` (in their order); open calls are matched again when they change. */
export async function replaceCustomerMatchingRules(db: Database, customerId: string, rules: readonly MatchingRuleConfig[], actor: string, options: ChangeOptions): Promise<ConfigurationChange> {
  refuseConfigTextProblems(rules, 'The matching rules');
  const customer = await storedCustomer(db, customerId);
  return applyConfigurationChange(db, { customers: [{ ...customerEntry(customer), matching: [...rules] }] }, actor, { ...options, keepCustomerDetails: true });
}

/**
 * Creates or changes one of a customer's one-off charges, as the configuration file does. An id is
 * one charge of one customer: the id of another customer's charge is refused, never moved over.
 */
export async function putCustomerCustomElement(db: Database, customerId: string, element: CustomElementConfig, actor: string, options: ChangeOptions): Promise<ConfigurationChange> {
  refuseConfigTextProblems(element, 'The one-off charge');
  const customer = await storedCustomer(db, customerId);
  const stored = await findCustomerCustomElement(db, element.id);
  if (stored && stored.customerId !== customerId) throw new BillingError('conflict', `The one-off charge "${element.id}" is one of customer "${stored.customerId}": charge ids are unique across customers, so choose another id.`, { field: 'id' });
  // Rating never bills an invoiced item again, so a change would be stored and never billed: said instead.
  if (stored && !sameCharge(stored, element) && (await customerCustomElementInvoiced(db, customerId, element.id))) {
    throw new BillingError('invoice-immutable', `The one-off charge "${element.id}" of customer "${customerId}" is billed in an invoice and cannot change: delete that draft invoice first, or add another charge for the difference.`);
  }
  return applyConfigurationChange(db, { customers: [{ ...customerEntry(customer), customElements: [element] }] }, actor, { ...options, keepCustomerDetails: true });
}

const sameCharge = (a: CustomerCustomElement, b: CustomElementConfig): boolean =>
  a.name === b.name && a.date === b.date && compareAmounts(amountOf(a.unitPrice), amountOf(b.unitPrice)) === 0 && compareAmounts(amountOf(a.quantity), amountOf(b.quantity)) === 0;

/**
 * Removes one of a customer's one-off charges that no invoice bills yet; it is rated away at once. A
 * charge in an invoice (draft or approved) stays: delete the draft first, or credit it with another charge.
 */
export async function removeCustomerCustomElement(db: Database, customerId: string, id: string, actor: string, now: Date): Promise<CustomerCustomElement> {
  const removed = await db.transaction(async (tx) => {
    // Rating and invoicing hold the customer's lock: the charge cannot be claimed by an invoice meanwhile.
    await lockCustomers(tx, [customerId]);
    await knownCustomers(tx, [customerId]);
    if (await customerCustomElementInvoiced(tx, customerId, id)) {
      throw new BillingError('invoice-immutable', `The one-off charge "${id}" of customer "${customerId}" is billed in an invoice and stays: delete that draft invoice first, or add a charge that credits it.`);
    }
    const deleted = await deleteCustomerCustomElement(tx, customerId, id);
    if (!deleted) throw new BillingError('not-found', `Customer "${customerId}" has no one-off charge "${id}".`);
    await markRatingDirty(tx, [customerId]);
    await appendAuditEntry(tx, { actor, action: 'custom-element.deleted', objectKind: 'custom-element', objectId: id, before: deleted, after: null });
    return deleted;
  });
  await runBilling(db, { now });
  return removed;
}
