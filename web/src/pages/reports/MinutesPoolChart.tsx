import { LineChart } from '@mantine/charts';
import { Group, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { PeakPortsReport, UsageRow } from '../../api/schemas';
import { LoadingBlock } from '../../components/LoadingBlock';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ChartFigure } from './ChartFigure';
import { cumulativeMinutesByDay } from './minutesByDay';
import { monthCallsQuery } from './reportQueries';

/**
 * Billed minutes used through the month against the included pool. The usage report gives the
 * month's totals; the curve sums the customer's matched calls of the month day by day (the month's
 * bounds and time zone come from the peak-ports report, which gives them for every customer).
 */
export function MinutesPoolChart({ usage, month }: { usage: UsageRow; month: PeakPortsReport }) {
  const pool = usage.poolMinutes ?? 0;
  const calls = useQuery(monthCallsQuery(usage.customerId, month.from, month.to));
  const label = `Billed minutes of ${usage.customerId} through ${usage.month} against an included pool of ${pool} minutes: ${usage.billedMinutes} minutes billed, ${usage.poolUsedMinutes ?? 0} of the pool used, ${usage.overageMinutes ?? 0} minutes over the pool.`;
  return (
    <ChartFigure
      id="minutes-pool-chart"
      title="Minutes used against the included pool"
      label={label}
      summary={
        <Group gap="lg" wrap="wrap">
          <Text size="sm">
            Pool: <strong data-testid="pool-minutes">{pool}</strong> minutes
          </Text>
          <Text size="sm">
            Billed: <strong data-testid="billed-minutes">{usage.billedMinutes}</strong> minutes
          </Text>
          <Text size="sm">
            Used from the pool: <strong>{usage.poolUsedMinutes ?? 0}</strong>
          </Text>
          <Text size="sm">
            Over the pool: <strong data-testid="overage-minutes">{usage.overageMinutes ?? 0}</strong> minutes
          </Text>
          <Text size="sm" c="dimmed">
            Days in {month.timeZone}
          </Text>
        </Group>
      }
    >
      {calls.isPending ? (
        <LoadingBlock rows={8} />
      ) : calls.error ? (
        <ProblemAlert error={calls.error} title="The month's calls could not be read" />
      ) : (
        <LineChart
          h="100%"
          data={cumulativeMinutesByDay(calls.data, usage.month, month.timeZone).map((d) => ({ ...d, day: d.day.slice(8), pool }))}
          dataKey="day"
          series={[
            { name: 'used', label: 'Minutes used (cumulative)', color: 'blue.8' },
            { name: 'pool', label: 'Included pool', color: 'red.8', strokeDasharray: '6 3' },
          ]}
          curveType="linear"
          withDots={false}
          withLegend
          xAxisLabel={`Day of ${usage.month}`}
          lineChartProps={{ accessibilityLayer: false }}
          yAxisProps={{ width: 60 }}
        />
      )}
    </ChartFigure>
  );
}
