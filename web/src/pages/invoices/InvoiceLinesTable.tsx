import { ActionIcon, Badge, Group, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import type { Invoice, InvoiceLine } from '../../api/schemas';
import { formatDay } from '../../components/formatDates';
import { formatMoney } from '../../components/formatMoney';
import { decimalSum } from '../../components/exactDecimal';

const unitNames: Record<InvoiceLine['unit'], string> = {
  minute: 'min',
  day: 'days',
  'entity-day': 'entity-days',
  'port-minute': 'port-min',
  unit: '',
  percent: '%',
};

function periodText(period: string): string {
  if (/^\d{4}-\d{2}$/.test(period)) return new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', month: 'short', year: 'numeric' }).format(new Date(`${period}-01T00:00:00Z`));
  return formatDay(period);
}

/**
 * The lines of an invoice as the JSON has them (tax apart, under the subtotal), with what marks a line:
 * late (items dated before the range), adjustment (an overage settled again), manual (added by hand).
 * Manual lines of a draft can be removed when `onRemove` is given.
 */
export function InvoiceLinesTable({ invoice, onRemove, removing }: { invoice: Invoice; onRemove?: (position: number, line: InvoiceLine) => void; removing?: boolean }) {
  const numbered = invoice.lines.map((line, i) => ({ line, position: i + 1 }));
  const charges = numbered.filter(({ line }) => line.kind !== 'tax');
  const taxes = numbered.filter(({ line }) => line.kind === 'tax');
  const subtotal = decimalSum(charges.map(({ line }) => line.amount));
  const money = (amount: string) => formatMoney(amount, invoice.currency);
  const hasLate = charges.some(({ line }) => line.late);
  const hasAdjustment = charges.some(({ line }) => line.kind === 'adjustment');

  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={820}>
        <Table aria-label="Invoice lines" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Description</Table.Th>
              <Table.Th>Period</Table.Th>
              <Table.Th ta="right">Quantity</Table.Th>
              <Table.Th ta="right">Unit price</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              {onRemove && <Table.Th w={48}><VisuallyHidden>Remove</VisuallyHidden></Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {charges.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={onRemove ? 6 : 5}>
                  <Text size="sm" c="dimmed">
                    No lines: add a manual line, or delete this draft.
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            {charges.map(({ line, position }) => (
              <Table.Tr key={position}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm">{line.description}</Text>
                    {line.late && (
                      <Badge size="xs" color="orange.9" variant="filled">
                        Late
                      </Badge>
                    )}
                    {line.kind === 'adjustment' && (
                      <Badge size="xs" color="grape.9" variant="filled">
                        Adjustment
                      </Badge>
                    )}
                    {line.kind === 'manual' && (
                      <Badge size="xs" color="blue.9" variant="filled">
                        Manual
                      </Badge>
                    )}
                  </Group>
                  {line.calls !== undefined && (
                    <Text size="xs" c="dimmed">
                      {line.calls} call{line.calls === 1 ? '' : 's'}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{periodText(line.period)}</Table.Td>
                <Table.Td ta="right">
                  {line.quantity} {unitNames[line.unit]}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {line.unitPrice === undefined ? '—' : formatMoney(line.unitPrice, invoice.currency, 'unit-price')}
                </Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {money(line.amount)}
                </Table.Td>
                {onRemove && (
                  <Table.Td>
                    {line.kind === 'manual' && (
                      <Tooltip label="Remove this manual line">
                        <ActionIcon variant="subtle" color="red.9" aria-label={`Remove the line ${line.description}`} loading={removing} onClick={() => onRemove(position, line)}>
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th colSpan={4} ta="right">
                Subtotal
              </Table.Th>
              <Table.Td ta="right" ff="monospace" data-testid="invoice-subtotal">
                {money(subtotal)}
              </Table.Td>
              {onRemove && <Table.Td />}
            </Table.Tr>
            {taxes.map(({ line, position }) => (
              <Table.Tr key={position}>
                <Table.Th colSpan={4} ta="right" fw={400}>
                  {line.description}
                </Table.Th>
                <Table.Td ta="right" ff="monospace" data-testid="invoice-tax">
                  {money(line.amount)}
                </Table.Td>
                {onRemove && <Table.Td />}
              </Table.Tr>
            ))}
            {taxes.length === 0 && (
              <Table.Tr>
                <Table.Th colSpan={4} ta="right" fw={400}>
                  Tax
                </Table.Th>
                <Table.Td ta="right" ff="monospace" data-testid="invoice-tax">
                  {money('0')}
                </Table.Td>
                {onRemove && <Table.Td />}
              </Table.Tr>
            )}
            <Table.Tr>
              <Table.Th colSpan={4} ta="right">
                Total
              </Table.Th>
              <Table.Td ta="right" ff="monospace" fw={700} data-testid="invoice-total">
                {money(invoice.total)}
              </Table.Td>
              {onRemove && <Table.Td />}
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </Table.ScrollContainer>
      {(hasLate || hasAdjustment) && (
        <Text size="xs" c="dimmed">
          {hasLate && 'Late: the line holds only items dated before this invoice’s range that no earlier invoice billed. '}
          {hasAdjustment && 'Adjustment: an overage of an earlier month settled again with what arrived after its invoice.'}
        </Text>
      )}
    </Stack>
  );
}
