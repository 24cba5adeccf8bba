import { queryOptions } from '@tanstack/react-query';
import { allPages } from '../../api/allPages';
import { api, dataOf } from '../../api/apiClient';
import type { Call, InvoicePreview, PeakPortsReport, UntrackedCall, UsageRow } from '../../api/schemas';


export interface NonInvoicedRequest {
  /** Empty: every customer. */
  customerIds: string[];
  from?: string;
  to?: string;
}

export const nonInvoicedQuery = (request: NonInvoicedRequest) =>
  queryOptions({
    queryKey: ['reports', 'non-invoiced', request],
    queryFn: (): Promise<InvoicePreview[]> =>
      allPages((cursor) =>
        dataOf(
          api.GET('/api/v1/reports/non-invoiced', {
            params: { query: { customer: request.customerIds.length > 0 ? request.customerIds : undefined, from: request.from, to: request.to, limit: 500, cursor } },
          }),
        ),
      ),
  });

export const untrackedQuery = queryOptions({
  queryKey: ['reports', 'untracked'],
  queryFn: (): Promise<UntrackedCall[]> => allPages((cursor) => dataOf(api.GET('/api/v1/reports/untracked', { params: { query: { limit: 500, cursor } } }))),
});

export const usageQuery = (customerId: string) =>
  queryOptions({
    queryKey: ['reports', 'usage', customerId],
    queryFn: (): Promise<UsageRow[]> => allPages((cursor) => dataOf(api.GET('/api/v1/reports/usage', { params: { query: { customer: [customerId], limit: 500, cursor } } }))),
  });

export const peakPortsQuery = (customerId: string, month: string) =>
  queryOptions({
    queryKey: ['reports', 'peak-ports', customerId, month],
    queryFn: (): Promise<PeakPortsReport> => dataOf(api.GET('/api/v1/reports/peak-ports', { params: { query: { customer: customerId, month } } })),
  });

/** The customer's matched calls that started within [from, to) (instants): the days of the minutes-pool curve. */
export const monthCallsQuery = (customerId: string, from: string, to: string) =>
  queryOptions({
    queryKey: ['calls', { customerId, from, to, status: 'matched' }],
    queryFn: (): Promise<Call[]> =>
      allPages((cursor) => dataOf(api.GET('/api/v1/calls', { params: { query: { customer: customerId, from, to, status: 'matched', limit: 500, cursor } } }))),
  });

export const customerServicesQuery = (customerId: string) =>
  queryOptions({
    queryKey: ['customer', customerId, 'services'],
    queryFn: () => dataOf(api.GET('/api/v1/customers/{id}/services', { params: { path: { id: customerId } } })),
  });
