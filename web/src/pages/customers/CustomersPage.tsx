import { Anchor, Button, Group, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { todayIn } from '../../components/formatDates';
import { EmptyState } from '../../components/EmptyState';
import { LoadingBlock } from '../../components/LoadingBlock';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { assignmentOn, customerListQuery, customersPageSize, useAssignmentsOf, useDefaultTimeZone, usePlansById } from './customerQueries';

/** The customers, searched by id or name (the search is kept in the address so it survives a reload and a back). */
export function CustomersPage() {
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('search') ?? '');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  // The cursors of the pages before this one, so "Previous page" goes back without a backward cursor in the API.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const list = useQuery(customerListQuery(debounced, cursor));
  const customers = list.data?.items ?? [];
  const assignments = useAssignmentsOf(customers.map((c) => c.id));
  const plans = usePlansById();
  const defaultZone = useDefaultTimeZone();

  const onSearch = (value: string) => {
    setSearch(value);
    setCursors([]);
    setParams(value.trim() ? { search: value.trim() } : {}, { replace: true });
  };

  return (
    <>
      <PageHeader title="Customers" description="Who is billed: billing details, plans, the rules that match their calls, entities and one-off charges." />
      <form role="search" onSubmit={(e) => e.preventDefault()}>
        <TextInput
          label="Search customers"
          description="Part of the id or the name, any case"
          placeholder="cust-0003 or Nordic"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(e) => onSearch(e.currentTarget.value)}
          maw={420}
          mb="md"
        />
      </form>
      <ProblemAlert error={list.error} title="The customers could not be listed" />
      {list.isPending ? (
        <LoadingBlock rows={10} height={34} />
      ) : customers.length === 0 && !list.isError ? (
        debounced ? (
          <EmptyState title={`No customer's id or name holds "${debounced}"`}>Check the spelling, or search for a shorter part of the name.</EmptyState>
        ) : (
          <EmptyState title="No customers yet">Add customers with the configuration file (`confbill apply`) or PUT /api/v1/customers/&#123;id&#125;.</EmptyState>
        )
      ) : (
        <>
          <Table.ScrollContainer minWidth={720}>
            <Table striped highlightOnHover aria-label="Customers">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Id</Table.Th>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Plan now</Table.Th>
                  <Table.Th>Time zone</Table.Th>
                  <Table.Th>Currency</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {customers.map((c) => {
                  const zone = c.timezone ?? defaultZone;
                  const current = zone && assignments.data ? assignmentOn(assignments.data.filter((a) => a.customerId === c.id), todayIn(zone)) : undefined;
                  const plan = current ? plans.data?.get(current.planId) : undefined;
                  return (
                    <Table.Tr key={c.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/customers/${encodeURIComponent(c.id)}`} size="sm">
                          {c.id}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>{c.name}</Table.Td>
                      <Table.Td>
                        {assignments.isPending ? (
                          <Text c="dimmed" size="sm">…</Text>
                        ) : current ? (
                          <Anchor component={Link} to={`/plans/${encodeURIComponent(current.planId)}`} size="sm">
                            {plan?.name ?? current.planId}
                          </Anchor>
                        ) : (
                          <Text c="dimmed" size="sm">No plan today</Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {c.timezone ?? (
                          <Text span size="sm">
                            {defaultZone ?? '…'} <Text span c="dimmed" size="xs">(default)</Text>
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{plan?.currency ?? '—'}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {(cursors.length > 0 || list.data?.nextCursor) && (
            <Group justify="space-between" mt="sm">
              <Text size="sm" c="dimmed">
                Page {cursors.length + 1} ({customersPageSize} a page)
              </Text>
              <Group gap="xs">
                <Button variant="default" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))}>
                  Previous page
                </Button>
                <Button variant="default" disabled={!list.data?.nextCursor} onClick={() => list.data?.nextCursor && setCursors((c) => [...c, list.data.nextCursor!])}>
                  Next page
                </Button>
              </Group>
            </Group>
          )}
        </>
      )}
    </>
  );
}
