import { Badge, Button, Card, Group, PasswordInput, Select, SimpleGrid, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf } from '../../api/apiClient';
import type { User } from '../../api/schemas';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState } from '../../components/EmptyState';
import { browserTimeZone, formatInstant } from '../../components/formatDates';
import { LoadingBlock } from '../../components/LoadingBlock';
import { notifyDone, notifyFailed } from '../../components/notify';
import { fieldError, ProblemAlert } from '../../components/ProblemAlert';
import { useSession } from '../../session/SessionProvider';
import { accessRoleOptions, type AccessRole } from './accessRoles';

const usersKey = ['users'] as const;

/** Who may sign in: add a user with a role and a password, disable one (its sessions end at once). */
export function UsersPanel() {
  const users = useQuery({ queryKey: usersKey, queryFn: () => dataOf(api.GET('/api/v1/users', { params: { query: { limit: 500 } } })) });
  return (
    <Stack gap="lg">
      <AddUserForm />
      <Card withBorder padding="md">
        <Title order={2} size="h4" mb="sm">
          Users
        </Title>
        {users.isPending ? (
          <LoadingBlock rows={4} />
        ) : users.isError ? (
          <ProblemAlert error={users.error} />
        ) : users.data.items.length === 0 ? (
          <EmptyState title="No users">Add a user above.</EmptyState>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table striped aria-label="Users">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Role</Table.Th>
                  <Table.Th>Added ({browserTimeZone})</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.data.items.map((u) => (
                  <UserRow key={u.id} user={u} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
    </Stack>
  );
}

function UserRow({ user }: { user: User }) {
  const queryClient = useQueryClient();
  const { principal } = useSession();
  const disable = useMutation({
    mutationFn: () => dataOf(api.POST('/api/v1/users/{name}/disable', { params: { path: { name: user.name } } })),
    onSuccess: () => {
      notifyDone(`${user.name} is disabled; their sessions have ended.`);
      return queryClient.invalidateQueries({ queryKey: usersKey });
    },
    onError: (error) => notifyFailed(error, `${user.name} was not disabled`),
  });
  return (
    <Table.Tr data-testid={`user-${user.name}`}>
      <Table.Td fw={500}>{user.name}</Table.Td>
      <Table.Td>
        <Badge miw="max-content" variant="light">{user.role}</Badge>
      </Table.Td>
      <Table.Td>
        {formatInstant(user.createdAt, browserTimeZone)} by {user.createdBy}
      </Table.Td>
      <Table.Td>
        {user.disabledAt ? (
          <Text size="sm" c="dimmed">
            Disabled {formatInstant(user.disabledAt, browserTimeZone)} by {user.disabledBy}
          </Text>
        ) : (
          <Badge miw="max-content" color="green" variant="dot">
            active
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        {!user.disabledAt && user.name !== principal?.name && (
          <ConfirmButton
            size="xs"
            variant="light"
            color="red"
            label={`Disable ${user.name}`}
            title={`Disable ${user.name}?`}
            message={`${user.name} can no longer sign in and their open sessions end at once. Their name stays in the audit log.`}
            confirmLabel="Disable user"
            loading={disable.isPending}
            onConfirm={() => disable.mutateAsync().catch(() => undefined)}
          />
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function AddUserForm() {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<AccessRole | null>('viewer');
  const [password, setPassword] = useState('');
  const add = useMutation({
    mutationFn: () => dataOf(api.POST('/api/v1/users', { body: { name: name.trim(), role: role!, password } })),
    onSuccess: async (user) => {
      notifyDone(`${user.name} added as ${user.role}. Give them the password by a safe channel.`);
      setName('');
      setPassword('');
      await queryClient.invalidateQueries({ queryKey: usersKey });
    },
  });
  const shortPassword = password.length > 0 && password.length < 12 ? `At least 12 characters (${password.length} so far)` : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() && role && password.length >= 12) add.mutate();
  };
  return (
    <Card withBorder padding="md" component="form" onSubmit={submit} aria-label="Add a user">
      <Title order={2} size="h4" mb="sm">
        Add a user
      </Title>
      <Stack>
        {add.isError && !fieldError(add.error, 'name') && !fieldError(add.error, 'password') && <ProblemAlert error={add.error} title="The user was not added" />}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label="User name" required value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(add.error, 'name')} autoComplete="off" />
          <Select label="Role" required data={accessRoleOptions} value={role} onChange={(v) => setRole(v as AccessRole | null)} allowDeselect={false} />
          <PasswordInput label="Password" description="12 characters or more" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={shortPassword ?? fieldError(add.error, 'password')} autoComplete="new-password" />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button type="submit" loading={add.isPending} disabled={!name.trim() || !role || password.length < 12}>
            Add user
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
