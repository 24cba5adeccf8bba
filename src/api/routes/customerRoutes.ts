import { z } from 'zod';
import { BillingError } from '../../domain/billingError.ts';
import { parseInstant } from '../../domain/calendar.ts';
import { testAliasMatch } from '../../services/aliasMatchTest.ts';
import { customerCustomElements, customerDetails, customerMatchingRules, findCustomers } from '../../services/customerDirectory.ts';
import { putCustomer, putCustomerCustomElement, removeCustomerCustomElement, replaceCustomerMatchingRules } from '../../services/customerConfiguration.ts';
import { availableServiceTypes, listEntities } from '../../services/entities.ts';
import { provisionEntity, retireEntity } from '../../services/entityProvisioning.ts';
import { customerConfigSchema, customerCustomElementConfigSchema, entityConfigSchema, matchingRuleConfigSchema } from '../../services/providerConfig.ts';
import '../apiAccess.ts';
import type { ApiRouteModule } from '../apiContext.ts';
import { cursorKey, decimalString, encodeCursor, instant, localDate, pageOf, pageOfList, pageQueryShape, plainText } from '../apiSchemas.ts';
import { configurationChangeSchema, dryRunQuery, queryFlag } from '../configurationChangeSchema.ts';

const tags = ['customers'];

const customerParams = z.strictObject({ id: z.string().min(1).max(200).meta({ description: 'The customer id.' }) });
/** The ids a configuration may create: those of its file. */
const newCustomerParams = z.strictObject({ id: customerConfigSchema.shape.id.meta({ description: 'The customer id (a lower-case slug).' }) });
const newElementParams = customerParams.extend({ itemId: customerCustomElementConfigSchema.shape.id.meta({ description: 'The one-off charge id (a lower-case slug).' }) });
const customerItemParams = (item: string) => customerParams.extend({ itemId: z.string().min(1).max(200).meta({ description: `The ${item} id.` }) });

/** `?at=`: an instant; absent = now. */
const atQuery = z
  .string()
  .max(64)
  .refine((v) => parseInstant(v) !== undefined, 'must be an ISO 8601 instant with an offset or Z, such as 2026-10-11T10:00:00Z')
  .optional();
const instantOf = (at: string | undefined, now: () => Date): Date => (at === undefined ? now() : new Date(parseInstant(at)!));

const nullableText = z.string().nullable();
export const customerSchema = z
  .object({ id: z.string(), name: z.string(), timezone: nullableText.meta({ description: 'The IANA time zone of its days and months; null = the default time zone of the settings.' }), billingAddress: nullableText, email: nullableText, taxId: nullableText, customerReference: nullableText })
  .meta({ id: 'Customer', description: 'A customer with its billing details (the "Bill to" block of its invoices).' });

const matchingRuleSchema = z
  .union([
    z.object({ id: z.string(), kind: z.enum(['alias', 'domain', 'regex', 'tenant', 'source']), value: z.string(), validFrom: localDate.nullable(), validTo: localDate.nullable() }),
    z.object({ id: z.string(), kind: z.literal('number-range'), from: z.string(), to: z.string(), validFrom: localDate.nullable(), validTo: localDate.nullable() }),
  ])
  .meta({ id: 'MatchingRule', description: 'A matching rule as the configuration file writes it, with the id calls record when it matches them (docs/billing-rules.md §2). validTo is exclusive.' });

const entitySchema = z
  .object({ id: z.string(), customerId: z.string(), serviceType: z.string(), alias: nullableText, createdAt: instant, deletedAt: instant.nullable() })
  .meta({ id: 'Entity', description: 'A provisioned entity (a virtual meeting room, a gateway…) billed by its service type; its alias matches calls while it exists.' });

const customElementSchema = z
  .object({ id: z.string(), customerId: z.string(), name: z.string(), date: localDate, unitPrice: decimalString, quantity: decimalString })
  .meta({ id: 'CustomerCustomElement', description: 'A one-off charge (or credit, when negative) of a customer, billed on its date under the plan in force then.' });

const customerDetailsSchema = customerSchema
  .extend({
    assignments: z.array(z.object({ id: z.string(), planId: z.string(), from: localDate, to: localDate.nullable().meta({ description: 'Exclusive; null = open-ended.' }) })).meta({ description: 'Every plan assignment, past, current and future, by start date.' }),
    currentAssignmentId: z.string().nullable().meta({ description: "The assignment in force today in the customer's time zone, or null." }),
    matching: z.array(matchingRuleSchema),
    entities: z.array(entitySchema).meta({ description: 'Current and deleted entities.' }),
  })
  .meta({ id: 'CustomerDetails' });

