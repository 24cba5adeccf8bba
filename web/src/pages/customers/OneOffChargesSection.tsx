import { Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf } from '../../api/apiClient';
import type { CustomerCustomElement, CustomerDetails, PlanSummary } from '../../api/schemas';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState } from '../../components/EmptyState';
import { formatDay } from '../../components/formatDates';
import { formatMoney } from '../../components/formatMoney';
import { LoadingBlock } from '../../components/LoadingBlock';
import { fieldError, ProblemAlert } from '../../components/ProblemAlert';
import { notifyDone, notifyFailed } from '../../components/notify';
import { Allowed, useSession } from '../../session/SessionProvider';
import { currencyOn } from './customerCurrency';
import { customerChargesQuery, customerKeys } from './customerQueries';
import { decimalProduct } from '../../components/exactDecimal';

const money = (amount: string, currency: string | undefined, kind: 'amount' | 'unit-price' = 'amount') => (currency ? formatMoney(amount, currency, kind) : amount);

/** One-off charges (credits when negative), billed on their date under the plan in force then, in its currency. */
export function OneOffChargesSection({ customer, plans }: { customer: CustomerDetails; plans: Map<string, PlanSummary> | undefined }) {
  const { can } = useSession();
  const queryClient = useQueryClient();
  const charges = useQuery(customerChargesQuery(customer.id));
  const remove = useMutation({
    mutationFn: (charge: CustomerCustomElement) => dataOf(api.DELETE('/api/v1/customers/{id}/custom-elements/{itemId}', { params: { path: { id: customer.id, itemId: charge.id } } })),
    onSuccess: async (removed) => {
      await queryClient.invalidateQueries({ queryKey: customerKeys.charges(customer.id) });
      notifyDone(`One-off charge ${removed.name} removed.`);
    },
    onError: (error) => notifyFailed(error, 'The one-off charge was not removed'),
  });
  const items = [...(charges.data?.items ?? [])].sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
  return (
    <Stack gap="sm">
      {charges.isPending ? (
        <LoadingBlock rows={2} />
      ) : charges.isError ? (
        <ProblemAlert error={charges.error} title="The one-off charges could not be read" />
      ) : items.length === 0 ? (
        <EmptyState title="No one-off charges">
          {can('configure') ? 'Add one below (a setup fee, a workshop, or a credit with a negative amount): it is billed on the invoice of the month of its date.' : 'Setup fees, workshops and credits of this customer appear here.'}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label="One-off charges" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Date</Table.Th>
                <Table.Th>Description</Table.Th>
                <Table.Th ta="right">Unit price</Table.Th>
                <Table.Th ta="right">Quantity</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
                {can('configure') && <Table.Th>Remove</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((c) => {
                const currency = currencyOn(customer, plans, c.date);
                return (
                  <Table.Tr key={c.id}>
                    <Table.Td>{formatDay(c.date)}</Table.Td>
                    <Table.Td>{c.name}</Table.Td>
                    <Table.Td ta="right">{money(c.unitPrice, currency, 'unit-price')}</Table.Td>
                    <Table.Td ta="right">{c.quantity}</Table.Td>
                    <Table.Td ta="right" fw={600}>
                      {money(decimalProduct(c.unitPrice, c.quantity), currency)}
                    </Table.Td>
                    {can('configure') && (
                      <Table.Td>
                        <ConfirmButton
                          label="Remove"
                          aria-label={`Remove one-off charge ${c.name} of ${c.date}`}
                          size="xs"
                          variant="subtle"
                          color="red"
                          title={`Remove "${c.name}"?`}
                          message={`The charge of ${money(decimalProduct(c.unitPrice, c.quantity), currency)} on ${formatDay(c.date)} is removed and will not be billed. The API refuses it once an invoice bills it.`}
                          confirmLabel="Remove charge"
                          loading={remove.isPending}
                          onConfirm={() => remove.mutateAsync(c).catch(() => undefined)}
                        />
                      </Table.Td>
                    )}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Allowed permission="configure">
        <AddChargeForm customer={customer} plans={plans} takenIds={new Set(items.map((c) => c.id))} />
      </Allowed>
    </Stack>
  );
}

/** An id for the charge from its description and date (the API names charges by a slug): "workshop-2026-11-05". */
function chargeId(name: string, date: string, taken: Set<string>): string {
  const base = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'charge'}-${date}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

function AddChargeForm({ customer, plans, takenIds }: { customer: CustomerDetails; plans: Map<string, PlanSummary> | undefined; takenIds: Set<string> }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [unitPrice, setUnitPrice] = useState('');
  const [quantity, setQuantity] = useState('1');
  const [date, setDate] = useState<string | null>(null);
  const currency = currencyOn(customer, plans, date ?? undefined);
  const add = useMutation({
    mutationFn: () => {
      if (!date) throw new Error('Give the date the charge is billed on.');
      const id = chargeId(name, date, takenIds);
      return dataOf(api.PUT('/api/v1/customers/{id}/custom-elements/{itemId}', { params: { path: { id: customer.id, itemId: id }, query: {} }, body: { name: name.trim(), unitPrice: unitPrice.trim(), quantity: quantity.trim(), date } }));
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: customerKeys.charges(customer.id) });
      notifyDone(`One-off charge ${name.trim()} added.`);
      setName('');
      setUnitPrice('');
      setQuantity('1');
    },
  });
  const error = add.error;
  const named = ['name', 'unitPrice', 'quantity', 'date'].some((f) => fieldError(error, f));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Add a one-off charge">
      <Stack gap="xs">
        <Text fw={600} size="sm">
          Add a one-off charge
        </Text>
        {error && !named && <ProblemAlert error={error} title="The one-off charge was not added" />}
        <Group align="flex-start" gap="sm" wrap="wrap">
          <TextInput label="Description" description="As printed on the invoice" required value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(error, 'name')} style={{ flex: 1 }} miw={220} />
          <TextInput
            label={`Amount${currency ? ` (${currency})` : ''}`}
            description="A unit price such as 120.00; negative = credit"
            required
            inputMode="decimal"
            value={unitPrice}
            onChange={(e) => setUnitPrice(e.currentTarget.value)}
            error={fieldError(error, 'unitPrice')}
            w={200}
          />
          <TextInput label="Quantity" description="1 or more" required inputMode="decimal" value={quantity} onChange={(e) => setQuantity(e.currentTarget.value)} error={fieldError(error, 'quantity')} w={110} />
          <DateInput label="Date" description="Billed in this month" required valueFormat="YYYY-MM-DD" value={date} onChange={setDate} error={fieldError(error, 'date')} w={160} />
        </Group>
        <Group>
          <Button type="submit" leftSection={<IconPlus size={16} aria-hidden />} loading={add.isPending}>
            Add one-off charge
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
