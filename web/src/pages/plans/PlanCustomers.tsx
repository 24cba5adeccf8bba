import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { PlanCustomer } from '../../api/schemas';
import { EmptyState } from '../../components/EmptyState';
import { formatDay, formatDayRange, todayIn, browserTimeZone } from '../../components/formatDates';

export function assignmentRangeText(from: string, to: string | null): string {
  return to === null ? `from ${formatDay(from)}, open-ended` : formatDayRange(from, to);
}

/** The customers on the plan: every assignment, past, present and future, with its days. */
export function PlanCustomers({ assignments, isTemplate }: { assignments: PlanCustomer[]; isTemplate: boolean }) {
  if (assignments.length === 0)
    return (
      <EmptyState title="No customer is on this plan">
        {isTemplate ? 'A built-in template is never assigned: copy it to a plan of your own first.' : 'Assign customers below (from a first day, optionally to a last day).'}
      </EmptyState>
    );
  const today = todayIn(browserTimeZone);
  const sorted = [...assignments].sort((a, b) => a.customerId.localeCompare(b.customerId) || a.from.localeCompare(b.from));
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped aria-label="Customers on the plan">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Customer</Table.Th>
            <Table.Th>Days on the plan</Table.Th>
            <Table.Th>State</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((a) => (
            <Table.Tr key={a.id} data-testid={`plan-customer-${a.customerId}`}>
              <Table.Td>
                <Anchor component={Link} to={`/customers/${encodeURIComponent(a.customerId)}`}>
                  {a.customerName}
                </Anchor>{' '}
                <Text span size="sm" c="dimmed">
                  {a.customerId}
                </Text>
              </Table.Td>
              <Table.Td>{assignmentRangeText(a.from, a.to)}</Table.Td>
              <Table.Td>
                {a.to !== null && a.to <= today ? (
                  <Text size="sm" c="dimmed">
                    Ended
                  </Text>
                ) : a.from > today ? (
                  <Text size="sm">Starts later</Text>
                ) : (
                  <Text size="sm" fw={600}>
                    Current
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
