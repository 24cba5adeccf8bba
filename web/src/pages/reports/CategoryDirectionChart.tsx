import { BarChart } from '@mantine/charts';
import { Table } from '@mantine/core';
import type { UsageRow } from '../../api/schemas';
import { ChartFigure } from './ChartFigure';

const directions = ['inbound', 'outbound'] as const;

/** Billed minutes by call category, stacked by direction, with the same numbers in a table. */
export function CategoryDirectionChart({ usage }: { usage: UsageRow }) {
  const byCategory = new Map<string, Record<string, number>>();
  for (const r of usage.byCategoryDirection) byCategory.set(r.category, { ...(byCategory.get(r.category) ?? {}), [r.direction]: r.billedMinutes });
  const otherDirections = [...new Set(usage.byCategoryDirection.map((r) => r.direction))].filter((d) => !(directions as readonly string[]).includes(d));
  const allDirections = [...directions, ...otherDirections];
  const data = [...byCategory].map(([category, minutes]) => ({ category, ...Object.fromEntries(allDirections.map((d) => [d, minutes[d] ?? 0])) }));
  const total = (m: Record<string, number>) => Object.values(m).reduce((s, v) => s + v, 0);
  data.sort((a, b) => total(byCategory.get(b.category)!) - total(byCategory.get(a.category)!));
  const colors = ['blue.8', 'orange.8', 'grape.8', 'teal.8'];
  const label = `Billed minutes of ${usage.customerId} in ${usage.month} by category and direction: ${data.map((d) => `${d.category} ${allDirections.map((dir) => `${(d as Record<string, number | string>)[dir]} ${dir}`).join(', ')}`).join('; ')}.`;
  return (
    <ChartFigure
      id="category-direction-chart"
      title="Minutes by call category and direction"
      label={label}
      summary={
        <Table.ScrollContainer minWidth={360}>
          <Table withTableBorder fz="sm" maw={560}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Category</Table.Th>
                {allDirections.map((d) => (
                  <Table.Th key={d} ta="right">
                    {d} (min)
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.map((d) => (
                <Table.Tr key={d.category}>
                  <Table.Td>{d.category}</Table.Td>
                  {allDirections.map((dir) => (
                    <Table.Td key={dir} ta="right">
                      {(d as Record<string, number | string>)[dir]}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      }
    >
      <BarChart
        h="100%"
        data={data}
        dataKey="category"
        type="stacked"
        series={allDirections.map((d, i) => ({ name: d, label: d, color: colors[i % colors.length]! }))}
        withLegend
        barChartProps={{ accessibilityLayer: false }}
        yAxisProps={{ width: 60 }}
      />
    </ChartFigure>
  );
}
