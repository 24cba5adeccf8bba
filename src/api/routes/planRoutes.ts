import { z } from 'zod';
import type { PlanDefinition } from '../../domain/plan.ts';
import { listPlanEntries, planDetails, planHistoryOf, type PlanDetails } from '../../services/planCatalog.ts';
import { copyPlanAs, deletePlan, lockPlan, setPlanFields, unlockPlan } from '../../services/planLifecycle.ts';
import { planRevision } from '../../services/planRevision.ts';
import type { Database } from '../../services/openDatabase.ts';
import '../apiAccess.ts';
import type { ApiRouteModule } from '../apiContext.ts';
import { idParams, localDate, pageOf, pageOfList, pageQueryShape, plainText, slugId } from '../apiSchemas.ts';
import { ifMatchHeaders, ifMatchRevisions, sendRevision } from '../ifMatch.ts';

const money = z.string().meta({ description: 'An exact decimal, as a string.' });

const planDefinitionShape = {
  name: z.string(),
  currency: z.string().meta({ description: 'ISO 4217 code of every amount of the plan.' }),
  monthlyFee: money,
  portPool: z.object({ ports: z.number().int(), overagePerPortMinute: money }).nullable(),
  includedMinutes: z.object({ minutesPerMonth: z.number().int(), overagePerMinute: money }).nullable(),
  callRates: z.array(z.object({ category: z.string(), direction: z.string(), startupCharge: money, perMinute: money })),
  services: z.record(z.string(), money).meta({ description: 'Service type → monthly price per unit; "-1" not available, "0" free.' }),
  customElements: z.array(z.object({ name: z.string(), unitPrice: money, quantity: money, recurrence: z.enum(['monthly', 'once']) })),
};
const planDefinition = z.object(planDefinitionShape).meta({ id: 'PlanDefinition', description: 'The components of a plan (docs/billing-rules.md §3).' });

const planSummary = z
  .object({ id: z.string(), name: z.string(), currency: z.string(), locked: z.boolean(), version: z.number().int().nullable(), template: z.boolean().meta({ description: 'A built-in template: copied, never assigned or edited.' }) })
  .meta({ id: 'PlanSummary' });

const planCustomer = z
  .object({
    id: z.string().meta({ description: 'The assignment.' }),
    customerId: z.string(),
    customerName: z.string(),
    from: localDate.meta({ description: 'First day on the plan.' }),
    to: localDate.nullable().meta({ description: 'The day after the last day; null for an open end.' }),
  })
  .meta({ id: 'PlanCustomer' });

const planDocument = z
  .object({
    id: z.string(),
    template: z.boolean(),
    locked: z.boolean().meta({ description: 'False while a draft is being edited; rating uses the version in force either way.' }),
    version: z.number().int().nullable().meta({ description: 'The version in force; null for a template.' }),
    ...planDefinitionShape,
    draft: planDefinition.nullable().meta({ description: 'The edited definition while the plan is unlocked (not in force).' }),
    assignments: z.array(planCustomer),
  })
  .meta({ id: 'Plan', description: 'A plan as `confbill plan show --json` gives it (with draft null when there is none). Its ETag header guards edits.' });

const historyEntry = z
  .object({ field: z.string(), oldValue: z.unknown(), newValue: z.unknown(), user: z.string().meta({ description: 'Who made the change.' }), changedAt: z.string() })
  .meta({ id: 'PlanHistoryEntry' });

const jsonValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())]);

const lockSummary = z
  .object({
    id: z.string(),
    version: z.number().int().meta({ description: 'The version in force after the lock.' }),
    changedFields: z.array(z.string()).meta({ description: 'Fields that differ from the version that was in force; none means no new version.' }),
    customersRated: z.number().int(),
    itemsWritten: z.number().int(),
    itemsDeleted: z.number().int(),
  })
  .meta({ id: 'PlanLockResult', description: 'What was re-rated, as `confbill plan lock --json` prints it.' });

