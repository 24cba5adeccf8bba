import { normalizeAlias } from '../domain/aliasNormalization.ts';
import { changedValues } from '../domain/auditEntry.ts';
import { assignmentOn } from '../domain/assignment.ts';
import { availableServiceTypes as availableTypes, serviceAvailability, type AvailableServiceType, type PlanInForce } from '../domain/availableServiceTypes.ts';
import { BillingError } from '../domain/billingError.ts';
import { formatInstant, localDateOf, type EpochMs, type LocalDate } from '../domain/calendar.ts';
import type { DecimalString } from '../domain/plan.ts';
import type { Entity } from '../domain/entity.ts';
import { appendAuditEntry } from '../storage/auditLogStore.ts';
import { markOpenCallsForMatching } from '../storage/callStore.ts';
import { lockCustomers } from '../storage/customerLocks.ts';
import { findEntity, insertEntity, listCustomers, listEntities as listStoredEntities, listEntitiesWithAlias, markEntityDeleted } from '../storage/customerStore.ts';
import type { Database, Sql } from '../storage/database.ts';
import { getPlan, listAssignments } from '../storage/planStore.ts';
import { markRatingDirty } from '../storage/ratingStateStore.ts';
import { readSettings } from '../storage/settingsStore.ts';

/** An entity as the CLI (and later the API) shows it: instants as ISO strings. */
export interface EntityView {
  id: string;
  customerId: string;
  serviceType: string;
  alias: string | null;
  createdAt: string;
  deletedAt: string | null;
}

export interface NewEntity {
  customerId: string;
  id: string;
  serviceType: string;
  alias?: string;
  createdAt: Date;
}

/** What a customer may be given at an instant (docs/billing-rules.md §10). */
export interface ServiceAvailabilityReport {
  customerId: string;
  at: string;
  /** The instant's date in the customer's time zone: the day whose plan decides. */
  date: LocalDate;
  timeZone: string;
  /** The setting `limitAvailableServicesToBillableServices`. */
  limited: boolean;
  /** The plan in force on `date`, or null. */
  planId: string | null;
  serviceTypes: AvailableServiceType[];
}

export interface AddedEntity {
  entity: EntityView;
  /** The plan's monthly price for the type at creation (null: no plan in force, or not listed). */
  monthlyPrice: DecimalString | null;
  billable: boolean;
  planId: string | null;
}

const slug = /^[a-z0-9][a-z0-9._-]*$/;

function view(e: Entity): EntityView {
  return { id: e.id, customerId: e.customerId, serviceType: e.serviceType, alias: e.alias ?? null, createdAt: formatInstant(e.createdAt), deletedAt: e.deletedAt === undefined ? null : formatInstant(e.deletedAt) };
}

function instantOf(at: Date | EpochMs, what: string): EpochMs {
  const ms = typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(ms)) throw new BillingError('invalid-argument', `${what} is not a valid instant. Give an ISO 8601 instant with an offset, such as 2026-10-11T10:00:00Z.`, { field: 'at' });
  return ms;
}

async function customerTimeZone(db: Sql, customerId: string): Promise<string> {
  const [customer] = await listCustomers(db, [customerId]);
  if (!customer) throw new BillingError('not-found', `No customer with id "${customerId}".`, { field: 'customer', value: customerId, remedy: 'list-customers' });
  return customer.timezone ?? (await readSettings(db)).timezone;
}

/** The plan (its locked version in force) assigned on the instant's local date, if any. */
async function planInForce(db: Sql, customerId: string, date: LocalDate): Promise<PlanInForce | undefined> {
  const assignment = assignmentOn(await listAssignments(db, [customerId]), date);
  if (!assignment) return undefined;
  const plan = await getPlan(db, assignment.planId);
  return plan && { planId: plan.id, definition: plan.definition };
}

interface AvailabilityContext {
  timeZone: string;
  date: LocalDate;
  limited: boolean;
  plan: PlanInForce | undefined;
}

async function availabilityContext(db: Sql, customerId: string, at: EpochMs): Promise<AvailabilityContext> {
  const timeZone = await customerTimeZone(db, customerId);
  const date = localDateOf(at, timeZone);
  const limited = (await readSettings(db)).limitAvailableServicesToBillableServices;
  return { timeZone, date, limited, plan: await planInForce(db, customerId, date) };
}

