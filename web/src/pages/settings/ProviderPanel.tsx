import { Button, Card, Group, NumberInput, SimpleGrid, Stack, Switch, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf } from '../../api/apiClient';
import type { ProviderSettings } from '../../api/schemas';
import { LoadingBlock } from '../../components/LoadingBlock';
import { notifyDone } from '../../components/notify';
import { fieldError, ProblemAlert } from '../../components/ProblemAlert';
import { Allowed } from '../../session/SessionProvider';

const settingsKey = ['settings'] as const;

/** The provider's details and settings in force; a role with `configure` edits them. */
export function ProviderPanel() {
  const settings = useQuery({ queryKey: settingsKey, queryFn: () => dataOf(api.GET('/api/v1/settings')) });
  const [editing, setEditing] = useState(false);
  if (settings.isPending) return <LoadingBlock rows={8} />;
  if (settings.isError) return <ProblemAlert error={settings.error} />;
  if (editing) return <ProviderEditForm settings={settings.data} onDone={() => setEditing(false)} />;
  const s = settings.data;
  const p = s.provider;
  return (
    <Card withBorder padding="md">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          Provider details
        </Title>
        <Allowed permission="configure">
          <Button variant="light" onClick={() => setEditing(true)}>
            Edit provider settings
          </Button>
        </Allowed>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg" verticalSpacing="md">
        <Detail label="Name" value={p?.name} hint="Not configured: invoices print no issuer until it is." />
        <Detail label="Address" value={p?.address} />
        <Detail label="Billing e-mail" value={p?.email} />
        <Detail label="Tax id" value={p?.taxId} />
        <Detail label="Payment details" value={p?.paymentDetails} />
        <Detail label="Tax rate" value={`${s.taxRatePercent} %`} testId="tax-rate" />
        <Detail label="Default time zone" value={s.timezone} />
        <Detail label="Settlement delay" value={`${s.settlementDelayMinutes} minutes after a month ends`} />
        <Detail label="Available services" value={s.limitAvailableServicesToBillableServices ? 'Limited to the services a plan bills' : 'Every service'} />
        <Detail label="Logo" value={p?.logo ? `${p.logo.mediaType} (set with confbill apply)` : undefined} hint="None (set one with confbill apply)." />
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt="md">
        Currencies are those of the price plans; each invoice is in its plan’s currency.
      </Text>
    </Card>
  );
}

function Detail({ label, value, hint, testId }: { label: string; value: string | undefined; hint?: string; testId?: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-line' }} data-testid={testId}>
        {value ?? hint ?? '—'}
      </Text>
    </Stack>
  );
}

const decimal = /^\d{1,3}(\.\d{1,6})?$/;

function ProviderEditForm({ settings, onDone }: { settings: ProviderSettings; onDone: () => void }) {
  const queryClient = useQueryClient();
  const p = settings.provider;
  const [name, setName] = useState(p?.name ?? '');
  const [address, setAddress] = useState(p?.address ?? '');
  const [email, setEmail] = useState(p?.email ?? '');
  const [taxId, setTaxId] = useState(p?.taxId ?? '');
  const [paymentDetails, setPaymentDetails] = useState(p?.paymentDetails ?? '');
  const [taxRate, setTaxRate] = useState(settings.taxRatePercent);
  const [timezone, setTimezone] = useState(settings.timezone);
  const [delay, setDelay] = useState<number | string>(settings.settlementDelayMinutes);
  const [limitServices, setLimitServices] = useState(settings.limitAvailableServicesToBillableServices);

  const save = useMutation({
    mutationFn: () =>
      dataOf(
        api.PUT('/api/v1/settings', {
          body: {
            timezone,
            settlementDelayMinutes: Number(delay),
            limitAvailableServicesToBillableServices: limitServices,
            taxRatePercent: taxRate,
            // A provider block given is the whole block; empty optional fields are left out (the API refuses empty text).
            ...(providerGiven ? { provider: { name, address, ...(email ? { email } : {}), ...(taxId ? { taxId } : {}), ...(paymentDetails ? { paymentDetails } : {}) } } : {}),
          },
        }),
      ),
    onSuccess: async (change) => {
      await queryClient.invalidateQueries({ queryKey: settingsKey });
      const fields = change.changes.flatMap((c) => c.fields.map((f) => f.field));
      notifyDone(fields.length ? `Settings saved: ${fields.join(', ')} changed.` : 'Nothing changed.');
      onDone();
    },
  });

  // The provider block is optional, but once any of it is given the API needs its name and address.
  const providerGiven = [name, address, email, taxId, paymentDetails].some((v) => v.trim() !== '');
  const nameMissing = providerGiven && !name.trim();
  const addressMissing = providerGiven && !address.trim();
  const taxRateProblem = decimal.test(taxRate) && Number(taxRate) <= 100 ? undefined : 'A percentage from 0 to 100, e.g. 25 or 12.5';
  const err = (field: string) => fieldError(save.error, field);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!taxRateProblem && !nameMissing && !addressMissing) save.mutate();
  };

  return (
    <Card withBorder padding="md" component="form" onSubmit={submit} aria-label="Edit provider settings">
      <Title order={2} size="h4" mb="sm">
        Edit provider settings
      </Title>
      <Stack>
        <ProblemAlert error={save.error} title="The settings were not saved" />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Name" required={providerGiven} value={name} onChange={(e) => setName(e.currentTarget.value)} error={nameMissing ? 'The name invoices print as the issuer' : err('name')} />
          <TextInput label="Billing e-mail" type="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={err('email')} />
          <Textarea label="Address" required={providerGiven} autosize minRows={3} value={address} onChange={(e) => setAddress(e.currentTarget.value)} error={addressMissing ? 'The address invoices print' : err('address')} />
          <Textarea label="Payment details" autosize minRows={3} value={paymentDetails} onChange={(e) => setPaymentDetails(e.currentTarget.value)} error={err('paymentDetails')} />
          <TextInput label="Tax id" value={taxId} onChange={(e) => setTaxId(e.currentTarget.value)} error={err('taxId')} />
          <TextInput label="Tax rate (%)" inputMode="decimal" value={taxRate} onChange={(e) => setTaxRate(e.currentTarget.value.trim())} error={taxRateProblem ?? err('taxRatePercent')} />
          <TextInput label="Default time zone" description="IANA name, e.g. Europe/Oslo" value={timezone} onChange={(e) => setTimezone(e.currentTarget.value.trim())} error={err('timezone')} />
          <NumberInput
            label="Settlement delay (minutes)"
            description="How long after a month ends its invoices wait for late call data"
            min={0}
            max={43200}
            allowDecimal={false}
            value={delay}
            onChange={setDelay}
            error={err('settlementDelayMinutes')}
          />
        </SimpleGrid>
        <Switch label="Limit the services available to a customer to those its plan bills" checked={limitServices} onChange={(e) => setLimitServices(e.currentTarget.checked)} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={taxRateProblem !== undefined || nameMissing || addressMissing}>
            Save settings
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