/** Every component present (null or empty when unused), whatever an older stored definition omitted. */
const definitionJson = (d: PlanDefinition) => ({
  name: d.name,
  currency: d.currency,
  monthlyFee: d.monthlyFee,
  portPool: d.portPool ?? null,
  includedMinutes: d.includedMinutes ?? null,
  callRates: d.callRates ?? [],
  services: d.services ?? {},
  customElements: d.customElements ?? [],
});

const planJson = (plan: PlanDetails) => ({
  id: plan.id,
  template: plan.template,
  locked: plan.locked,
  version: plan.version,
  ...definitionJson(plan.definition),
  draft: plan.draft ? definitionJson(plan.draft) : null,
  assignments: plan.assignments.map((a) => ({ id: a.id, customerId: a.customerId, customerName: a.customerName, from: a.from, to: a.to ?? null })),
});

/** The plan as it is now, with its revision for the ETag header. */
async function currentPlan(db: Database, id: string): Promise<{ plan: PlanDetails; revision: string }> {
  const plan = await planDetails(db, id);
  return { plan, revision: planRevision(plan) };
}

/**
 * Plans (docs/billing-rules.md §3): list with the built-in templates, show, copy, unlock, edit the draft,
 * lock & recalculate, history, delete, and the customers on a plan. Changes to a plan's draft and its
 * lock need the plan's ETag in If-Match; unlock and delete check it when it is given.
 */
