import { Anchor, Button, Group, MultiSelect, Paper, Select, Stack, Table, Text } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { IconFilePlus } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { formatDayRange, formatInstant } from '../../components/formatDates';
import { formatMoney } from '../../components/formatMoney';
import { LoadingBlock } from '../../components/LoadingBlock';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { Allowed } from '../../session/SessionProvider';
import { InvoiceStatusBadge } from './InvoiceStatusBadge';
import { customerTimeZone, invoiceLabel, useCustomers, useInvoicePages, useSettings, type InvoiceFilter } from './invoiceQueries';

/** The invoice history: drafts and approved invoices, filtered by customer, range and status. */
export function InvoiceListPage() {
  const [filter, setFilter] = useState<InvoiceFilter>({ customers: [], from: null, lastDay: null, status: null });
  const customers = useCustomers();
  const settings = useSettings();
  const pages = useInvoicePages(filter);
  const byId = useMemo(() => new Map((customers.data ?? []).map((c) => [c.id, c])), [customers.data]);
  const invoices = pages.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = filter.customers.length > 0 || filter.from !== null || filter.lastDay !== null || filter.status !== null;

  return (
    <>
      <PageHeader
        title="Invoices"
        description="Drafts and approved invoices, by customer and period."
        actions={
          <Allowed permission="bill">
            <Button component={Link} to="/invoices/generate" leftSection={<IconFilePlus size={18} aria-hidden />}>
              Generate invoices
            </Button>
          </Allowed>
        }
      />
      <Paper withBorder p="sm" mb="md" component="form" role="search" aria-label="Filter invoices" onSubmit={(e) => e.preventDefault()}>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <MultiSelect
            label="Customers"
            placeholder={filter.customers.length ? undefined : 'All customers'}
            data={(customers.data ?? []).map((c) => ({ value: c.id, label: `${c.id} · ${c.name}` }))}
            value={filter.customers}
            onChange={(value) => setFilter((f) => ({ ...f, customers: value }))}
            searchable
            clearable
            w={300}
          />
          <DateInput label="From (first day)" valueFormat="YYYY-MM-DD" placeholder="YYYY-MM-DD" clearable value={filter.from} onChange={(value) => setFilter((f) => ({ ...f, from: value }))} w={170} />
          <DateInput label="To (last day)" valueFormat="YYYY-MM-DD" placeholder="YYYY-MM-DD" clearable value={filter.lastDay} onChange={(value) => setFilter((f) => ({ ...f, lastDay: value }))} w={170} />
          <Select
            label="Status"
            data={[
              { value: 'all', label: 'Any status' },
              { value: 'draft', label: 'Draft' },
              { value: 'approved', label: 'Approved' },
            ]}
            value={filter.status ?? 'all'}
            onChange={(value) => setFilter((f) => ({ ...f, status: value === 'draft' || value === 'approved' ? value : null }))}
            allowDeselect={false}
            w={150}
          />
        </Group>
      </Paper>

      <ProblemAlert error={pages.error ?? customers.error} title="The invoices could not be listed" />
      {pages.isPending ? (
        <LoadingBlock rows={10} height={36} />
      ) : invoices.length === 0 ? (
        filtered ? (
          <EmptyState title="No invoice matches these filters">Clear a filter, or choose another customer or period.</EmptyState>
        ) : (
          <EmptyState title="No invoices yet">Generate invoices for the customers and a month that has ended (Generate invoices above).</EmptyState>
        )
      ) : (
        <Stack gap="sm">
          <Table.ScrollContainer minWidth={900}>
            <Table striped highlightOnHover aria-label="Invoices">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Invoice</Table.Th>
                  <Table.Th>Customer</Table.Th>
                  <Table.Th>Period</Table.Th>
                  <Table.Th ta="right">Total</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Approved</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {invoices.map((invoice) => {
                  const customer = byId.get(invoice.customerId);
                  const timeZone = customerTimeZone(customer, settings.data);
                  return (
                    <Table.Tr key={invoice.id} data-invoice-id={invoice.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/invoices/${invoice.id}`} aria-label={`${invoiceLabel(invoice)} of ${invoice.customerId}, ${formatDayRange(invoice.from, invoice.to)}`}>
                          {invoiceLabel(invoice)}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{invoice.customerId}</Text>
                        {customer && (
                          <Text size="xs" c="dimmed">
                            {customer.name}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{formatDayRange(invoice.from, invoice.to)}</Table.Td>
                      <Table.Td ta="right" ff="monospace">
                        {formatMoney(invoice.total, invoice.currency)}
                      </Table.Td>
                      <Table.Td>
                        <InvoiceStatusBadge status={invoice.status} />
                      </Table.Td>
                      <Table.Td>
                        {invoice.approvedAt ? (
                          <Text size="sm">
                            {invoice.approvedBy} · {formatInstant(invoice.approvedAt, timeZone)} ({timeZone})
                          </Text>
                        ) : (
                          <Text size="sm" c="dimmed">
                            Not yet
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {invoices.length} invoice{invoices.length === 1 ? '' : 's'} shown{pages.hasNextPage ? '; more to load' : ''}
            </Text>
            {pages.hasNextPage && (
              <Button variant="default" onClick={() => void pages.fetchNextPage()} loading={pages.isFetchingNextPage}>
                Load more
              </Button>
            )}
          </Group>
        </Stack>
      )}
    </>
  );
}
