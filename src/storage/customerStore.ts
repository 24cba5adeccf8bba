import type { MatchingRuleKind } from '../domain/callMatcher.ts';
import type { CustomerCustomElement } from '../domain/rateCustomer.ts';
import type { Entity } from '../domain/entity.ts';
import type { Sql } from './database.ts';
import type { Customer } from '../domain/customer.ts';

export interface MatchingRuleRow {
  id: string;
  customerId: string;
  kind: MatchingRuleKind;
  value: string;
  rangeFrom: string | null;
  rangeTo: string | null;
  validFrom: string | null;
  validTo: string | null;
}

/** Inserts or updates a customer; true when something changed. */
export async function upsertCustomer(db: Sql, c: Customer): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO customers (id, name, timezone, billing_address, email, tax_id, customer_reference) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, timezone = EXCLUDED.timezone, billing_address = EXCLUDED.billing_address,
       email = EXCLUDED.email, tax_id = EXCLUDED.tax_id, customer_reference = EXCLUDED.customer_reference
     WHERE (customers.name, customers.timezone, customers.billing_address, customers.email, customers.tax_id, customers.customer_reference)
       IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.timezone, EXCLUDED.billing_address, EXCLUDED.email, EXCLUDED.tax_id, EXCLUDED.customer_reference)
     RETURNING id`,
    [c.id, c.name, c.timezone, c.billingAddress, c.email, c.taxId, c.customerReference],
  );
  return rows.length > 0;
}

const customerColumns = `id, name, timezone, billing_address AS "billingAddress", email, tax_id AS "taxId", customer_reference AS "customerReference"`;

export async function listCustomers(db: Sql, ids?: readonly string[]): Promise<Customer[]> {
  return ids
    ? db.query<Customer>(`SELECT ${customerColumns} FROM customers WHERE id = ANY($1::text[]) ORDER BY id`, [ids])
    : db.query<Customer>(`SELECT ${customerColumns} FROM customers ORDER BY id`);
}

const ruleColumns = `id, customer_id AS "customerId", kind, value, range_from AS "rangeFrom", range_to AS "rangeTo", valid_from AS "validFrom", valid_to AS "validTo"`;

export async function listMatchingRules(db: Sql, customerId?: string): Promise<MatchingRuleRow[]> {
  return customerId
    ? db.query<MatchingRuleRow>(`SELECT ${ruleColumns} FROM matching_rules WHERE customer_id = $1 ORDER BY id`, [customerId])
    : db.query<MatchingRuleRow>(`SELECT ${ruleColumns} FROM matching_rules ORDER BY id`);
}

/** Replaces a customer's matching rules by the given list; true when the set changed. */
export async function replaceMatchingRules(db: Sql, customerId: string, rules: readonly MatchingRuleRow[]): Promise<boolean> {
  const existing = await listMatchingRules(db, customerId);
  const same = JSON.stringify(existing) === JSON.stringify([...rules].sort((a, b) => (a.id < b.id ? -1 : 1)));
  if (same) return false;
  await db.query('DELETE FROM matching_rules WHERE customer_id = $1', [customerId]);
  for (const r of rules) {
    await db.query(
      'INSERT INTO matching_rules (id, customer_id, kind, value, range_from, range_to, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [r.id, customerId, r.kind, r.value, r.rangeFrom, r.rangeTo, r.validFrom, r.validTo],
    );
  }
  return true;
}

interface EntityRow {
  id: string;
  customerId: string;
  serviceType: string;
  alias: string | null;
  createdAt: Date;
  deletedAt: Date | null;
}

const entityColumns = `id, customer_id AS "customerId", service_type AS "serviceType", alias, created_at AS "createdAt", deleted_at AS "deletedAt"`;

function toEntity(r: EntityRow): Entity {
  return { id: r.id, customerId: r.customerId, serviceType: r.serviceType, alias: r.alias ?? undefined, createdAt: r.createdAt.getTime(), deletedAt: r.deletedAt?.getTime() };
}

export async function listEntities(db: Sql, customerIds?: readonly string[]): Promise<Entity[]> {
  const rows = customerIds
    ? await db.query<EntityRow>(`SELECT ${entityColumns} FROM entities WHERE customer_id = ANY($1::text[]) ORDER BY id`, [customerIds])
    : await db.query<EntityRow>(`SELECT ${entityColumns} FROM entities ORDER BY id`);
  return rows.map(toEntity);
}

/** Inserts or updates an entity; true when something changed. */
export async function upsertEntity(db: Sql, e: Entity): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO entities (id, customer_id, service_type, alias, created_at, deleted_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET customer_id = EXCLUDED.customer_id, service_type = EXCLUDED.service_type, alias = EXCLUDED.alias,
       created_at = EXCLUDED.created_at, deleted_at = EXCLUDED.deleted_at
     WHERE (entities.customer_id, entities.service_type, entities.alias, entities.created_at, entities.deleted_at)
       IS DISTINCT FROM (EXCLUDED.customer_id, EXCLUDED.service_type, EXCLUDED.alias, EXCLUDED.created_at, EXCLUDED.deleted_at)
     RETURNING id`,
    [e.id, e.customerId, e.serviceType, e.alias ?? null, new Date(e.createdAt), e.deletedAt === undefined ? null : new Date(e.deletedAt)],
  );
  return rows.length > 0;
}

