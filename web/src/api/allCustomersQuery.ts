import { queryOptions } from '@tanstack/react-query';
import { allPages } from './allPages';
import { api, dataOf } from './apiClient';
import type { Customer } from './schemas';

/** Every customer (pickers, names, time zones), loaded once and shared by every page that needs them. */
export const allCustomersQuery = queryOptions({
  queryKey: ['customers', 'all'],
  queryFn: (): Promise<Customer[]> => allPages((cursor) => dataOf(api.GET('/api/v1/customers', { params: { query: { limit: 500, ...(cursor === undefined ? {} : { cursor }) } } }))),
  staleTime: 60_000,
});
