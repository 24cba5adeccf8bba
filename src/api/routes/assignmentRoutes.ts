import { z } from 'zod';
import type { Assignment } from '../../domain/assignment.ts';
import { addAssignment, endAssignment, listAssignmentsOf, removeAssignment } from '../../services/assignments.ts';
import '../apiAccess.ts';
import type { ApiRouteModule } from '../apiContext.ts';
import { idParams, localDate, pageOf, pageOfList, pageQueryShape, slugId } from '../apiSchemas.ts';
import { repeatable, valuesOf } from '../repeatableQuery.ts';

const assignmentSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    planId: z.string(),
    from: localDate.meta({ description: 'First day on the plan, in the customer’s time zone.' }),
    to: localDate.nullable().meta({ description: 'The day after the last day on the plan; null for an open end.' }),
  })
  .meta({ id: 'Assignment', description: 'A customer on a plan over a range of days, as `confbill assignment list --json`.' });

const assignmentJson = (a: Assignment) => ({ id: a.id, customerId: a.customerId, planId: a.planId, from: a.from, to: a.to ?? null });

/**
 * Assignments of customers to plans (docs/billing-rules.md §3), as `confbill assignment …`: each
 * change re-rates the customer's billing data in no invoice at once.
 */
export const assignmentRoutes: ApiRouteModule = (app, { db, now }) => {
  const assignments = '/api/v1/assignments';
  const tags = ['assignments'];

  app.get(
    assignments,
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'The assignments of some customers and/or plans (all without either), by id.',
        querystring: z.strictObject({
          customer: repeatable(slugId).meta({ description: 'A customer id; repeat for several.' }),
          plan: repeatable(slugId).meta({ description: 'A plan id; repeat for several. An unknown plan is a 404.' }),
          ...pageQueryShape,
        }),
        response: { 200: pageOf(assignmentSchema) },
      },
    },
    async (request) => {
      const list = await listAssignmentsOf(db, { customerIds: valuesOf(request.query.customer), planIds: valuesOf(request.query.plan) });
      return pageOfList(list.map(assignmentJson), (a) => a.id, request.query);
    },
  );

  app.post(
    assignments,
    {
      config: { access: 'bill' },
      schema: {
        tags,
        summary: 'Put a customer on a plan from a day (to a day); refused when it overlaps another of its assignments.',
        body: z.strictObject({
          customer: slugId,
          plan: slugId,
          from: localDate,
          to: localDate.optional().meta({ description: 'The day after the last day; open-ended when absent.' }),
          id: slugId.optional().meta({ description: 'Its id; CUSTOMER@FROM when absent.' }),
        }),
        response: { 201: assignmentSchema },
      },
    },
    async (request, reply) => {
      const { customer, plan, from, to, id } = request.body;
      const added = await addAssignment(db, { id, customerId: customer, planId: plan, from, to }, request.principal!.name, now());
      void reply.header('location', `${assignments}/${encodeURIComponent(added.id)}`);
      return reply.code(201).send(assignmentJson(added));
    },
  );

  app.patch(
    `${assignments}/:id`,
    {
      config: { access: 'bill' },
      schema: {
        tags,
        summary: 'End an assignment on a day, or make its end open (`assignment end`): the usual way to move a customer to another plan.',
        params: idParams,
        body: z.strictObject({ to: localDate.nullable().meta({ description: 'The day after its last day; null for an open end.' }) }),
        response: { 200: assignmentSchema },
      },
    },
    async (request) => assignmentJson(await endAssignment(db, request.params.id, request.body.to ?? undefined, request.principal!.name, now())),
  );

  app.delete(
    `${assignments}/:id`,
    { config: { access: 'bill' }, schema: { tags, summary: 'Remove an assignment; items already in invoices keep their plan, the rest is re-rated.', params: idParams, response: { 200: assignmentSchema } } },
    async (request) => assignmentJson(await removeAssignment(db, request.params.id, request.principal!.name, now())),
  );
};
