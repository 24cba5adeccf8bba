import { Button, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPencil } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { api, dataOf } from '../../api/apiClient';
import type { CustomerDetails } from '../../api/schemas';
import { fieldError, ProblemAlert } from '../../components/ProblemAlert';
import { notifyDone } from '../../components/notify';
import { Allowed } from '../../session/SessionProvider';

function Detail({ label, value, fallback }: { label: string; value: string | null; fallback: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      {value ? (
        <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
          {value}
        </Text>
      ) : (
        <Text size="sm" c="dimmed" fs="italic">
          {fallback}
        </Text>
      )}
    </div>
  );
}

/** The "Bill to" block of the customer's invoices and its time zone, edited by `configure`. */
export function BillingDetailsSection({ customer, defaultZone }: { customer: CustomerDetails; defaultZone: string | undefined }) {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <Detail label="Billing address" value={customer.billingAddress} fallback="None: invoices show only the name" />
        <Stack gap="sm">
          <Detail label="E-mail" value={customer.email} fallback="None" />
          <Detail label="Tax id" value={customer.taxId} fallback="None" />
          <Detail label="Customer reference" value={customer.customerReference} fallback="None" />
          <Detail label="Time zone" value={customer.timezone ?? (defaultZone ? `${defaultZone} (the default of the settings)` : null)} fallback="The default of the settings" />
        </Stack>
      </SimpleGrid>
      <Allowed permission="configure">
        <Group>
          <Button variant="light" leftSection={<IconPencil size={16} aria-hidden />} onClick={open}>
            Edit billing details
          </Button>
        </Group>
        <Modal opened={opened} onClose={close} title={`Billing details of ${customer.name}`} size="lg">
          {opened && <BillingDetailsForm customer={customer} onDone={close} />}
        </Modal>
      </Allowed>
    </Stack>
  );
}

const blankToNull = (v: string) => (v.trim() === '' ? null : v.trim());

function BillingDetailsForm({ customer, onDone }: { customer: CustomerDetails; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(customer.name);
  const [timezone, setTimezone] = useState<string | null>(customer.timezone);
  const [billingAddress, setBillingAddress] = useState(customer.billingAddress ?? '');
  const [email, setEmail] = useState(customer.email ?? '');
  const [taxId, setTaxId] = useState(customer.taxId ?? '');
  const [customerReference, setCustomerReference] = useState(customer.customerReference ?? '');
  const zones = useMemo(() => Intl.supportedValuesOf('timeZone'), []);
  const save = useMutation({
    mutationFn: () =>
      dataOf(
        api.PUT('/api/v1/customers/{id}', {
          params: { path: { id: customer.id }, query: {} },
          body: { name: name.trim(), timezone, billingAddress: blankToNull(billingAddress), email: blankToNull(email), taxId: blankToNull(taxId), customerReference: blankToNull(customerReference) },
        }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['customer', customer.id] });
      await queryClient.invalidateQueries({ queryKey: ['customers'] });
      notifyDone(`Billing details of ${name.trim()} saved; invoices not yet approved print them.`);
      onDone();
    },
  });
  const error = save.error;
  const known = ['name', 'timezone', 'billingAddress', 'email', 'taxId', 'customerReference'].some((f) => fieldError(error, f));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Billing details" noValidate>
      <Stack>
        {error && !known && <ProblemAlert error={error} title="The billing details were not saved" />}
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(error, 'name')} />
        <Select
          label="Time zone"
          description="Its days and months (and the plan in force on a day) are those of this zone; empty = the default of the settings."
          data={zones}
          searchable
          clearable
          value={timezone}
          onChange={setTimezone}
          error={fieldError(error, 'timezone')}
        />
        <Textarea label="Billing address" description="At most 8 lines" autosize minRows={3} maxRows={8} value={billingAddress} onChange={(e) => setBillingAddress(e.currentTarget.value)} error={fieldError(error, 'billingAddress')} />
        <TextInput label="E-mail" type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fieldError(error, 'email')} />
        <TextInput label="Tax id" value={taxId} onChange={(e) => setTaxId(e.currentTarget.value)} error={fieldError(error, 'taxId')} />
        <TextInput label="Customer reference" description="Their purchase order or reference, printed on invoices" value={customerReference} onChange={(e) => setCustomerReference(e.currentTarget.value)} error={fieldError(error, 'customerReference')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            Save billing details
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
