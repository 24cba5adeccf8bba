import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { allCustomersQuery } from '../../api/allCustomersQuery';
import { dayAfter } from '../../components/calendarDays';
import { api, dataOf, dataWithEtag } from '../../api/apiClient';
import type { Customer, Invoice, ProviderSettings } from '../../api/schemas';

export interface InvoiceFilter {
  customers: string[];
  /** First day of the range (YYYY-MM-DD), or none. */
  from: string | null;
  /** Last day of the range (YYYY-MM-DD), or none: the API's `to` is the day after. */
  lastDay: string | null;
  status: 'draft' | 'approved' | null;
}

/** The invoice history, a page at a time ("Load more" asks for the next cursor). */
export function useInvoicePages(filter: InvoiceFilter) {
  return useInfiniteQuery({
    queryKey: ['invoices', filter],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      dataOf(
        api.GET('/api/v1/invoices', {
          params: {
            query: {
              limit: 50,
              ...(pageParam === undefined ? {} : { cursor: pageParam }),
              ...(filter.customers.length > 0 ? { customer: filter.customers } : {}),
              ...(filter.from ? { from: filter.from } : {}),
              ...(filter.lastDay ? { to: dayAfter(filter.lastDay) } : {}),
              ...(filter.status ? { status: filter.status } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** One invoice with the ETag that draft edits must send back (If-Match). */
export function useInvoice(invoiceId: string) {
  return useQuery({
    queryKey: ['invoice', invoiceId],
    queryFn: () => dataWithEtag(api.GET('/api/v1/invoices/{invoice}', { params: { path: { invoice: invoiceId } } })),
  });
}

/** Every customer (for filters, names and time zones). */
export function useCustomers() {
  return useQuery(allCustomersQuery);
}

export function useSettings() {
  return useQuery({ queryKey: ['settings'], queryFn: () => dataOf(api.GET('/api/v1/settings')), staleTime: 60_000 });
}

/** The time zone of a customer's days: its own, or the default of the settings. */
export function customerTimeZone(customer: Customer | undefined, settings: ProviderSettings | undefined): string {
  return customer?.timezone ?? settings?.timezone ?? 'UTC';
}

/** What an invoice is called on screen: its number once approved, else "draft". */
export function invoiceLabel(invoice: Pick<Invoice, 'number' | 'status'>): string {
  return invoice.number === null ? 'Draft' : `#${invoice.number}`;
}
