import { Button, Group, MultiSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { DatePickerInput, type DatesRangeValue } from '@mantine/dates';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { InvoicePreview } from '../../api/schemas';
import { EmptyState } from '../../components/EmptyState';
import { formatDayRange } from '../../components/formatDates';
import { formatMoney } from '../../components/formatMoney';
import { LoadingBlock } from '../../components/LoadingBlock';
import { dayAfter } from '../../components/calendarDays';
import { ProblemAlert } from '../../components/ProblemAlert';
import { totalsByCurrency } from './previewTotals';
import { nonInvoicedQuery, type NonInvoicedRequest } from './reportQueries';
import { allCustomersQuery } from '../../api/allCustomersQuery';

/** What generating invoices now would make, per customer and currency, stored nowhere. */
export function NonInvoicedPage() {
  const customers = useQuery(allCustomersQuery);
  const [selected, setSelected] = useState<string[]>([]);
  const [range, setRange] = useState<DatesRangeValue<string>>([null, null]);
  const [request, setRequest] = useState<NonInvoicedRequest>({ customerIds: [] });
  const preview = useQuery(nonInvoicedQuery(request));
  const names = new Map(customers.data?.map((c) => [c.id, c.name]));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const [from, last] = range;
    setRequest({ customerIds: selected, from: from ?? undefined, to: last ? dayAfter(last) : undefined });
  };

  return (
    <Stack>
      <form onSubmit={submit} aria-label="Preview the next invoices">
        <Group align="flex-end" wrap="wrap">
          <MultiSelect
            label="Customers"
            placeholder={selected.length === 0 ? 'All customers' : undefined}
            data={customers.data?.map((c) => ({ value: c.id, label: `${c.id} · ${c.name}` })) ?? []}
            value={selected}
            onChange={setSelected}
            searchable
            clearable
            miw={320}
            maw={560}
            style={{ flex: 1 }}
          />
          <DatePickerInput
            type="range"
            label="Range (first and last day)"
            valueFormat="YYYY-MM-DD"
            value={range}
            onChange={setRange}
            allowSingleDateInRange
            clearable
            miw={260}
          />
          <Button type="submit" loading={preview.isFetching}>
            Preview next invoices
          </Button>
        </Group>
        <Text size="xs" c="dimmed" mt={4}>
          Without a range each customer starts where its last invoice ends (else the first of the month) and runs to today in its time zone.
        </Text>
      </form>
      <ProblemAlert error={customers.error} title="The customers could not be read" />
      <ProblemAlert error={preview.error} title="The preview could not be made" />
      {preview.isPending ? (
        <LoadingBlock rows={8} />
      ) : preview.data && preview.data.length === 0 ? (
        <EmptyState title="Nothing to invoice">
          No customer in the selection has billing data that no invoice holds. Choose other customers or another range, or upload call data on the Call data page.
        </EmptyState>
      ) : preview.data ? (
        <PreviewList previews={preview.data} names={names} />
      ) : null}
    </Stack>
  );
}

function PreviewList({ previews, names }: { previews: InvoicePreview[]; names: Map<string, string> }) {
  const totals = totalsByCurrency(previews);
  return (
    <Stack>
      <section aria-labelledby="preview-totals">
        <Title order={2} size="h4" id="preview-totals" mb="xs">
          Totals
        </Title>
        <Table.ScrollContainer minWidth={360}>
          <Table withTableBorder maw={520}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Currency</Table.Th>
                <Table.Th ta="right">Invoices</Table.Th>
                <Table.Th ta="right">Total</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {totals.map((t) => (
                <Table.Tr key={t.currency}>
                  <Table.Td>{t.currency}</Table.Td>
                  <Table.Td ta="right">{t.invoices}</Table.Td>
                  <Table.Td ta="right" data-testid={`preview-grand-total-${t.currency}`}>
                    {formatMoney(t.total, t.currency)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </section>
      {previews.map((p) => (
        <PreviewCard key={`${p.customerId} ${p.currency}`} preview={p} name={names.get(p.customerId)} />
      ))}
    </Stack>
  );
}

function PreviewCard({ preview, name }: { preview: InvoicePreview; name: string | undefined }) {
  const currency = preview.currency;
  const money = (amount: string | null) => (amount === null ? '—' : currency === null ? amount : formatMoney(amount, currency));
  const heading = `${preview.customerId}${name ? ` · ${name}` : ''}${currency ? ` · ${currency}` : ' · not invoiceable'}`;
  const headingId = `preview-${preview.customerId}-${currency ?? 'none'}`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId} data-customer={preview.customerId}>
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={3} size="h5" id={headingId}>
          {heading}
        </Title>
        <Text size="sm" c="dimmed">
          {formatDayRange(preview.from, preview.to)}
        </Text>
      </Group>
      {preview.lines.length === 0 ? (
        <Text size="sm" c="dimmed">
          No lines: nothing billable in this range.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Description</Table.Th>
                <Table.Th>Period</Table.Th>
                <Table.Th ta="right">Quantity</Table.Th>
                <Table.Th ta="right">Unit price</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.lines.map((line, i) => (
                <Table.Tr key={i}>
                  <Table.Td>
                    {line.description}
                    {line.late && (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        (late)
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{line.period}</Table.Td>
                  <Table.Td ta="right">
                    {line.quantity} {line.unit}
                  </Table.Td>
                  <Table.Td ta="right">{line.unitPrice !== undefined && currency ? formatMoney(line.unitPrice, currency, 'unit-price') : ''}</Table.Td>
                  <Table.Td ta="right">{money(line.amount)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th colSpan={4} ta="right">
                  Subtotal
                </Table.Th>
                <Table.Td ta="right">{money(preview.subtotal)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th colSpan={4} ta="right">
                  Tax
                </Table.Th>
                <Table.Td ta="right">{preview.tax === null ? 'none' : money(preview.tax)}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th colSpan={4} ta="right">
                  Total
                </Table.Th>
                <Table.Td ta="right" fw={700} data-testid="preview-total">
                  {money(preview.total)}
                </Table.Td>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
        </Table.ScrollContainer>
      )}
      {preview.notInvoiceable && preview.notInvoiceable.length > 0 && (
        <Text size="sm" mt="xs">
          Not invoiceable (no plan on their date): {preview.notInvoiceable.map((n) => `${n.date} ${n.name} ${n.amount}`).join('; ')}
        </Text>
      )}
    </Paper>
  );
}
