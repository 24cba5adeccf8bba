import { Group, Paper, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { MonthPickerInput } from '@mantine/dates';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import type { PeakPortsReport, UsageRow } from '../../api/schemas';
import { EmptyState } from '../../components/EmptyState';
import { LoadingBlock } from '../../components/LoadingBlock';
import { ProblemAlert } from '../../components/ProblemAlert';
import { CategoryDirectionChart } from './CategoryDirectionChart';
import { MinutesPoolChart } from './MinutesPoolChart';
import { PeakPortsChart } from './PeakPortsChart';
import { peakPortsQuery, usageQuery } from './reportQueries';
import { allCustomersQuery } from '../../api/allCustomersQuery';

/** The latest month with calls, else the latest month the report has. */
function defaultMonth(rows: UsageRow[]): string | undefined {
  const months = [...rows].sort((a, b) => b.month.localeCompare(a.month));
  return (months.find((r) => r.calls > 0) ?? months[0])?.month;
}

/**
 * A customer's usage in a month as charts: peak ports against the port pool (Concurrent calls),
 * minutes against the included pool (Included minutes), minutes by category and direction. The
 * choice lives in the address (?customer=…&month=…) so a chart can be linked.
 */
export function UsagePage() {
  const [params, setParams] = useSearchParams();
  const customerId = params.get('customer');
  const customers = useQuery(allCustomersQuery);
  const usage = useQuery({ ...usageQuery(customerId ?? ''), enabled: customerId !== null });
  const month = params.get('month') ?? (usage.data ? defaultMonth(usage.data) : undefined);
  const row = usage.data?.find((r) => r.month === month);
  const peak = useQuery({ ...peakPortsQuery(customerId ?? '', month ?? ''), enabled: customerId !== null && month !== undefined });
  const months = usage.data?.map((r) => r.month).sort() ?? [];

  const choose = (next: { customer?: string | null; month?: string | null }) => {
    const updated = new URLSearchParams(params);
    for (const [key, value] of Object.entries(next)) {
      if (value) updated.set(key, value);
      else updated.delete(key);
    }
    setParams(updated, { replace: true });
  };

  return (
    <Stack>
      <Group align="flex-end" wrap="wrap">
        <Select
          label="Customer"
          placeholder="Choose a customer"
          data={customers.data?.map((c) => ({ value: c.id, label: `${c.id} · ${c.name}` })) ?? []}
          value={customerId}
          onChange={(value) => choose({ customer: value, month: null })}
          searchable
          miw={320}
        />
        <MonthPickerInput
          label="Month"
          placeholder="Latest month with calls"
          valueFormat="YYYY-MM"
          value={month ? `${month}-01` : null}
          onChange={(value) => choose({ month: value ? value.slice(0, 7) : null })}
          minDate={months[0] ? `${months[0]}-01` : undefined}
          maxDate={months.at(-1) ? `${months.at(-1)}-01` : undefined}
          disabled={customerId === null}
          miw={160}
        />
      </Group>
      <ProblemAlert error={customers.error} title="The customers could not be read" />
      <ProblemAlert error={usage.error} title="The usage could not be read" />
      <ProblemAlert error={peak.error} title="The peak ports could not be read" />
      {customerId === null ? (
        <EmptyState title="Choose a customer">Choose a customer and a month to see its peak ports, its minutes against the included pool and its minutes by category and direction.</EmptyState>
      ) : usage.isPending || (month !== undefined && peak.isPending) ? (
        <LoadingBlock rows={10} height={32} />
      ) : usage.data && !row ? (
        <EmptyState title={month ? `No usage in ${month}` : 'No usage yet'}>
          {customerId} has no plan or no calls in that month. Choose another month{months.length > 0 ? ` (${months[0]} to ${months.at(-1)})` : ''}, or assign a plan on the customer page.
        </EmptyState>
      ) : row && peak.data ? (
        <UsageCharts row={row} peak={peak.data} />
      ) : null}
    </Stack>
  );
}

function UsageCharts({ row, peak }: { row: UsageRow; peak: PeakPortsReport }) {
  return (
    <Stack>
      <Text size="sm">
        {row.customerId}, {row.month}: {row.calls} calls, {row.billedMinutes} billed minutes.
      </Text>
      {row.ports !== null ? (
        <PeakPortsChart report={peak} />
      ) : (
        <Paper withBorder p="md">
          <EmptyState title="No port pool this month">
            The customer's plan in {row.month} has no port pool (it is not a Concurrent-calls plan), so there is no port overage: its peak was {row.peakPorts} ports. Port charts apply to customers on a plan with a port pool.
          </EmptyState>
        </Paper>
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        {row.poolMinutes !== null ? (
          <MinutesPoolChart usage={row} month={peak} />
        ) : (
          <Paper withBorder p="md">
            <EmptyState title="No included minutes this month">
              The customer's plan in {row.month} includes no minutes (it is not an Included-minutes plan); its {row.billedMinutes} minutes are billed at the call rates.
            </EmptyState>
          </Paper>
        )}
        {row.byCategoryDirection.length > 0 ? (
          <CategoryDirectionChart usage={row} />
        ) : (
          <Paper withBorder p="md">
            <EmptyState title="No billed minutes this month">No call of {row.customerId} was rated in {row.month}. Choose another month, or upload its call data on the Call data page.</EmptyState>
          </Paper>
        )}
      </SimpleGrid>
    </Stack>
  );
}