function checkAvailable(ctx: AvailabilityContext, customerId: string, serviceType: string, at: EpochMs): { monthlyPrice: DecimalString | null; billable: boolean } {
  const result = serviceAvailability(ctx.limited, ctx.plan, serviceType);
  if (result.available) return result;
  const what = `Customer "${customerId}" cannot be given a "${serviceType}" at ${formatInstant(at)}`;
  const setting = 'limitAvailableServicesToBillableServices is on';
  const offered = availableTypes(ctx.limited, ctx.plan).map((t) => t.serviceType);
  const available = offered.length ? ` Available to it then: ${offered.join(', ')}.` : '';
  const why =
    result.reason === 'no-plan'
      ? `it has no plan assignment in force on ${ctx.date} (${ctx.timeZone}) and ${setting}. Assign it a plan that covers ${ctx.date} and lists "${serviceType}" at a monthly price ≥ 0, or turn the setting off.`
      : result.reason === 'not-listed'
        ? `its plan "${result.planId}" (in force on ${ctx.date}) does not list "${serviceType}" and ${setting}. Give the plan a monthly price ≥ 0 for "${serviceType}" (0 = free), choose an available type, or turn the setting off.`
        : `its plan "${result.planId}" (in force on ${ctx.date}) prices "${serviceType}" at ${result.monthlyPrice}, which means not available, and ${setting}. Give it a monthly price ≥ 0 in the plan (0 = free), choose an available type, or turn the setting off.`;
  throw new BillingError('service-unavailable', `${what}: ${why}${available}`, { field: 'serviceType', value: serviceType, allowed: offered, customer: customerId, at: formatInstant(at), reason: result.reason });
}

/**
 * docs/billing-rules.md §10: throws BillingError 'service-unavailable' (naming the customer, the type, why and how to
 * fix) when the customer may not be given an entity of `serviceType` at `at`. Runs in the caller's
 * transaction, so that settings, assignments and plans written earlier in it count.
 */
export async function assertServiceAvailable(tx: Sql, customerId: string, serviceType: string, at: Date | EpochMs): Promise<void> {
  const instant = instantOf(at, 'The creation time');
  checkAvailable(await availabilityContext(tx, customerId, instant), customerId, serviceType, instant);
}

/** docs/billing-rules.md §10: the service types the customer may be given at `at`, with the plan's monthly prices. */
export async function availableServiceTypes(db: Sql, customerId: string, at: Date): Promise<ServiceAvailabilityReport> {
  const instant = instantOf(at, 'The instant');
  const ctx = await availabilityContext(db, customerId, instant);
  return { customerId, at: formatInstant(instant), date: ctx.date, timeZone: ctx.timeZone, limited: ctx.limited, planId: ctx.plan?.planId ?? null, serviceTypes: availableTypes(ctx.limited, ctx.plan) };
}

/** Whether two existence intervals `[createdAt, deletedAt)` share an instant (undefined = open end). */
function overlaps(a: { createdAt: EpochMs; deletedAt?: EpochMs }, b: { createdAt: EpochMs; deletedAt?: EpochMs }): boolean {
  return (b.deletedAt === undefined || a.createdAt < b.deletedAt) && (a.deletedAt === undefined || b.createdAt < a.deletedAt);
}

/** Matching and rating see the change: open calls are matched again, the customer is rated again. */
async function afterEntityChange(tx: Sql, customerId: string): Promise<void> {
  await markOpenCallsForMatching(tx);
  await markRatingDirty(tx, [customerId]);
}

/**
 * Provisions an entity for a customer (docs/billing-rules.md §2, §6.4, §10): refused when its type is not available to
 * the customer at `createdAt`, when the id is taken, or when another entity has the same alias at any
 * time of its existence. Its alias matches calls from `createdAt` on, once billing runs again.
 */