export async function listCustomerCustomElements(db: Sql, customerIds: readonly string[]): Promise<CustomerCustomElement[]> {
  return db.query<CustomerCustomElement>(
    `SELECT id, customer_id AS "customerId", name, date, unit_price::text AS "unitPrice", quantity::text AS quantity
     FROM customer_custom_elements WHERE customer_id = ANY($1::text[]) ORDER BY id`,
    [customerIds],
  );
}

export async function upsertCustomerCustomElement(db: Sql, e: CustomerCustomElement): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO customer_custom_elements (id, customer_id, name, date, unit_price, quantity) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET customer_id = EXCLUDED.customer_id, name = EXCLUDED.name, date = EXCLUDED.date,
       unit_price = EXCLUDED.unit_price, quantity = EXCLUDED.quantity
     WHERE (customer_custom_elements.customer_id, customer_custom_elements.name, customer_custom_elements.date, customer_custom_elements.unit_price, customer_custom_elements.quantity)
       IS DISTINCT FROM (EXCLUDED.customer_id, EXCLUDED.name, EXCLUDED.date, EXCLUDED.unit_price, EXCLUDED.quantity)
     RETURNING id`,
    [e.id, e.customerId, e.name, e.date, e.unitPrice, e.quantity],
  );
  return rows.length > 0;
}

/** One entity by id (whatever its customer), or undefined. */
export async function findEntity(db: Sql, id: string): Promise<Entity | undefined> {
  const rows = await db.query<EntityRow>(`SELECT ${entityColumns} FROM entities WHERE id = $1`, [id]);
  return rows[0] ? toEntity(rows[0]) : undefined;
}

/** Inserts a new entity; false (and nothing written) when an entity with this id already exists. */
export async function insertEntity(db: Sql, e: Entity): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO entities (id, customer_id, service_type, alias, created_at, deleted_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [e.id, e.customerId, e.serviceType, e.alias ?? null, new Date(e.createdAt), e.deletedAt === undefined ? null : new Date(e.deletedAt)],
  );
  return rows.length > 0;
}

/** Sets the deletion instant of a customer's entity that is not deleted yet; the entity as it is now, or undefined when none was. */
export async function markEntityDeleted(db: Sql, customerId: string, id: string, deletedAt: number): Promise<Entity | undefined> {
  const rows = await db.query<EntityRow>(
    `UPDATE entities SET deleted_at = $3 WHERE id = $1 AND customer_id = $2 AND deleted_at IS NULL RETURNING ${entityColumns}`,
    [id, customerId, new Date(deletedAt)],
  );
  return rows[0] ? toEntity(rows[0]) : undefined;
}

/** Every entity that has an alias (all customers): for alias conflicts. */
export async function listEntitiesWithAlias(db: Sql): Promise<Entity[]> {
  const rows = await db.query<EntityRow>(`SELECT ${entityColumns} FROM entities WHERE alias IS NOT NULL ORDER BY id`);
  return rows.map(toEntity);
}

/**
 * One page of customers in id order after `afterId`, those whose id or name holds `search` (any case)
 * when given: keyset paging, so a page costs the same however many customers there are.
 */
export async function findCustomersPage(db: Sql, query: { search?: string; afterId?: string; limit: number }): Promise<Customer[]> {
  return db.query<Customer>(
    `SELECT ${customerColumns} FROM customers
     WHERE ($1::text IS NULL OR strpos(lower(id), lower($1)) > 0 OR strpos(lower(name), lower($1)) > 0)
       AND ($2::text IS NULL OR id > $2)
     ORDER BY id LIMIT $3`,
    [query.search ?? null, query.afterId ?? null, query.limit],
  );
}

/** Whether a customer one-off charge is billed in an invoice (its item is claimed by one, draft or approved). */
export async function customerCustomElementInvoiced(db: Sql, customerId: string, id: string): Promise<boolean> {
  const rows = await db.query(`SELECT 1 FROM billing_items WHERE customer_id = $1 AND item_key = $2 AND invoice_id IS NOT NULL LIMIT 1`, [customerId, `custom:${id}`]);
  return rows.length > 0;
}

/** Removes a customer's one-off charge; the charge as it was, or undefined when the customer has none with this id. */
export async function deleteCustomerCustomElement(db: Sql, customerId: string, id: string): Promise<CustomerCustomElement | undefined> {
  const rows = await db.query<CustomerCustomElement>(
    `DELETE FROM customer_custom_elements WHERE customer_id = $1 AND id = $2
     RETURNING id, customer_id AS "customerId", name, date, unit_price::text AS "unitPrice", quantity::text AS quantity`,
    [customerId, id],
  );
  return rows[0];
}

/** One customer one-off charge by id (whatever its customer), or undefined. */
export async function findCustomerCustomElement(db: Sql, id: string): Promise<CustomerCustomElement | undefined> {
  const rows = await db.query<CustomerCustomElement>(
    `SELECT id, customer_id AS "customerId", name, date, unit_price::text AS "unitPrice", quantity::text AS quantity FROM customer_custom_elements WHERE id = $1`,
    [id],
  );
  return rows[0];
}
