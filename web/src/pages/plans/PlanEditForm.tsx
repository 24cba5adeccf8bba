import { ActionIcon, Alert, Button, Checkbox, Fieldset, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, dataWithEtag, ifMatch } from '../../api/apiClient';
import { ProblemError } from '../../api/ProblemError';
import type { Plan, PlanDefinition } from '../../api/schemas';
import { ProblemAlert } from '../../components/ProblemAlert';
import { notifyDone } from '../../components/notify';
import { planKeys } from './planQueries';
import { callCategoryOptions, callDirectionOptions, definitionOf, formErrors, formValuesOf, planChanges, type PlanFormValues, type ServiceOffer } from './planFormValues';

const offerOptions: { value: ServiceOffer; label: string }[] = [
  { value: 'priced', label: 'Priced (monthly per unit)' },
  { value: 'free', label: 'Free (available, price 0)' },
  { value: 'not-available', label: 'Not available (-1)' },
];

const wildcardLabel = (value: string) => (value === '*' ? '* (any)' : value);

/**
 * The edit form of an unlocked plan's draft: every component, checked as the operator types, saved as
 * the smallest `plan set` edits (so the history names each value) on the version the page read
 * (If-Match; a 412 means someone else changed the draft meanwhile).
 */
export function PlanEditForm({ plan, draft, etag }: { plan: Plan; draft: PlanDefinition; etag: string | undefined }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<PlanFormValues>(() => formValuesOf(draft));
  const errors = useMemo(() => formErrors(values), [values]);
  const changes = useMemo(() => planChanges(definitionOf(formValuesOf(draft)), definitionOf(values)), [draft, values]);
  const invalid = Object.keys(errors).length > 0;

  const save = useMutation({
    mutationFn: () =>
      dataWithEtag(api.PATCH('/api/v1/plans/{id}', { params: { path: { id: plan.id }, header: ifMatch(etag) }, body: { changes: changes as never } })),
    onSuccess: (saved) => {
      queryClient.setQueryData(planKeys.plan(plan.id), saved);
      void queryClient.invalidateQueries({ queryKey: planKeys.history(plan.id) });
      void queryClient.invalidateQueries({ queryKey: planKeys.list });
      notifyDone(`Saved ${changes.length === 1 ? 'one change' : `${changes.length} changes`} to the draft of ${plan.id}.`);
    },
  });
  const stale = save.error instanceof ProblemError && save.error.problem.status === 412;

  const set = (update: (v: PlanFormValues) => void) =>
    setValues((current) => {
      const next = structuredClone(current);
      update(next);
      return next;
    });
  const err = (path: string) => errors[path];

  return (
    <form
      aria-label="Edit the draft"
      noValidate
      // The theme's error red is too light for small text on white (WCAG AA); this form's errors use a darker one.
      style={{ '--mantine-color-error': 'var(--mantine-color-red-9)' } as React.CSSProperties}
      onSubmit={(event) => {
        event.preventDefault();
        if (!invalid && changes.length > 0) save.mutate();
      }}
    >
      <Stack gap="md">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label="Name" value={values.name} error={err('name')} onChange={(e) => set((v) => void (v.name = e.currentTarget.value))} />
          <TextInput label="Currency" description="ISO 4217, e.g. EUR" value={values.currency} error={err('currency')} onChange={(e) => set((v) => void (v.currency = e.currentTarget.value.toUpperCase()))} />
          <TextInput label="Monthly fee" description={`${values.currency}, charged by the day`} inputMode="decimal" value={values.monthlyFee} error={err('monthlyFee')} onChange={(e) => set((v) => void (v.monthlyFee = e.currentTarget.value))} />
        </SimpleGrid>

        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Fieldset legend="Port pool (concurrent calls)">
            <Checkbox label="This plan has a port pool" checked={values.portPoolOn} onChange={(e) => set((v) => void (v.portPoolOn = e.currentTarget.checked))} mb="xs" />
            {values.portPoolOn && (
              <Group grow align="flex-start">
                <TextInput label="Ports" inputMode="numeric" value={values.portPool.ports} error={err('portPool.ports')} onChange={(e) => set((v) => void (v.portPool.ports = e.currentTarget.value))} />
                <TextInput label="Per port-minute beyond" inputMode="decimal" value={values.portPool.overagePerPortMinute} error={err('portPool.overagePerPortMinute')} onChange={(e) => set((v) => void (v.portPool.overagePerPortMinute = e.currentTarget.value))} />
              </Group>
            )}
          </Fieldset>
          <Fieldset legend="Included minutes">
            <Checkbox label="This plan includes minutes" checked={values.includedMinutesOn} onChange={(e) => set((v) => void (v.includedMinutesOn = e.currentTarget.checked))} mb="xs" />
            {values.includedMinutesOn && (
              <Group grow align="flex-start">
                <TextInput label="Minutes a month" inputMode="numeric" value={values.includedMinutes.minutesPerMonth} error={err('includedMinutes.minutesPerMonth')} onChange={(e) => set((v) => void (v.includedMinutes.minutesPerMonth = e.currentTarget.value))} />
                <TextInput label="Per minute beyond" inputMode="decimal" value={values.includedMinutes.overagePerMinute} error={err('includedMinutes.overagePerMinute')} onChange={(e) => set((v) => void (v.includedMinutes.overagePerMinute = e.currentTarget.value))} />
              </Group>
            )}
          </Fieldset>
        </SimpleGrid>

        <Fieldset legend="Call rates (category × direction)">
          <Text size="sm" c="dimmed" mb="xs">
            “*” is a wildcard. For a call the most specific rate counts: exact category and direction, else the category with any direction, else any category with the direction, else * × *. A call no rate fits costs 0.
          </Text>
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing={4}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Category</Table.Th>
                  <Table.Th>Direction</Table.Th>
                  <Table.Th>Startup charge</Table.Th>
                  <Table.Th>Per minute</Table.Th>
                  <Table.Th w={40}>
                    <VisuallyHidden>Remove</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {values.callRates.map((r, i) => {
                  const row = `${r.category} × ${r.direction}`;
                  return (
                    <Table.Tr key={i}>
                      <Table.Td>
                        <Select aria-label={`Category of rate ${i + 1}`} data={callCategoryOptions.map((c) => ({ value: c, label: wildcardLabel(c) }))} value={r.category} allowDeselect={false} onChange={(c) => c && set((v) => void (v.callRates[i]!.category = c))} />
                      </Table.Td>
                      <Table.Td>
                        <Select aria-label={`Direction of rate ${i + 1}`} data={callDirectionOptions.map((c) => ({ value: c, label: wildcardLabel(c) }))} value={r.direction} allowDeselect={false} error={err(`callRates.${i}.direction`)} onChange={(c) => c && set((v) => void (v.callRates[i]!.direction = c))} />
                      </Table.Td>
                      <Table.Td>
                        <TextInput aria-label={`Startup charge, ${row}`} inputMode="decimal" value={r.startupCharge} error={err(`callRates.${i}.startupCharge`)} onChange={(e) => set((v) => void (v.callRates[i]!.startupCharge = e.currentTarget.value))} />
                      </Table.Td>
                      <Table.Td>
                        <TextInput aria-label={`Per minute, ${row}`} inputMode="decimal" value={r.perMinute} error={err(`callRates.${i}.perMinute`)} onChange={(e) => set((v) => void (v.callRates[i]!.perMinute = e.currentTarget.value))} />
                      </Table.Td>
                      <Table.Td>
                        <ActionIcon variant="subtle" color="red" aria-label={`Remove the rate ${row}`} onClick={() => set((v) => void v.callRates.splice(i, 1))}>
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Button variant="light" size="xs" mt="xs" leftSection={<IconPlus size={14} />} onClick={() => set((v) => void v.callRates.push({ category: '*', direction: '*', startupCharge: '0', perMinute: '0' }))}>
            Add a call rate
          </Button>
        </Fieldset>

        <Fieldset legend="Services">
          <Text size="sm" c="dimmed" mb="xs">
            Priced: billed monthly per unit provisioned. Free: available at no charge. Not available: the customer may not have it (a service not listed is not available either).
          </Text>
          <Stack gap="xs">
            {values.services.map((s, i) => (
              <Group key={i} align="flex-start" wrap="wrap">
                <TextInput label="Service type" value={s.type} error={err(`services.${i}.type`)} onChange={(e) => set((v) => void (v.services[i]!.type = e.currentTarget.value))} w={180} />
                <Select label={`Offer of ${s.type || 'the service'}`} data={offerOptions} value={s.offer} allowDeselect={false} onChange={(o) => o && set((v) => void (v.services[i]!.offer = o as ServiceOffer))} w={230} />
                {s.offer === 'priced' && (
                  <TextInput label={`Monthly price of ${s.type || 'the service'}`} inputMode="decimal" value={s.price} error={err(`services.${i}.price`)} onChange={(e) => set((v) => void (v.services[i]!.price = e.currentTarget.value))} w={180} />
                )}
                <ActionIcon mt={26} variant="subtle" color="red" aria-label={`Remove the service ${s.type}`} onClick={() => set((v) => void v.services.splice(i, 1))}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
          </Stack>
          <Button variant="light" size="xs" mt="xs" leftSection={<IconPlus size={14} />} onClick={() => set((v) => void v.services.push({ type: '', offer: 'priced', price: '' }))}>
            Add a service
          </Button>
        </Fieldset>

        <Fieldset legend="Custom elements">
          <Text size="sm" c="dimmed" mb="xs">
            Charges the plan has no other place for. A negative unit price is a credit; “once” is charged once per assignment, on its first day.
          </Text>
          <Stack gap="xs">
            {values.customElements.map((e, i) => (
              <Group key={i} align="flex-start" wrap="wrap">
                <TextInput label="Element name" value={e.name} error={err(`customElements.${i}.name`)} onChange={(ev) => set((v) => void (v.customElements[i]!.name = ev.currentTarget.value))} w={200} />
                <TextInput label={`Unit price of ${e.name || 'the element'}`} inputMode="decimal" value={e.unitPrice} error={err(`customElements.${i}.unitPrice`)} onChange={(ev) => set((v) => void (v.customElements[i]!.unitPrice = ev.currentTarget.value))} w={160} />
                <TextInput label={`Quantity of ${e.name || 'the element'}`} inputMode="decimal" value={e.quantity} error={err(`customElements.${i}.quantity`)} onChange={(ev) => set((v) => void (v.customElements[i]!.quantity = ev.currentTarget.value))} w={140} />
                <Select
                  label={`Recurrence of ${e.name || 'the element'}`}
                  data={[
                    { value: 'monthly', label: 'Monthly' },
                    { value: 'once', label: 'Once per assignment' },
                  ]}
                  value={e.recurrence}
                  allowDeselect={false}
                  onChange={(r) => r && set((v) => void (v.customElements[i]!.recurrence = r as 'monthly' | 'once'))}
                  w={200}
                />
                <ActionIcon mt={26} variant="subtle" color="red" aria-label={`Remove the element ${e.name}`} onClick={() => set((v) => void v.customElements.splice(i, 1))}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            ))}
          </Stack>
          <Button variant="light" size="xs" mt="xs" leftSection={<IconPlus size={14} />} onClick={() => set((v) => void v.customElements.push({ name: '', unitPrice: '0', quantity: '1', recurrence: 'monthly' }))}>
            Add a custom element
          </Button>
        </Fieldset>

        {stale ? (
          <Alert color="orange" title="Someone else changed this plan" role="alert">
            <Text size="sm">The plan changed since this page read it, so your edits were not saved. Reload to see the current draft, then make your edits again.</Text>
            <Button mt="xs" size="xs" variant="default" onClick={() => void queryClient.invalidateQueries({ queryKey: planKeys.plan(plan.id) })}>
              Reload the plan
            </Button>
          </Alert>
        ) : (
          <ProblemAlert error={save.error} title="The draft was not saved" />
        )}
        <Group justify="space-between">
          <Text size="sm" c={invalid ? 'red.9' : 'dimmed'} role="status">
            {invalid ? `Fix ${Object.keys(errors).length === 1 ? 'the field' : `the ${Object.keys(errors).length} fields`} marked in red to save.` : changes.length === 0 ? 'No unsaved changes.' : `${changes.length} unsaved ${changes.length === 1 ? 'change' : 'changes'}.`}
          </Text>
          <Group gap="xs">
            <Button variant="default" disabled={changes.length === 0 || save.isPending} onClick={() => setValues(formValuesOf(draft))}>
              Discard changes
            </Button>
            <Button type="submit" disabled={invalid || changes.length === 0} loading={save.isPending}>
              Save draft
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