export async function addEntity(db: Database, input: NewEntity, actor: string): Promise<AddedEntity> {
  const createdAt = instantOf(input.createdAt, 'The creation time');
  if (!slug.test(input.id)) throw new BillingError('invalid-argument', `Entity id "${input.id}" must be a lower-case slug (a-z, 0-9, . _ -), such as vmr-1001.`, { field: 'id', value: input.id });
  const serviceType = input.serviceType.trim();
  if (serviceType === '') throw new BillingError('invalid-argument', 'The service type is empty. Give one such as pexip-vmr, of the service types available to the customer.', { field: 'serviceType', value: input.serviceType, customer: input.customerId, remedy: 'list-available-services' });
  const alias = input.alias?.trim() || undefined;
  const normalized = alias === undefined ? undefined : normalizeAlias(alias);
  if (alias !== undefined && !normalized) throw new BillingError('invalid-argument', `The alias "${alias}" is empty once normalized (scheme and parameters removed). Give an address such as 1001@vc.provider.example.`);

  return db.transaction(async (tx) => {
    // The customer's lock, and one per alias: two customers cannot take the same alias at the same time.
    await lockCustomers(tx, normalized === undefined ? [input.customerId] : [input.customerId, `entity-alias:${normalized}`]);
    const ctx = await availabilityContext(tx, input.customerId, createdAt);
    const price = checkAvailable(ctx, input.customerId, serviceType, createdAt);

    const existing = await findEntity(tx, input.id);
    if (existing) {
      const owner = existing.customerId === input.customerId ? 'this customer' : `customer "${existing.customerId}"`;
      throw new BillingError('conflict', `An entity with id "${input.id}" already exists (${existing.serviceType} of ${owner}${existing.deletedAt === undefined ? '' : `, deleted ${formatInstant(existing.deletedAt)}`}). Entity ids are unique and never reused: choose another id.`);
    }
    const entity: Entity = { id: input.id, customerId: input.customerId, serviceType, alias, createdAt };
    if (normalized !== undefined) {
      const clash = (await listEntitiesWithAlias(tx)).find((e) => normalizeAlias(e.alias!) === normalized && overlaps(e, entity));
      if (clash) {
        throw new BillingError(
          'conflict',
          `The alias "${alias}" is already used by entity "${clash.id}" of customer "${clash.customerId}" (${clash.deletedAt === undefined ? `since ${formatInstant(clash.createdAt)}` : `${formatInstant(clash.createdAt)} – ${formatInstant(clash.deletedAt)}`}). An alias belongs to one entity at a time: delete that entity first, or choose another alias.`,
          { field: 'alias', value: alias, customer: clash.customerId, entity: clash.id, remedy: 'delete-entity' },
        );
      }
    }
    if (!(await insertEntity(tx, entity))) throw new BillingError('conflict', `An entity with id "${input.id}" was created at the same time. Choose another id.`);
    await afterEntityChange(tx, input.customerId);
    // The fields `confbill apply` records for an entity it creates.
    const shown = { customer: entity.customerId, serviceType, alias: alias ?? null, createdAt: formatInstant(createdAt) };
    await appendAuditEntry(tx, { actor, action: 'entity.added', objectKind: 'entity', objectId: entity.id, ...changedValues(undefined, shown) });
    return { entity: view(entity), monthlyPrice: price.monthlyPrice, billable: price.billable, planId: ctx.plan?.planId ?? null };
  });
}

/**
 * Deletes a customer's entity at `deletedAt` (docs/billing-rules.md §2, §6.4): its alias stops matching calls from then
 * on and its service days stop after the day of deletion. The row stays, with its deletion instant.
 */
export async function deleteEntity(db: Database, customerId: string, id: string, deletedAt: Date, actor: string): Promise<EntityView> {
  const at = instantOf(deletedAt, 'The deletion time');
  return db.transaction(async (tx) => {
    await lockCustomers(tx, [customerId]);
    await customerTimeZone(tx, customerId);
    const existing = await findEntity(tx, id);
    if (!existing || existing.customerId !== customerId) {
      throw new BillingError('not-found', `Customer "${customerId}" has no entity "${id}".`, { field: 'id', value: id, customer: customerId, remedy: 'list-entities' });
    }
    if (existing.deletedAt !== undefined) {
      throw new BillingError('not-found', `Entity "${id}" of customer "${customerId}" was already deleted at ${formatInstant(existing.deletedAt)}; there is nothing to delete.`);
    }
    if (at < existing.createdAt) {
      throw new BillingError('invalid-argument', `Entity "${id}" of customer "${customerId}" cannot be deleted at ${formatInstant(at)}: it was created later, at ${formatInstant(existing.createdAt)}. Give a deletion time at or after its creation.`, { field: 'at', value: formatInstant(at) });
    }
    const deleted = await markEntityDeleted(tx, customerId, id, at);
    if (!deleted) throw new BillingError('not-found', `Entity "${id}" of customer "${customerId}" was deleted at the same time; there is nothing to delete.`);
    await afterEntityChange(tx, customerId);
    await appendAuditEntry(tx, { actor, action: 'entity.deleted', objectKind: 'entity', objectId: id, before: { deletedAt: null }, after: { deletedAt: view(deleted).deletedAt } });
    return view(deleted);
  });
}

/** A customer's entities by id; deleted ones only with `includeDeleted`. */
export async function listEntities(db: Sql, customerId: string, options: { includeDeleted?: boolean } = {}): Promise<EntityView[]> {
  await customerTimeZone(db, customerId);
  const entities = await listStoredEntities(db, [customerId]);
  return entities.filter((e) => options.includeDeleted || e.deletedAt === undefined).map(view);
}
