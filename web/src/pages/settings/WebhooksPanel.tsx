import { Badge, Button, Card, Group, MultiSelect, Select, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf } from '../../api/apiClient';
import type { Webhook, WebhookDelivery } from '../../api/schemas';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState } from '../../components/EmptyState';
import { browserTimeZone, formatInstant } from '../../components/formatDates';
import { LoadingBlock } from '../../components/LoadingBlock';
import { notifyDone, notifyFailed } from '../../components/notify';
import { fieldError, ProblemAlert } from '../../components/ProblemAlert';
import { SecretShownOnce } from './SecretShownOnce';

type EventType = Webhook['events'][number];
type DeliveryStatus = WebhookDelivery['status'];
const eventOptions: { value: EventType; label: string }[] = [
  { value: 'invoice.generated', label: 'invoice.generated — a draft invoice was made' },
  { value: 'invoice.approved', label: 'invoice.approved — an invoice was approved' },
  { value: 'invoice.deleted', label: 'invoice.deleted — a draft was deleted' },
  { value: 'calls.untracked', label: 'calls.untracked — calls matched no customer' },
];
const webhooksKey = ['webhooks'] as const;
const deliveriesKey = ['webhook-deliveries'] as const;
const statusColors: Record<DeliveryStatus, string> = { delivered: 'green', pending: 'yellow', failed: 'red' };
const at = (iso: string | null) => (iso ? formatInstant(iso, browserTimeZone) : '—');

