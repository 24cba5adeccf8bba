import { Group, Select, Text } from '@mantine/core';
import { useState } from 'react';
import { Area, CartesianGrid, ComposedChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { PeakPortsReport } from '../../api/schemas';
import { formatInstant } from '../../components/formatDates';
import { ChartFigure } from './ChartFigure';
import { daysOfMonth } from './minutesByDay';
import { minutesAbovePool, overagePortMinutes, peakDays, peakPortsRows, rowsBetween } from './peakPortsSeries';

const dayTick = (timeZone: string) => {
  const format = new Intl.DateTimeFormat(undefined, { timeZone, month: 'short', day: 'numeric' });
  return (t: number) => format.format(new Date(t));
};

const hourTick = (timeZone: string) => {
  const format = new Intl.DateTimeFormat(undefined, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (t: number) => format.format(new Date(t));
};

/** A tick every three hours of a day. */
function hourlyTicks(from: number, to: number): number[] {
  const ticks: number[] = [];
  for (let t = from; t < to; t += 3 * 3_600_000) ticks.push(t);
  return ticks;
}

/** One tick a week from the month's first instant (the customer's local midnight). */
function weeklyTicks(from: string, to: string): number[] {
  const ticks: number[] = [];
  for (let t = Date.parse(from); t < Date.parse(to); t += 7 * 86_400_000) ticks.push(t);
  return ticks;
}

/**
 * Peak ports per minute against the port pool: the step series of the report, the pool as a line,
 * and the part above the pool shaded (the port overage).
 */
export function PeakPortsChart({ report }: { report: PeakPortsReport }) {
  const [zoom, setZoom] = useState<string | null>(null);
  const pool = report.ports ?? 0;
  const allRows = peakPortsRows(report);
  const days = peakDays(report, daysOfMonth(report.month));
  const dayShown = days.find((d) => d.day === zoom);
  const rows = dayShown ? rowsBetween(allRows, dayShown.from, dayShown.to) : allRows;
  const domain: [number, number] = dayShown ? [dayShown.from, dayShown.to] : [Date.parse(report.from), Date.parse(report.to)];
  const ticks = dayShown ? hourlyTicks(dayShown.from, dayShown.to) : weeklyTicks(report.from, report.to);
  const overage = overagePortMinutes(report);
  const above = minutesAbovePool(report);
  const tick = dayShown ? hourTick(report.timeZone) : dayTick(report.timeZone);
  const label = `Peak ports per minute of ${report.customerId} in ${report.month} (${report.timeZone}): peak ${report.peak} ports against a pool of ${pool}; ${above} minutes above the pool, ${overage} port-minutes of overage.`;
  return (
    <ChartFigure
      id="peak-ports-chart"
      title="Peak ports per minute against the port pool"
      label={label}
      controls={
        <Select
          label="Zoom to"
          size="xs"
          value={zoom ?? 'month'}
          onChange={(value) => setZoom(value === 'month' ? null : value)}
          data={[
            { value: 'month', label: 'The whole month' },
            ...days.map((d) => ({ value: d.day, label: `${d.day}: peak ${d.peak}${d.peak > pool ? ' (over the pool)' : ''}` })),
          ]}
          allowDeselect={false}
          w={240}
        />
      }
      summary={
        <Group gap="lg" wrap="wrap">
          <Text size="sm">
            Peak: <strong data-testid="peak-ports">{report.peak}</strong> ports
          </Text>
          <Text size="sm">
            Pool: <strong data-testid="port-pool">{pool}</strong> ports
          </Text>
          <Text size="sm">
            Overage: <strong data-testid="overage-port-minutes">{overage}</strong> port-minutes ({above} minutes above the pool)
          </Text>
          <Text size="sm" c="dimmed">
            Days in {report.timeZone}
          </Text>
        </Group>
      }
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={{ top: 10, right: 24, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="t" type="number" scale="time" domain={domain} ticks={ticks} tickFormatter={tick} fontSize={12} />
          <YAxis allowDecimals={false} width={40} fontSize={12} domain={[0, (max: number) => Math.max(max, pool + 1)]} />
          <Tooltip
            labelFormatter={(t) => `${formatInstant(new Date(Number(t)).toISOString(), report.timeZone)} ${report.timeZone}`}
            formatter={(value, name) => (name === 'overage' ? [Array.isArray(value) ? Number(value[1]) - Number(value[0]) : value, 'Ports above the pool'] : [value, 'Peak ports'])}
          />
          <Area type="stepAfter" dataKey="ports" name="ports" stroke="var(--mantine-color-blue-8)" fill="var(--mantine-color-blue-2)" fillOpacity={0.6} isAnimationActive={false} dot={false} />
          <Area type="stepAfter" dataKey="overage" name="overage" stroke="none" fill="var(--mantine-color-red-7)" fillOpacity={0.7} isAnimationActive={false} dot={false} activeDot={false} />
          <ReferenceLine y={pool} stroke="var(--mantine-color-dark-6)" strokeDasharray="6 3" label={{ value: `Pool ${pool}`, position: 'insideTopRight', fontSize: 12 }} />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFigure>
  );
}
