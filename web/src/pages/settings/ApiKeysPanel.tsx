import { Badge, Button, Card, Code, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf } from '../../api/apiClient';
import type { ApiKey } from '../../api/schemas';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState } from '../../components/EmptyState';
import { browserTimeZone, formatInstant } from '../../components/formatDates';
import { LoadingBlock } from '../../components/LoadingBlock';
import { notifyDone, notifyFailed } from '../../components/notify';
import { fieldError, ProblemAlert } from '../../components/ProblemAlert';
import { SecretShownOnce } from './SecretShownOnce';
import { accessRoleOptions, type AccessRole } from './accessRoles';

const keysKey = ['api-keys'] as const;

/** API keys for programs: create one (its secret shown this once), see when each was last used, revoke. */
export function ApiKeysPanel() {
  const keys = useQuery({ queryKey: keysKey, queryFn: () => dataOf(api.GET('/api/v1/api-keys', { params: { query: { limit: 500 } } })) });
  const [created, setCreated] = useState<{ key: ApiKey; secret: string } | null>(null);
  return (
    <Stack gap="lg">
      {created ? <NewKeySecret created={created} onDone={() => setCreated(null)} /> : <CreateKeyForm onCreated={setCreated} />}
      <Card withBorder padding="md">
        <Title order={2} size="h4" mb="sm">
          API keys
        </Title>
        {keys.isPending ? (
          <LoadingBlock rows={4} />
        ) : keys.isError ? (
          <ProblemAlert error={keys.error} />
        ) : keys.data.items.length === 0 ? (
          <EmptyState title="No API keys">Create one above for each program that calls the Billing API.</EmptyState>
        ) : (
          <Table.ScrollContainer minWidth={1000}>
            <Table striped aria-label="API keys">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Key starts with</Table.Th>
                  <Table.Th>Created ({browserTimeZone})</Table.Th>
                  <Table.Th>Last used</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {keys.data.items.map((k) => (
                  <KeyRow key={k.id} apiKey={k} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
    </Stack>
  );
}

function KeyRow({ apiKey: k }: { apiKey: ApiKey }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => dataOf(api.POST('/api/v1/api-keys/{key}/revoke', { params: { path: { key: k.id } } })),
    onSuccess: () => {
      notifyDone(`The key ${k.name} is revoked; programs using it are refused from now on.`);
      return queryClient.invalidateQueries({ queryKey: keysKey });
    },
    onError: (error) => notifyFailed(error, `The key ${k.name} was not revoked`),
  });
  return (
    <Table.Tr data-testid={`api-key-${k.name}`}>
      <Table.Td fw={500}>{k.name}</Table.Td>
      <Table.Td>
        <Badge miw="max-content" variant="light">{k.role}</Badge>
      </Table.Td>
      <Table.Td>
        <Code data-testid="api-key-prefix">{k.prefix}…</Code>
      </Table.Td>
      <Table.Td>
        {formatInstant(k.createdAt, browserTimeZone)} by {k.createdBy}
      </Table.Td>
      <Table.Td>{k.lastUsedAt ? formatInstant(k.lastUsedAt, browserTimeZone) : 'never'}</Table.Td>
      <Table.Td>
        {k.revokedAt ? (
          <Text size="sm" c="dimmed" data-testid="api-key-status">
            Revoked {formatInstant(k.revokedAt, browserTimeZone)} by {k.revokedBy}
          </Text>
        ) : (
          <Badge miw="max-content" color="green" variant="dot" data-testid="api-key-status">
            active
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        {!k.revokedAt && (
          <ConfirmButton
            size="xs"
            variant="light"
            color="red"
            label={`Revoke ${k.name}`}
            title={`Revoke the key ${k.name}?`}
            message={`Programs using the key that starts with ${k.prefix} are refused from the next request on. This cannot be undone: create a new key to give access again.`}
            confirmLabel="Revoke key"
            loading={revoke.isPending}
            onConfirm={() => revoke.mutateAsync().catch(() => undefined)}
          />
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (created: { key: ApiKey; secret: string }) => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<AccessRole | null>('ingest');
  const create = useMutation({
    mutationFn: () => dataOf(api.POST('/api/v1/api-keys', { body: { name: name.trim(), role: role! } })),
    onSuccess: async (created) => {
      setName('');
      onCreated(created);
      await queryClient.invalidateQueries({ queryKey: keysKey });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() && role) create.mutate();
  };
  return (
    <Card withBorder padding="md" component="form" onSubmit={submit} aria-label="Create an API key">
      <Title order={2} size="h4" mb="sm">
        Create an API key
      </Title>
      <Stack>
        {create.isError && !fieldError(create.error, 'name') && <ProblemAlert error={create.error} title="The key was not created" />}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Key name" description="What uses it, e.g. cms-oslo-1 receiver" required value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(create.error, 'name')} autoComplete="off" />
          <Select label="Key role" description="What the key may do" required data={accessRoleOptions} value={role} onChange={(v) => setRole(v as AccessRole | null)} allowDeselect={false} />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button type="submit" loading={create.isPending} disabled={!name.trim() || !role}>
            Create API key
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function NewKeySecret({ created, onDone }: { created: { key: ApiKey; secret: string }; onDone: () => void }) {
  return (
    <SecretShownOnce
      label="New API key"
      title={`The key ${created.key.name} (${created.key.role}): copy it now, it is shown this once`}
      explanation="confbill stores only a hash of it; nobody can show it again. Store it where the program reads it. If it is lost, revoke it and create another."
      secret={created.secret}
      noun="key"
      testId="new-api-key-secret"
      onDone={onDone}
    />
  );
}
