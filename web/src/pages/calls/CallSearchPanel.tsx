import { Badge, Button, Card, Group, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { IconSearch } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { Call } from '../../api/schemas';
import { EmptyState } from '../../components/EmptyState';
import { formatInstant } from '../../components/formatDates';
import { LoadingBlock } from '../../components/LoadingBlock';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useCallSearch, useCustomerZones, useDefaultZone, useSources, type CallFilters } from './callQueries';

/** 3725 s → "1:02:05": a call's length as people read it. */
export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

const statusColors: Record<Call['matchStatus'], string> = { matched: 'green', pending: 'gray', 'no-customer': 'orange', ambiguous: 'red' };

/** Find calls by customer, alias, source, start range, match status and invoicing; newest first, a page at a time. */
export function CallSearchPanel() {
  const zones = useCustomerZones();
  const defaultZone = useDefaultZone();
  const sources = useSources();
  const [form, setForm] = useState<CallFilters>({});
  const [filters, setFilters] = useState<CallFilters>({});
  const calls = useCallSearch(filters);
  const rows = calls.data?.pages.flatMap((p) => p.items) ?? [];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const clean = Object.fromEntries(Object.entries({ ...form, alias: form.alias?.trim() }).filter(([, v]) => v !== undefined && v !== null && v !== '')) as CallFilters;
    setFilters(clean);
  };
  const zoneOf = (call: Call): string => (call.customerId ? (zones.data?.get(call.customerId)?.timezone ?? defaultZone.data ?? 'UTC') : 'UTC');
  const customerOptions = [...(zones.data?.entries() ?? [])].map(([id, c]) => ({ value: id, label: `${c.name} (${id})` }));

  return (
    <Stack gap="lg">
      <Card withBorder padding="md" component="form" onSubmit={submit} aria-label="Search calls">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }}>
          <Select label="Customer" placeholder="Any customer" data={customerOptions} searchable clearable value={form.customer ?? null} onChange={(v) => setForm({ ...form, customer: v ?? undefined })} />
          <TextInput label="Alias" description="Local or remote alias, exactly" placeholder="room@example.com" value={form.alias ?? ''} onChange={(e) => setForm({ ...form, alias: e.currentTarget.value })} />
          <Select label="Source" placeholder="Any source" data={(sources.data?.items ?? []).map((s) => s.source)} clearable value={form.source ?? null} onChange={(v) => setForm({ ...form, source: v ?? undefined })} />
          <Select
            label="Match"
            placeholder="Any"
            clearable
            data={[
              { value: 'matched', label: 'Matched to a customer' },
              { value: 'no-customer', label: 'Matching no customer' },
              { value: 'ambiguous', label: 'Matching several customers' },
              { value: 'pending', label: 'Not matched yet' },
            ]}
            value={form.status ?? null}
            onChange={(v) => setForm({ ...form, status: (v ?? undefined) as CallFilters['status'] })}
          />
          <DateInput label="Started on or after (UTC)" valueFormat="YYYY-MM-DD" placeholder="YYYY-MM-DD" clearable clearButtonProps={{ 'aria-label': 'Clear the first day' }} value={form.from ?? null} onChange={(v) => setForm({ ...form, from: v ?? undefined })} />
          <DateInput label="Started before (UTC)" valueFormat="YYYY-MM-DD" placeholder="YYYY-MM-DD" clearable clearButtonProps={{ 'aria-label': 'Clear the day before which calls started' }} value={form.to ?? null} onChange={(v) => setForm({ ...form, to: v ?? undefined })} />
          <Select
            label="Invoiced"
            placeholder="Either"
            clearable
            data={[
              { value: 'true', label: 'On an invoice' },
              { value: 'false', label: 'Not on an invoice' },
            ]}
            value={form.invoiced ?? null}
            onChange={(v) => setForm({ ...form, invoiced: (v ?? undefined) as CallFilters['invoiced'] })}
          />
          <Group align="flex-end">
            <Button type="submit" leftSection={<IconSearch size={16} aria-hidden />}>
              Search calls
            </Button>
          </Group>
        </SimpleGrid>
      </Card>
      <Card withBorder padding="md">
        {calls.isPending ? (
          <LoadingBlock rows={8} />
        ) : calls.isError ? (
          <ProblemAlert error={calls.error} />
        ) : rows.length === 0 ? (
          <EmptyState title="No calls found">Widen the search: clear a filter, or check the alias (it must be the whole alias, e.g. room@example.com).</EmptyState>
        ) : (
          <>
            <Text size="sm" c="dimmed" mb="xs" data-testid="call-count">
              {rows.length} call{rows.length === 1 ? '' : 's'} shown{calls.hasNextPage ? ', more to load' : ''}, newest first. Start times in the customer’s time zone; calls of no customer in UTC.
            </Text>
            <Table.ScrollContainer minWidth={1280}>
              <Table striped highlightOnHover aria-label="Calls">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Started</Table.Th>
                    <Table.Th ta="right">Duration</Table.Th>
                    <Table.Th>Customer</Table.Th>
                    <Table.Th>Local alias</Table.Th>
                    <Table.Th>Remote alias</Table.Th>
                    <Table.Th>Category / direction</Table.Th>
                    <Table.Th>Source</Table.Th>
                    <Table.Th>Match</Table.Th>
                    <Table.Th>Invoice</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((c) => {
                    const zone = zoneOf(c);
                    return (
                      <Table.Tr key={c.id} data-testid={`call-${c.externalId}`}>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>
                          <Text size="sm">{formatInstant(c.startedAt, zone)}</Text>
                          <Text size="xs" c="dimmed" data-testid="call-zone">
                            {zone}
                          </Text>
                        </Table.Td>
                        <Table.Td ta="right">{formatDuration(c.durationSeconds)}</Table.Td>
                        <Table.Td>{c.customerId ? <Link to={`/customers/${c.customerId}`}>{zones.data?.get(c.customerId)?.name ?? c.customerId}</Link> : '—'}</Table.Td>
                        <Table.Td>{c.localAlias ?? '—'}</Table.Td>
                        <Table.Td>{c.remoteAlias ?? '—'}</Table.Td>
                        <Table.Td>
                          {c.category} / {c.direction}
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{c.source}</Text>
                          <Text size="xs" c="dimmed">
                            {c.externalId}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Badge miw="max-content" color={statusColors[c.matchStatus]} variant="dot" tt="none">
                            {c.matchStatus}
                          </Badge>
                        </Table.Td>
                        <Table.Td>{c.invoiceId ? <Link to={`/invoices/${c.invoiceId}`}>{c.invoiceId}</Link> : '—'}</Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {calls.hasNextPage && (
              <Button variant="default" mt="sm" loading={calls.isFetchingNextPage} onClick={() => void calls.fetchNextPage()}>
                Load more calls
              </Button>
            )}
          </>
        )}
      </Card>
    </Stack>
  );
}
