import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, dataOf } from '../../api/apiClient';
import type { Call } from '../../api/schemas';

export const sourcesQueryKey = ['sources'] as const;
export const rejectedQueryKey = ['reports', 'rejected'] as const;

/** `enabled` false for a role that may upload but not read (ingest): the upload form then offers no list of sources. */
export function useSources(enabled = true) {
  return useQuery({ queryKey: sourcesQueryKey, enabled, queryFn: () => dataOf(api.GET('/api/v1/sources', { params: { query: { limit: 500 } } })) });
}

/** The rejected records, oldest first as the API pages them; the page asks for more with "Load more". */
export function useRejectedRecords() {
  return useInfiniteQuery({
    queryKey: rejectedQueryKey,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => dataOf(api.GET('/api/v1/reports/rejected', { params: { query: { limit: 200, cursor: pageParam } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** Customer id → time zone (null = the provider's default), to show call times in the customer's zone. */
export function useCustomerZones() {
  return useQuery({
    queryKey: ['customers', 'zones'],
    queryFn: async () => {
      const page = await dataOf(api.GET('/api/v1/customers', { params: { query: { limit: 500 } } }));
      return new Map(page.items.map((c) => [c.id, { name: c.name, timezone: c.timezone }]));
    },
  });
}

export function useDefaultZone() {
  return useQuery({ queryKey: ['settings'], queryFn: () => dataOf(api.GET('/api/v1/settings')), select: (s) => s.timezone });
}

export interface CallFilters {
  customer?: string;
  source?: string;
  alias?: string;
  from?: string;
  to?: string;
  status?: Call['matchStatus'];
  invoiced?: 'true' | 'false';
}

export function useCallSearch(filters: CallFilters) {
  return useInfiniteQuery({
    queryKey: ['calls', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => dataOf(api.GET('/api/v1/calls', { params: { query: { ...filters, limit: 50, cursor: pageParam } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}