const serviceAvailabilitySchema = z.object({
  customerId: z.string(),
  at: instant,
  date: localDate.meta({ description: "The instant's date in the customer's time zone: the day whose plan decides." }),
  timeZone: z.string(),
  limited: z.boolean().meta({ description: 'The setting limitAvailableServicesToBillableServices: only types the plan prices at ≥ 0 are available.' }),
  planId: z.string().nullable(),
  serviceTypes: z.array(z.object({ serviceType: z.string(), monthlyPrice: decimalString.nullable(), billable: z.boolean() })),
});

const matchTestSchema = z.object({
  status: z.enum(['matched', 'ambiguous', 'no-customer']),
  customerId: z.string().optional().meta({ description: 'matched: the customer.' }),
  ruleId: z.string().optional().meta({ description: 'matched: the rule (`acme#001`, `entity:vmr-1`, `source:mcu-1`).' }),
  customerIds: z.array(z.string()).optional().meta({ description: 'ambiguous: the customers whose rules all match.' }),
  ruleIds: z.array(z.string()).optional(),
  customers: z.array(z.object({ id: z.string(), name: z.string() })),
  alias: z.string(),
  at: instant,
  source: z.string().nullable(),
});

const rematched = { callsMatchedAgain: z.number().int() };

/** Customers with their billing details, matching rules, entities, available services and one-off charges. */
export const customerRoutes: ApiRouteModule = (app, { db, now }) => {
  app.get(
    '/api/v1/customers',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'List customers by id; search by id or name.',
        querystring: z.strictObject({ ...pageQueryShape, search: plainText(200).min(1).optional().meta({ description: 'Customers whose id or name holds this text (any case).' }) }),
        response: { 200: pageOf(customerSchema) },
      },
    },
    async (request) => {
      const { limit, cursor, search } = request.query;
      const found = await findCustomers(db, { search, afterId: cursor === undefined ? undefined : cursorKey(cursor), limit: limit + 1 });
      const items = found.slice(0, limit);
      return { items, nextCursor: found.length > limit ? encodeCursor(items[items.length - 1]!.id) : null };
    },
  );

  app.get(
    '/api/v1/customers/:id',
    { config: { access: 'read' }, schema: { tags, summary: 'One customer: billing details, plan assignments, matching rules and entities.', params: customerParams, response: { 200: customerDetailsSchema } } },
    async (request) => customerDetails(db, request.params.id, now()),
  );

  app.put(
    '/api/v1/customers/:id',
    {
      config: { access: 'configure' },
      schema: {
        tags,
        summary: "Create or update a customer with the configuration file's entry for it (as `confbill apply`).",
        description: 'Billing details not given are cleared; matching rules, entities and one-off charges are changed only when listed. The answer lists what changed.',
        params: newCustomerParams,
        querystring: dryRunQuery,
        body: customerConfigSchema.partial({ id: true }).meta({ description: "The configuration file's customer entry; its id, when given, is the one of the path." }),
        response: { 200: configurationChangeSchema },
      },
    },
    async (request) => {
      const { id: bodyId, ...customer } = request.body;
      if (bodyId !== undefined && bodyId !== request.params.id) throw new BillingError('invalid-argument', `The body's id "${bodyId}" is not the id of the path, "${request.params.id}": leave it out or make it the same.`, { field: 'id' });
      return putCustomer(db, { ...customer, id: request.params.id }, request.principal!.name, { now: now(), dryRun: request.query.dryRun });
    },
  );

  app.get(
    '/api/v1/customers/:id/matching-rules',
    { config: { access: 'read' }, schema: { tags, summary: "A customer's matching rules, in their order.", params: customerParams, response: { 200: z.object({ items: z.array(matchingRuleSchema) }) } } },
    async (request) => ({ items: await customerMatchingRules(db, request.params.id) }),
  );

  app.put(
    '/api/v1/customers/:id/matching-rules',
    {
      config: { access: 'configure' },
      schema: {
        tags,
        summary: "Replace a customer's matching rules; calls in no invoice are matched again.",
        params: customerParams,
        querystring: dryRunQuery,
        body: z.strictObject({ rules: z.array(matchingRuleConfigSchema).max(10_000).meta({ description: 'The whole list, as under `matching:` in the configuration file.' }) }),
        response: { 200: configurationChangeSchema },
      },
    },
    async (request) => replaceCustomerMatchingRules(db, request.params.id, request.body.rules, request.principal!.name, { now: now(), dryRun: request.query.dryRun }),
  );

  app.get(
    '/api/v1/matching/test',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Which customer a call with this alias would match, and by which rule.',
        querystring: z.strictObject({
          alias: plainText(500).min(1).meta({ description: 'The alias of the call (its local end), such as 1001@vc.provider.example.' }),
          at: atQuery.meta({ description: 'When the call starts (rules and entities in force then); default now.' }),
          source: plainText(64).min(1).optional().meta({ description: 'The source of the call, for default customers.' }),
        }),
        response: { 200: matchTestSchema },
      },
    },
    async (request) => testAliasMatch(db, { alias: request.query.alias, at: instantOf(request.query.at, now), source: request.query.source }),
  );

  app.get(
    '/api/v1/customers/:id/entities',
    {
      config: { access: 'read' },
      schema: { tags, summary: "A customer's entities by id (`confbill entity list`).", params: customerParams, querystring: z.strictObject({ ...pageQueryShape, all: queryFlag('true: deleted entities too.') }), response: { 200: pageOf(entitySchema) } },
    },
    async (request) => pageOfList(await listEntities(db, request.params.id, { includeDeleted: request.query.all }), (e) => e.id, request.query),
  );

  app.post(
    '/api/v1/customers/:id/entities',
    {
      config: { access: 'configure' },
      schema: {
        tags,
        summary: 'Provision an entity for a customer (`confbill entity add`); refused when its service type is not available to the customer.',
        params: customerParams,
        body: z.strictObject({
          id: entityConfigSchema.shape.id.max(64).meta({ description: 'A lower-case slug, unique for ever (a-z, 0-9, . _ -).' }),
          serviceType: plainText(200).min(1),
          alias: plainText(500).min(1).optional().meta({ description: 'The address its calls use; matches them while it exists.' }),
          createdAt: atQuery.meta({ description: 'When it begins to exist; default now.' }),
        }),
        response: {
          201: z.object({
            entity: entitySchema,
            monthlyPrice: decimalString.nullable().meta({ description: "The plan's monthly price of its type at creation; null: no plan in force, or the plan does not list it." }),
            billable: z.boolean(),
            planId: z.string().nullable(),
            ...rematched,
          }),
        },
      },
    },
    async (request, reply) => {
      const { id, serviceType, alias, createdAt } = request.body;
      const added = await provisionEntity(db, { customerId: request.params.id, id, serviceType, alias, createdAt: instantOf(createdAt, now) }, request.principal!.name, now());
      return reply.code(201).send(added);
    },
  );

  app.delete(
    '/api/v1/customers/:id/entities/:itemId',
    {
      config: { access: 'configure' },
      schema: {
        tags,
        summary: "Delete a customer's entity (`confbill entity delete`): its alias stops matching, its service days stop after that day.",
        params: customerItemParams('entity'),
        querystring: z.strictObject({ at: atQuery.meta({ description: 'When it stops existing; default now.' }) }),
        response: { 200: entitySchema.extend(rematched) },
      },
    },
    async (request) => retireEntity(db, request.params.id, request.params.itemId, instantOf(request.query.at, now), request.principal!.name, now()),
  );

  app.get(
    '/api/v1/customers/:id/services',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'The service types available to a customer at an instant, with their monthly prices (`confbill service available`).',
        params: customerParams,
        querystring: z.strictObject({ at: atQuery.meta({ description: 'Default now.' }) }),
        response: { 200: serviceAvailabilitySchema },
      },
    },
    async (request) => availableServiceTypes(db, request.params.id, instantOf(request.query.at, now)),
  );

  app.get(
    '/api/v1/customers/:id/custom-elements',
    { config: { access: 'read' }, schema: { tags, summary: "A customer's one-off charges by id.", params: customerParams, querystring: z.strictObject(pageQueryShape), response: { 200: pageOf(customElementSchema) } } },
    async (request) => pageOfList(await customerCustomElements(db, request.params.id), (e) => e.id, request.query),
  );

  app.put(
    '/api/v1/customers/:id/custom-elements/:itemId',
    {
      config: { access: 'configure' },
      schema: {
        tags,
        summary: "Create or change a customer's one-off charge, as under `customElements:` in the configuration file.",
        params: newElementParams,
        querystring: dryRunQuery,
        body: customerCustomElementConfigSchema.omit({ id: true }),
        response: { 200: configurationChangeSchema },
      },
    },
    async (request) => putCustomerCustomElement(db, request.params.id, { ...request.body, id: request.params.itemId }, request.principal!.name, { now: now(), dryRun: request.query.dryRun }),
  );

  app.delete(
    '/api/v1/customers/:id/custom-elements/:itemId',
    {
      config: { access: 'configure' },
      schema: { tags, summary: "Remove a customer's one-off charge that no invoice bills yet.", params: customerItemParams('one-off charge'), response: { 200: customElementSchema } },
    },
    async (request) => removeCustomerCustomElement(db, request.params.id, request.params.itemId, request.principal!.name, now()),
  );
};
