import { Code, Table, Text } from '@mantine/core';
import { EmptyState } from '../../components/EmptyState';
import { LoadingBlock } from '../../components/LoadingBlock';
import { ProblemAlert } from '../../components/ProblemAlert';
import { browserTimeZone, formatInstant } from '../../components/formatDates';
import { usePlanHistory } from './planQueries';

function HistoryValue({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <Text span c="dimmed" size="sm">(none)</Text>;
  return <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{typeof value === 'string' ? value : JSON.stringify(value)}</Code>;
}

/** Who changed which field of the plan, when, from what to what; newest first. */
export function PlanHistory({ planId }: { planId: string }) {
  const history = usePlanHistory(planId);
  if (history.isPending) return <LoadingBlock rows={4} />;
  if (history.error) return <ProblemAlert error={history.error} title="The history could not be read" />;
  if (history.data.length === 0) return <EmptyState title="No changes yet">Changes appear here once the plan is unlocked and its draft saved.</EmptyState>;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped aria-label="Plan history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When ({browserTimeZone})</Table.Th>
            <Table.Th>User</Table.Th>
            <Table.Th>Field</Table.Th>
            <Table.Th>Old value</Table.Th>
            <Table.Th>New value</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...history.data].reverse().map((entry, i) => (
            <Table.Tr key={i}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatInstant(entry.changedAt, browserTimeZone)}</Table.Td>
              <Table.Td>{entry.user}</Table.Td>
              <Table.Td>
                <code>{entry.field}</code>
              </Table.Td>
              <Table.Td>
                <HistoryValue value={entry.oldValue} />
              </Table.Td>
              <Table.Td>
                <HistoryValue value={entry.newValue} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
