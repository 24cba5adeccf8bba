import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataWithEtag, ifMatch } from '../../api/apiClient';
import type { Invoice } from '../../api/schemas';
import { formatMoney } from '../../components/formatMoney';
import { notifyDone } from '../../components/notify';
import { ProblemAlert, fieldError } from '../../components/ProblemAlert';
import { decimalPattern } from '../../components/exactDecimal';

function decimalError(value: string, what: string): string | undefined {
  if (value.trim() === '') return `Give the ${what}`;
  if (!decimalPattern.test(value.trim())) return `Write the ${what} as a number with a dot for decimals, like 12.50`;
  return undefined;
}

/** Adds a manual line to a draft (a negative unit price gives a credit); checked as it is typed. */
export function ManualLineForm({ invoice, etag }: { invoice: Invoice; etag: string | undefined }) {
  const queryClient = useQueryClient();
  const [description, setDescription] = useState('');
  const [quantity, setQuantity] = useState('1');
  const [unitPrice, setUnitPrice] = useState('');
  const [touched, setTouched] = useState<Record<string, boolean>>({});

  const add = useMutation({
    mutationFn: () =>
      dataWithEtag(
        api.POST('/api/v1/invoices/{invoice}/lines', {
          params: { path: { invoice: invoice.id }, header: ifMatch(etag) },
          body: { description: description.trim(), quantity: quantity.trim(), unitPrice: unitPrice.trim() },
        }),
      ),
    onSuccess: (answer) => {
      queryClient.setQueryData(['invoice', invoice.id], answer);
      void queryClient.invalidateQueries({ queryKey: ['invoices'] });
      notifyDone(`Line "${description.trim()}" added`);
      setDescription('');
      setQuantity('1');
      setUnitPrice('');
      setTouched({});
      add.reset();
    },
  });

  const errors = {
    description: description.trim() === '' ? 'Give the text of the line' : description.length > 500 ? 'At most 500 characters' : fieldError(add.error, 'description'),
    quantity: decimalError(quantity, 'quantity') ?? fieldError(add.error, 'quantity'),
    unitPrice: decimalError(unitPrice, 'unit price') ?? fieldError(add.error, 'unitPrice'),
  };
  const shown = (field: keyof typeof errors) => (touched[field] ? errors[field] : undefined);
  const valid = !errors.description && !errors.quantity && !errors.unitPrice;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched({ description: true, quantity: true, unitPrice: true });
    if (valid) add.mutate();
  };

  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} noValidate aria-labelledby="manual-line-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="manual-line-title">
          Add a manual line
        </Title>
        <TextInput
          label="Description"
          value={description}
          onChange={(e) => {
            setDescription(e.currentTarget.value);
            setTouched((t) => ({ ...t, description: true }));
          }}
          error={shown('description')}
          required
        />
        <Group grow align="flex-start">
          <TextInput
            label="Quantity"
            inputMode="decimal"
            value={quantity}
            onChange={(e) => {
              setQuantity(e.currentTarget.value);
              setTouched((t) => ({ ...t, quantity: true }));
            }}
            error={shown('quantity')}
            required
          />
          <TextInput
            label={`Unit price (${invoice.currency})`}
            description="Negative for a credit"
            inputMode="decimal"
            value={unitPrice}
            onChange={(e) => {
              setUnitPrice(e.currentTarget.value);
              setTouched((t) => ({ ...t, unitPrice: true }));
            }}
            error={shown('unitPrice')}
            required
          />
        </Group>
        <ProblemAlert error={add.error} title="The line was not added" />
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {valid ? `${quantity.trim()} × ${formatMoney(unitPrice.trim(), invoice.currency, 'unit-price')}, tax added as the settings say` : 'The amount is rounded to the currency’s minor unit.'}
          </Text>
          <Button type="submit" loading={add.isPending}>
            Add line
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
