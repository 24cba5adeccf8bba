import { Badge, Button, Card, Code, Group, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconFilter } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf } from '../../api/apiClient';
import { EmptyState } from '../../components/EmptyState';
import { browserTimeZone, formatInstant } from '../../components/formatDates';
import { LoadingBlock } from '../../components/LoadingBlock';
import { ProblemAlert } from '../../components/ProblemAlert';

interface AuditFilters {
  actor?: string;
  kind?: string;
  object?: string;
  action?: string;
}

const kinds = ['invoice', 'plan', 'customer', 'assignment', 'entity', 'custom-element', 'settings', 'source', 'mapping', 'user', 'apikey', 'webhook'];

/** A changed-fields object as "field: value" lines; null (a new or removed object) as a dash. */
function Changes({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <Text size="sm" c="dimmed">—</Text>;
  if (typeof value !== 'object' || Array.isArray(value)) return <Code>{JSON.stringify(value)}</Code>;
  return (
    <Stack gap={0}>
      {Object.entries(value as Record<string, unknown>).map(([field, v]) => (
        <Text key={field} size="xs" ff="monospace" style={{ wordBreak: 'break-word' }}>
          {field}: {typeof v === 'string' ? v : JSON.stringify(v)}
        </Text>
      ))}
    </Stack>
  );
}

/** The append-only audit log: who changed what, when, from what to what; filtered and paged newest first. */
export function AuditPanel() {
  const [form, setForm] = useState<AuditFilters>({});
  const [filters, setFilters] = useState<AuditFilters>({});
  const entries = useInfiniteQuery({
    queryKey: ['audit', filters],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => dataOf(api.GET('/api/v1/audit', { params: { query: { ...filters, limit: 50, cursor: pageParam } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const rows = entries.data?.pages.flatMap((p) => p.items) ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFilters(Object.fromEntries(Object.entries(form).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]).filter(([, v]) => v)) as AuditFilters);
  };
  return (
    <Stack gap="lg">
      <Card withBorder padding="md" component="form" onSubmit={submit} aria-label="Filter the audit log">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }}>
          <TextInput label="Actor" description="User or API key name" value={form.actor ?? ''} onChange={(e) => setForm({ ...form, actor: e.currentTarget.value })} />
          <Select label="Object kind" placeholder="Any kind" clearable data={kinds} value={form.kind ?? null} onChange={(v) => setForm({ ...form, kind: v ?? undefined })} />
          <TextInput label="Object id" description="e.g. cust-0003, an invoice id" value={form.object ?? ''} onChange={(e) => setForm({ ...form, object: e.currentTarget.value })} />
          <TextInput label="Action" description="e.g. invoice.approved" value={form.action ?? ''} onChange={(e) => setForm({ ...form, action: e.currentTarget.value })} />
          <Group align="flex-end">
            <Button type="submit" leftSection={<IconFilter size={16} aria-hidden />}>
              Filter the log
            </Button>
          </Group>
        </SimpleGrid>
      </Card>
      <Card withBorder padding="md">
        {entries.isPending ? (
          <LoadingBlock rows={8} />
        ) : entries.isError ? (
          <ProblemAlert error={entries.error} />
        ) : rows.length === 0 ? (
          <EmptyState title="No entries">Nothing matches these filters: clear one, or check the spelling of the actor or object id.</EmptyState>
        ) : (
          <>
            <Table.ScrollContainer minWidth={1000}>
              <Table striped aria-label="Audit log">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>When ({browserTimeZone})</Table.Th>
                    <Table.Th>Who</Table.Th>
                    <Table.Th>What</Table.Th>
                    <Table.Th>Object</Table.Th>
                    <Table.Th>Before</Table.Th>
                    <Table.Th>After</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((e) => (
                    <Table.Tr key={e.id} data-testid="audit-entry">
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatInstant(e.at, browserTimeZone)}</Table.Td>
                      <Table.Td>{e.actor}</Table.Td>
                      <Table.Td>
                        <Badge miw="max-content" variant="light" tt="none">
                          {e.action}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{e.objectKind}</Text>
                        <Text size="xs" c="dimmed">
                          {e.objectId}
                        </Text>
                      </Table.Td>
                      <Table.Td maw={280}>
                        <Changes value={e.before} />
                      </Table.Td>
                      <Table.Td maw={280}>
                        <Changes value={e.after} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {entries.hasNextPage && (
              <Button variant="default" mt="sm" loading={entries.isFetchingNextPage} onClick={() => void entries.fetchNextPage()}>
                Load older entries
              </Button>
            )}
          </>
        )}
      </Card>
    </Stack>
  );
}
