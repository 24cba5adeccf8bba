import { Badge, Button, Group, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf } from '../../api/apiClient';
import type { CustomerDetails, Entity } from '../../api/schemas';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState } from '../../components/EmptyState';
import { formatInstant } from '../../components/formatDates';
import { fieldError, ProblemAlert } from '../../components/ProblemAlert';
import { notifyDone, notifyFailed } from '../../components/notify';
import { Allowed, useSession } from '../../session/SessionProvider';
import { customerServicesQuery } from './customerQueries';

/** The customer's entities (rooms, gateways…): their aliases match its calls, their types are billed monthly. */
export function EntitiesSection({ customer, timeZone }: { customer: CustomerDetails; timeZone: string }) {
  const { can } = useSession();
  const queryClient = useQueryClient();
  const [showDeleted, setShowDeleted] = useState(false);
  const entities = customer.entities.filter((e) => showDeleted || e.deletedAt === null);
  const deletedCount = customer.entities.filter((e) => e.deletedAt !== null).length;
  const retire = useMutation({
    mutationFn: (entity: Entity) => dataOf(api.DELETE('/api/v1/customers/{id}/entities/{itemId}', { params: { path: { id: customer.id, itemId: entity.id }, query: {} } })),
    onSuccess: async (result) => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['customer', customer.id] }), queryClient.invalidateQueries({ queryKey: ['matching-test'] })]);
      notifyDone(`Entity ${result.id} deleted${result.callsMatchedAgain ? `; ${result.callsMatchedAgain} calls matched again` : ''}.`);
    },
    onError: (error) => notifyFailed(error, 'The entity was not deleted'),
  });
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Times in {timeZone}
        </Text>
        {deletedCount > 0 && <Switch label={`Show deleted entities (${deletedCount})`} checked={showDeleted} onChange={(e) => setShowDeleted(e.currentTarget.checked)} />}
      </Group>
      {entities.length === 0 ? (
        <EmptyState title="No entities">
          {can('configure') ? 'Add an entity (a virtual meeting room, a gateway…) below: its alias then matches calls and its service type is billed monthly.' : 'The customer has no provisioned rooms or gateways.'}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table aria-label="Entities" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Id</Table.Th>
                <Table.Th>Service type</Table.Th>
                <Table.Th>Alias</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Deleted</Table.Th>
                {can('configure') && <Table.Th>Delete</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entities.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{e.id}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" size="sm">
                      {e.serviceType}
                    </Badge>
                  </Table.Td>
                  <Table.Td style={{ wordBreak: 'break-all' }}>{e.alias ?? <Text c="dimmed" size="sm">none</Text>}</Table.Td>
                  <Table.Td>{formatInstant(e.createdAt, timeZone)}</Table.Td>
                  <Table.Td>{e.deletedAt ? formatInstant(e.deletedAt, timeZone) : '—'}</Table.Td>
                  {can('configure') && (
                    <Table.Td>
                      {e.deletedAt === null && (
                        <ConfirmButton
                          label="Delete"
                          aria-label={`Delete entity ${e.id}`}
                          size="xs"
                          variant="subtle"
                          color="red"
                          title={`Delete entity ${e.id}?`}
                          message={`From now on ${e.alias ? `its alias ${e.alias} no longer matches calls and ` : ''}its ${e.serviceType} service days stop; calls in no invoice are matched again. Its history stays.`}
                          confirmLabel="Delete entity"
                          loading={retire.isPending}
                          onConfirm={() => retire.mutateAsync(e).catch(() => undefined)}
                        />
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Allowed permission="configure">
        <AddEntityForm customer={customer} />
      </Allowed>
    </Stack>
  );
}

function AddEntityForm({ customer }: { customer: CustomerDetails }) {
  const queryClient = useQueryClient();
  const services = useQuery(customerServicesQuery(customer.id));
  const [id, setId] = useState('');
  const [serviceType, setServiceType] = useState<string | null>(null);
  const [alias, setAlias] = useState('');
  const add = useMutation({
    mutationFn: () =>
      dataOf(api.POST('/api/v1/customers/{id}/entities', { params: { path: { id: customer.id } }, body: { id: id.trim(), serviceType: serviceType ?? '', ...(alias.trim() ? { alias: alias.trim() } : {}) } })),
    onSuccess: async (result) => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['customer', customer.id] }), queryClient.invalidateQueries({ queryKey: ['matching-test'] })]);
      notifyDone(`Entity ${result.entity.id} added${result.monthlyPrice !== null ? ` (${result.entity.serviceType}: ${result.monthlyPrice} a month on ${result.planId})` : ''}.`);
      setId('');
      setAlias('');
    },
  });
  const error = add.error;
  const named = ['id', 'serviceType', 'alias'].some((f) => fieldError(error, f));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Add an entity">
      <Stack gap="xs">
        <Text fw={600} size="sm">
          Add an entity
        </Text>
        {error && !named && <ProblemAlert error={error} title="The entity was not added" />}
        <Group align="flex-start" gap="sm" wrap="wrap">
          <TextInput label="Entity id" description="a-z, 0-9, . _ -; unique for ever" required value={id} onChange={(e) => setId(e.currentTarget.value)} error={fieldError(error, 'id')} w={200} />
          <Select
            label="Service type"
            description="Those available to the customer now"
            required
            data={(services.data?.serviceTypes ?? []).map((s) => s.serviceType)}
            value={serviceType}
            onChange={setServiceType}
            error={fieldError(error, 'serviceType')}
            w={200}
          />
          <TextInput label="Alias (optional)" description="The address its calls use" value={alias} onChange={(e) => setAlias(e.currentTarget.value)} error={fieldError(error, 'alias')} style={{ flex: 1 }} miw={220} />
        </Group>
        <Group>
          <Button type="submit" leftSection={<IconPlus size={16} aria-hidden />} loading={add.isPending}>
            Add entity
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
