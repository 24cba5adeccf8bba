import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, dataOf } from '../../api/apiClient';
import type { Assignment, PlanSummary } from '../../api/schemas';

/** The query keys of the customer pages: every change invalidates `['customer', id]` and what hangs under it. */
export const customerKeys = {
  list: (search: string, cursor: string | undefined) => ['customers', search, cursor ?? ''] as const,
  detail: (id: string) => ['customer', id] as const,
  services: (id: string) => ['customer', id, 'services'] as const,
  charges: (id: string) => ['customer', id, 'custom-elements'] as const,
  aliasTest: (alias: string) => ['matching-test', alias] as const,
};

export const customersPageSize = 25;

export function customerListQuery(search: string, cursor: string | undefined) {
  return queryOptions({
    queryKey: customerKeys.list(search, cursor),
    queryFn: () => dataOf(api.GET('/api/v1/customers', { params: { query: { limit: customersPageSize, ...(search ? { search } : {}), ...(cursor ? { cursor } : {}) } } })),
    placeholderData: keepPreviousData,
  });
}

export function customerDetailQuery(id: string) {
  return queryOptions({ queryKey: customerKeys.detail(id), queryFn: () => dataOf(api.GET('/api/v1/customers/{id}', { params: { path: { id } } })) });
}

export function customerServicesQuery(id: string) {
  return queryOptions({ queryKey: customerKeys.services(id), queryFn: () => dataOf(api.GET('/api/v1/customers/{id}/services', { params: { path: { id } } })) });
}

export function customerChargesQuery(id: string) {
  return queryOptions({
    queryKey: customerKeys.charges(id),
    queryFn: () => dataOf(api.GET('/api/v1/customers/{id}/custom-elements', { params: { path: { id }, query: { limit: 500 } } })),
  });
}

/** The assignments of the customers of a list page, for its "plan now" column (the list itself names no plan). */
export function useAssignmentsOf(customerIds: string[]) {
  return useQuery({
    queryKey: ['assignments', 'customers', ...customerIds],
    queryFn: () => dataOf(api.GET('/api/v1/assignments', { params: { query: { customer: customerIds, limit: 500 } } })),
    enabled: customerIds.length > 0,
    select: (page): Assignment[] => page.items,
  });
}

/** Plans by id: their names and currencies (a customer's currency is its plan's). */
export function usePlansById() {
  return useQuery({
    queryKey: ['plans'],
    queryFn: () => dataOf(api.GET('/api/v1/plans', { params: { query: { limit: 500 } } })),
    select: (page) => new Map<string, PlanSummary>(page.items.map((p) => [p.id, p])),
  });
}

/** The settings' default time zone: the zone of customers that name none. */
export function useDefaultTimeZone(): string | undefined {
  return useQuery({ queryKey: ['settings'], queryFn: () => dataOf(api.GET('/api/v1/settings')) }).data?.timezone;
}

/** The assignment covering a day (ranges are from first day to the day after the last). */
export function assignmentOn<T extends { from: string; to: string | null }>(assignments: T[], day: string): T | undefined {
  return assignments.find((a) => a.from <= day && (a.to === null || day < a.to));
}