export const planRoutes: ApiRouteModule = (app, { db, now }) => {
  const plans = '/api/v1/plans';
  const tags = ['plans'];

  app.get(plans, { config: { access: 'read' }, schema: { tags, summary: 'The plans and the built-in templates (marked), as `plan list --json`, by id.', querystring: z.strictObject(pageQueryShape), response: { 200: pageOf(planSummary) } } }, async (request) => {
    const entries = (await listPlanEntries(db)).map((p) => ({ id: p.id, name: p.definition.name, currency: p.definition.currency, locked: p.locked, version: p.version, template: p.template }));
    return pageOfList(entries, (p) => p.id, request.query);
  });

  app.get(`${plans}/:id`, { config: { access: 'read' }, schema: { tags, summary: 'A plan or a built-in template: its version, lock state, components, draft and assignments; ETag for edits.', params: idParams, response: { 200: planDocument } } }, async (request, reply) => {
    const { plan, revision } = await currentPlan(db, request.params.id);
    sendRevision(reply, revision);
    return planJson(plan);
  });

  app.post(
    plans,
    {
      config: { access: 'bill' },
      schema: {
        tags,
        summary: 'A new plan, locked at version 1, copied from a built-in template or another plan (`plan copy`).',
        body: z.strictObject({
          copyOf: slugId.meta({ description: 'A built-in template (concurrent-calls, pay-as-you-go, included-minutes) or a plan; a plan is copied at its version in force.' }),
          id: slugId.meta({ description: 'The id of the new plan: a lower-case slug.' }),
          name: plainText(200).min(1).optional().meta({ description: 'Its name; the id when absent.' }),
        }),
        response: { 201: planDocument },
      },
    },
    async (request, reply) => {
      const { copyOf, id, name } = request.body;
      await copyPlanAs(db, { from: copyOf, id, name: name ?? id, user: request.principal!.name });
      const { plan, revision } = await currentPlan(db, id);
      sendRevision(reply, revision);
      void reply.header('location', `${plans}/${encodeURIComponent(id)}`);
      return reply.code(201).send(planJson(plan));
    },
  );

  app.post(
    `${plans}/:id/unlock`,
    { config: { access: 'bill' }, schema: { tags, summary: 'Unlock a plan: its draft can be edited; rating keeps using the version in force until lock.', params: idParams, headers: ifMatchHeaders, response: { 200: planDocument } } },
    async (request, reply) => {
      await unlockPlan(db, request.params.id, request.principal!.name, { ifRevision: ifMatchRevisions(request, { required: false }) });
      const { plan, revision } = await currentPlan(db, request.params.id);
      sendRevision(reply, revision);
      return planJson(plan);
    },
  );

  app.patch(
    `${plans}/:id`,
    {
      config: { access: 'bill' },
      schema: {
        tags,
        summary: 'Edit the draft of an unlocked plan: a list of `plan set` edits, all applied or none. Needs If-Match.',
        params: idParams,
        headers: ifMatchHeaders,
        body: z.strictObject({
          changes: z
            .array(
              z.strictObject({
                field: z.string().min(1).max(200).meta({ description: 'A field path as `plan set` takes it: monthlyFee, portPool.ports, services.pexip-vmr, callRates.0.perMinute, portPool (a whole component).' }),
                value: jsonValue.meta({ description: 'The new value: money as a decimal string, counts as numbers, a component as an object, null to remove a component.' }),
              }),
            )
            .min(1)
            .max(100),
        }),
        response: { 200: planDocument },
      },
    },
    async (request, reply) => {
      const ifRevision = ifMatchRevisions(request, { required: true });
      // As `plan set` takes a value: a string as written, anything else as its JSON.
      const settings = request.body.changes.map((c) => ({ field: c.field, value: typeof c.value === 'string' ? c.value : JSON.stringify(c.value) }));
      await setPlanFields(db, request.params.id, settings, request.principal!.name, { ifRevision });
      const { plan, revision } = await currentPlan(db, request.params.id);
      sendRevision(reply, revision);
      return planJson(plan);
    },
  );

  app.post(
    `${plans}/:id/lock`,
    { config: { access: 'bill' }, schema: { tags, summary: 'Lock & recalculate: the draft becomes the version in force and billing data in no invoice is re-rated. Needs If-Match.', params: idParams, headers: ifMatchHeaders, response: { 200: lockSummary } } },
    async (request, reply) => {
      const ifRevision = ifMatchRevisions(request, { required: true });
      const result = await lockPlan(db, request.params.id, request.principal!.name, now(), { ifRevision });
      sendRevision(reply, (await currentPlan(db, request.params.id)).revision);
      const r = result.rating;
      return { id: request.params.id, version: result.plan.currentVersion, changedFields: result.changedFields, customersRated: r?.customers ?? 0, itemsWritten: r?.itemsWritten ?? 0, itemsDeleted: r?.itemsDeleted ?? 0 };
    },
  );

  app.get(
    `${plans}/:id/history`,
    { config: { access: 'read' }, schema: { tags, summary: 'Who changed which field of a plan, when, from what to what; oldest first.', params: idParams, querystring: z.strictObject(pageQueryShape), response: { 200: pageOf(historyEntry) } } },
    async (request) => {
      const history = await planHistoryOf(db, request.params.id);
      // The history only grows at its end, so a position in it stays where it was between pages.
      const numbered = history.map((entry, index) => ({ entry, key: String(index).padStart(12, '0') }));
      const page = pageOfList(numbered, (n) => n.key, request.query);
      return { items: page.items.map((n) => n.entry), nextCursor: page.nextCursor };
    },
  );

  app.get(
    `${plans}/:id/customers`,
    { config: { access: 'read' }, schema: { tags, summary: "The customers on a plan: its assignments, past, present and future, by assignment id, with the customers' names.", params: idParams, querystring: z.strictObject(pageQueryShape), response: { 200: pageOf(planCustomer) } } },
    async (request) => {
      const { plan } = await currentPlan(db, request.params.id);
      const rows = planJson(plan).assignments;
      return pageOfList(rows, (a) => a.id, request.query);
    },
  );

  app.delete(
    `${plans}/:id`,
    {
      config: { access: 'bill' },
      schema: {
        tags,
        summary: 'Delete a plan with its assignments, the draft invoices using it and its billing items in no invoice; refused (409) while an approved invoice uses it.',
        params: idParams,
        headers: ifMatchHeaders,
        response: { 200: z.object({ id: z.string(), deletedDrafts: z.array(z.string()).meta({ description: 'The draft invoices deleted with it.' }), deletedItems: z.number().int() }) },
      },
    },
    async (request) => {
      const result = await deletePlan(db, request.params.id, request.principal!.name, now(), { ifRevision: ifMatchRevisions(request, { required: false }) });
      return { id: request.params.id, deletedDrafts: result.deletedDrafts, deletedItems: result.deletedItems };
    },
  );
};
