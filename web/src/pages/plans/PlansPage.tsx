import { Anchor, Badge, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { EmptyState } from '../../components/EmptyState';
import { LoadingBlock } from '../../components/LoadingBlock';
import { PageHeader } from '../../components/PageHeader';
import { ProblemAlert } from '../../components/ProblemAlert';
import { browserTimeZone, todayIn } from '../../components/formatDates';
import { Allowed } from '../../session/SessionProvider';
import { CopyPlanButton } from './CopyPlanButton';
import { useAllAssignments, usePlans } from './planQueries';

/** The price plans and the built-in templates they are copied from. */
export function PlansPage() {
  const plans = usePlans();
  const assignments = useAllAssignments();
  const today = todayIn(browserTimeZone);
  const customersOf = (planId: string) => new Set((assignments.data ?? []).filter((a) => a.planId === planId && (a.to === null || a.to > today)).map((a) => a.customerId)).size;
  const sorted = [...(plans.data ?? [])].sort((a, b) => Number(a.template) - Number(b.template) || a.id.localeCompare(b.id));
  return (
    <>
      <PageHeader
        title="Price plans"
        description="A new plan is a copy of a built-in template or of another plan. Open a plan to edit, lock & recalculate, assign customers or see its history."
        actions={
          <Allowed permission="bill">
            <CopyPlanButton />
          </Allowed>
        }
      />
      {plans.isPending ? (
        <LoadingBlock rows={8} height={36} />
      ) : plans.error ? (
        <ProblemAlert error={plans.error} title="The plans could not be read" />
      ) : sorted.length === 0 ? (
        <EmptyState title="No plans">Copy a built-in template to make the first plan.</EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover aria-label="Price plans">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Plan</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th ta="right">Version</Table.Th>
                <Table.Th>Currency</Table.Th>
                <Table.Th ta="right">Customers now or later</Table.Th>
                <Table.Th>State</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sorted.map((p) => (
                <Table.Tr key={p.id} data-testid={`plan-row-${p.id}`}>
                  <Table.Td>
                    <Anchor component={Link} to={`/plans/${encodeURIComponent(p.id)}`} fw={600}>
                      {p.name}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {p.id}
                    </Text>
                  </Table.Td>
                  <Table.Td>{p.template ? <Badge variant="outline">Built-in template</Badge> : <Badge variant="light">Plan</Badge>}</Table.Td>
                  <Table.Td ta="right">{p.version ?? '—'}</Table.Td>
                  <Table.Td>{p.currency}</Table.Td>
                  <Table.Td ta="right">{p.template ? '—' : assignments.isPending ? '…' : customersOf(p.id)}</Table.Td>
                  <Table.Td>{p.template ? <Text size="sm" c="dimmed">Copy only</Text> : p.locked ? <Badge color="blue">Locked</Badge> : <Badge color="violet">Unlocked</Badge>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}