/** Endpoints told of billing events (signed with a secret shown once), and the log of every delivery. */
export function WebhooksPanel() {
  const webhooks = useQuery({ queryKey: webhooksKey, queryFn: () => dataOf(api.GET('/api/v1/webhooks', { params: { query: { limit: 500 } } })) });
  const [created, setCreated] = useState<{ webhook: Webhook; secret: string } | null>(null);
  return (
    <Stack gap="lg">
      {created ? <NewWebhookSecret created={created} onDone={() => setCreated(null)} /> : <AddWebhookForm onCreated={setCreated} />}
      <Card withBorder padding="md">
        <Title order={2} size="h4" mb="sm">
          Webhook endpoints
        </Title>
        {webhooks.isPending ? (
          <LoadingBlock rows={3} />
        ) : webhooks.isError ? (
          <ProblemAlert error={webhooks.error} />
        ) : webhooks.data.items.length === 0 ? (
          <EmptyState title="No webhook endpoints">Add the URL of a system that should hear of new, approved or deleted invoices and untracked calls.</EmptyState>
        ) : (
          <Table.ScrollContainer minWidth={820}>
            <Table striped aria-label="Webhook endpoints">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>URL</Table.Th>
                  <Table.Th>Events</Table.Th>
                  <Table.Th>Added ({browserTimeZone})</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {webhooks.data.items.map((w) => (
                  <WebhookRow key={w.id} webhook={w} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <DeliveryLog />
    </Stack>
  );
}

function WebhookRow({ webhook: w }: { webhook: Webhook }) {
  const queryClient = useQueryClient();
  const disable = useMutation({
    mutationFn: () => dataOf(api.POST('/api/v1/webhooks/{id}/disable', { params: { path: { id: w.id } } })),
    onSuccess: () => {
      notifyDone(`${w.url} is disabled; its pending deliveries are given up.`);
      return Promise.all([queryClient.invalidateQueries({ queryKey: webhooksKey }), queryClient.invalidateQueries({ queryKey: deliveriesKey })]);
    },
    onError: (error) => notifyFailed(error, 'The endpoint was not disabled'),
  });
  return (
    <Table.Tr>
      <Table.Td style={{ wordBreak: 'break-all' }}>{w.url}</Table.Td>
      <Table.Td>
        <Group gap={4}>
          {w.events.map((e) => (
            <Badge miw="max-content" key={e} variant="outline" size="sm">
              {e}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      <Table.Td>
        {at(w.createdAt)} by {w.createdBy}
      </Table.Td>
      <Table.Td>
        {w.disabledAt ? (
          <Text size="sm" c="dimmed">
            Disabled {at(w.disabledAt)} by {w.disabledBy}
          </Text>
        ) : (
          <Badge miw="max-content" color="green" variant="dot">
            active
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        {!w.disabledAt && (
          <ConfirmButton
            size="xs"
            variant="light"
            color="red"
            label="Disable"
            aria-label={`Disable ${w.url}`}
            title="Disable this endpoint?"
            message={`${w.url} hears of no further events, and its pending deliveries are given up. Add it again to resume.`}
            confirmLabel="Disable endpoint"
            loading={disable.isPending}
            onConfirm={() => disable.mutateAsync().catch(() => undefined)}
          />
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function AddWebhookForm({ onCreated }: { onCreated: (created: { webhook: Webhook; secret: string }) => void }) {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>(['invoice.approved']);
  const add = useMutation({
    mutationFn: () => dataOf(api.POST('/api/v1/webhooks', { body: { url: url.trim(), events: events as EventType[] } })),
    onSuccess: async (created) => {
      setUrl('');
      onCreated(created);
      await queryClient.invalidateQueries({ queryKey: webhooksKey });
    },
  });
  const urlProblem = url.trim() && !/^https?:\/\/\S+$/.test(url.trim()) ? 'An http:// or https:// URL' : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (url.trim() && !urlProblem && events.length > 0) add.mutate();
  };
  return (
    <Card withBorder padding="md" component="form" onSubmit={submit} aria-label="Add a webhook endpoint">
      <Title order={2} size="h4" mb="sm">
        Add a webhook endpoint
      </Title>
      <Stack>
        {add.isError && !fieldError(add.error, 'url') && <ProblemAlert error={add.error} title="The endpoint was not added" />}
        <Group align="flex-start" grow wrap="wrap">
          <TextInput label="Endpoint URL" placeholder="https://erp.example.com/confbill" required value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={urlProblem ?? fieldError(add.error, 'url')} miw={260} />
          <MultiSelect label="Events" required data={eventOptions} value={events} onChange={setEvents} error={events.length === 0 ? 'Choose at least one event' : undefined} miw={260} />
        </Group>
        <Group justify="flex-end">
          <Button type="submit" loading={add.isPending} disabled={!url.trim() || urlProblem !== undefined || events.length === 0}>
            Add endpoint
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function NewWebhookSecret({ created, onDone }: { created: { webhook: Webhook; secret: string }; onDone: () => void }) {
  return (
    <SecretShownOnce
      label="New webhook signing secret"
      title="The signing secret: copy it now, it is shown this once"
      explanation={`The receiver of ${created.webhook.url} checks each delivery’s HMAC-SHA256 signature with it. confbill will not show it again.`}
      secret={created.secret}
      noun="secret"
      onDone={onDone}
    />
  );
}

function DeliveryLog() {
  const [status, setStatus] = useState<DeliveryStatus | null>(null);
  const deliveries = useInfiniteQuery({
    queryKey: [...deliveriesKey, status],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => dataOf(api.GET('/api/v1/webhook-deliveries', { params: { query: { status: status ?? undefined, limit: 50, cursor: pageParam } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const rows = deliveries.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card withBorder padding="md">
      <Group justify="space-between" align="flex-end" mb="sm">
        <Title order={2} size="h4">
          Delivery log
        </Title>
        <Select
          label="Delivery status"
          placeholder="Any status"
          clearable
          w={200}
          data={[
            { value: 'pending', label: 'Pending (will retry)' },
            { value: 'delivered', label: 'Delivered' },
            { value: 'failed', label: 'Failed (gave up)' },
          ]}
          value={status}
          onChange={(v) => setStatus(v as DeliveryStatus | null)}
        />
      </Group>
      {deliveries.isPending ? (
        <LoadingBlock rows={4} />
      ) : deliveries.isError ? (
        <ProblemAlert error={deliveries.error} />
      ) : rows.length === 0 ? (
        <EmptyState title="No deliveries">Deliveries appear here when an event an endpoint listens to happens (for example an invoice approved).</EmptyState>
      ) : (
        <>
          <Table.ScrollContainer minWidth={980}>
            <Table striped aria-label="Webhook deliveries">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Event ({browserTimeZone})</Table.Th>
                  <Table.Th>Endpoint</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th ta="right">Attempts</Table.Th>
                  <Table.Th>Attempt log</Table.Th>
                  <Table.Th>Next attempt</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((d) => (
                  <Table.Tr key={d.id}>
                    <Table.Td>
                      <Text size="sm">{d.eventType}</Text>
                      <Text size="xs" c="dimmed">
                        {at(d.eventCreatedAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ wordBreak: 'break-all' }}>{d.url}</Table.Td>
                    <Table.Td>
                      <Badge miw="max-content" color={statusColors[d.status]} variant="dot">
                        {d.status}
                      </Badge>
                      {d.deliveredAt && (
                        <Text size="xs" c="dimmed">
                          {at(d.deliveredAt)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">{d.attempts}</Table.Td>
                    <Table.Td>
                      {d.log.length === 0
                        ? '—'
                        : d.log.map((a, i) => (
                            <Text key={i} size="xs">
                              {at(a.attemptedAt)}: {a.httpStatus ?? 'no answer'}
                              {a.error ? ` — ${a.error}` : ''} ({Math.round(a.durationMs)} ms)
                            </Text>
                          ))}
                    </Table.Td>
                    <Table.Td>{at(d.nextAttemptAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {deliveries.hasNextPage && (
            <Button variant="default" mt="sm" loading={deliveries.isFetchingNextPage} onClick={() => void deliveries.fetchNextPage()}>
              Load more deliveries
            </Button>
          )}
        </>
      )}
    </Card>
  );
}
