import { assignmentOn, type Assignment } from '../domain/assignment.ts';
import { localDateOf } from '../domain/calendar.ts';
import type { Customer } from '../domain/customer.ts';
import type { MatchingRuleKind } from '../domain/callMatcher.ts';
import type { CustomerCustomElement } from '../domain/rateCustomer.ts';
import { findCustomersPage, listCustomerCustomElements, listMatchingRules, type MatchingRuleRow } from '../storage/customerStore.ts';
import type { Sql } from '../storage/database.ts';
import { listAssignments } from '../storage/planStore.ts';
import { readSettings } from '../storage/settingsStore.ts';
import { listEntities, type EntityView } from './entities.ts';
import { knownCustomers } from './knownCustomers.ts';

/** A matching rule as the configuration file writes it, with the id that matches record (`acme#001`). */
export type MatchingRuleView =
  | { id: string; kind: Exclude<MatchingRuleKind, 'number-range'>; value: string; validFrom: string | null; validTo: string | null }
  | { id: string; kind: 'number-range'; from: string; to: string; validFrom: string | null; validTo: string | null };

export interface AssignmentView {
  id: string;
  planId: string;
  from: string;
  /** Exclusive; null = open-ended. */
  to: string | null;
}

/** A customer with its billing details and what bills it: plan assignments, matching rules, entities. */
export interface CustomerDetails extends Customer {
  /** Every assignment, past, current and future, by start date. */
  assignments: AssignmentView[];
  /** The assignment in force today in the customer's time zone, or null. */
  currentAssignmentId: string | null;
  matching: MatchingRuleView[];
  /** Current and deleted entities. */
  entities: EntityView[];
}

export function matchingRuleView(r: MatchingRuleRow): MatchingRuleView {
  return r.kind === 'number-range'
    ? { id: r.id, kind: 'number-range', from: r.rangeFrom ?? '', to: r.rangeTo ?? '', validFrom: r.validFrom, validTo: r.validTo }
    : { id: r.id, kind: r.kind, value: r.value, validFrom: r.validFrom, validTo: r.validTo };
}

const assignmentView = (a: Assignment): AssignmentView => ({ id: a.id, planId: a.planId, from: a.from, to: a.to ?? null });

/** One page of customers by id, after the id `afterId`, whose id or name holds `search` (any case). */
export async function findCustomers(db: Sql, query: { search?: string; afterId?: string; limit: number }): Promise<Customer[]> {
  return findCustomersPage(db, query);
}

/** One customer and what bills it; `not-found` when there is none with this id. */
export async function customerDetails(db: Sql, customerId: string, now: Date): Promise<CustomerDetails> {
  const [customer] = await knownCustomers(db, [customerId]);
  const assignments = (await listAssignments(db, [customerId])).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const today = localDateOf(now.getTime(), customer!.timezone ?? (await readSettings(db)).timezone);
  return {
    ...customer!,
    assignments: assignments.map(assignmentView),
    currentAssignmentId: assignmentOn(assignments, today)?.id ?? null,
    matching: (await listMatchingRules(db, customerId)).map(matchingRuleView),
    entities: await listEntities(db, customerId, { includeDeleted: true }),
  };
}

/** A customer's matching rules in their order; `not-found` when there is no such customer. */
export async function customerMatchingRules(db: Sql, customerId: string): Promise<MatchingRuleView[]> {
  await knownCustomers(db, [customerId]);
  return (await listMatchingRules(db, customerId)).map(matchingRuleView);
}

/** A customer's one-off charges by id; `not-found` when there is no such customer. */
export async function customerCustomElements(db: Sql, customerId: string): Promise<CustomerCustomElement[]> {
  await knownCustomers(db, [customerId]);
  return listCustomerCustomElements(db, [customerId]);
}
