import { useQuery } from '@tanstack/react-query';
import { allCustomersQuery } from '../../api/allCustomersQuery';
import { allPages } from '../../api/allPages';
import { api, dataOf, dataWithEtag } from '../../api/apiClient';
import type { Assignment, Invoice, PlanHistoryEntry, PlanSummary } from '../../api/schemas';

/** Query keys of this area: invalidated together after a change to a plan or an assignment. */
export const planKeys = {
  list: ['plans'] as const,
  plan: (id: string) => ['plan', id] as const,
  history: (id: string) => ['plan', id, 'history'] as const,
  assignments: ['assignments'] as const,
  customers: ['customers'] as const,
};

export function usePlans() {
  return useQuery({
    queryKey: planKeys.list,
    queryFn: () => allPages<PlanSummary>((cursor) => dataOf(api.GET('/api/v1/plans', { params: { query: { limit: 500, cursor } } }))),
  });
}

/** A plan with its ETag: the version an edit, a lock or a delete is made on. */
export function usePlan(id: string) {
  return useQuery({
    queryKey: planKeys.plan(id),
    queryFn: () => dataWithEtag(api.GET('/api/v1/plans/{id}', { params: { path: { id } } })),
  });
}

export function usePlanHistory(id: string) {
  return useQuery({
    queryKey: planKeys.history(id),
    queryFn: () => allPages<PlanHistoryEntry>((cursor) => dataOf(api.GET('/api/v1/plans/{id}/history', { params: { path: { id }, query: { limit: 500, cursor } } }))),
  });
}

/** All assignments: the list counts the customers of each plan, the assign form finds overlaps. */
export function useAllAssignments() {
  return useQuery({
    queryKey: planKeys.assignments,
    queryFn: () => allPages<Assignment>((cursor) => dataOf(api.GET('/api/v1/assignments', { params: { query: { limit: 500, cursor } } }))),
  });
}

export function useCustomers(enabled = true) {
  return useQuery({ ...allCustomersQuery, enabled });
}

/**
 * The invoices of the plan's customers that hold items of the plan: drafts keep the version they were
 * rated with on lock and are deleted with the plan; an approved one makes the API refuse the delete.
 */
export function useInvoicesUsingPlan(planId: string, customerIds: string[]) {
  return useQuery({
    queryKey: ['invoices', 'using-plan', planId, customerIds],
    enabled: customerIds.length > 0,
    queryFn: async () => {
      const invoices = await allPages<Invoice>((cursor) => dataOf(api.GET('/api/v1/invoices', { params: { query: { customer: customerIds, limit: 500, cursor } } })));
      return invoices.filter((invoice) => invoice.lines.some((line) => line.planId === planId));
    },
  });
}
