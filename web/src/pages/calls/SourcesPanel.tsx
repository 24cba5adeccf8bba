import { Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { EmptyState } from '../../components/EmptyState';
import { formatInstant } from '../../components/formatDates';
import { LoadingBlock } from '../../components/LoadingBlock';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useRejectedRecords, useSources } from './callQueries';

const count = (n: number) => n.toLocaleString();

/** Each source with what came in from it, then the records that could not be read. */
export function SourcesPanel() {
  const sources = useSources();
  return (
    <Stack gap="lg">
      <Card withBorder padding="md">
        <Title order={2} size="h4" mb="sm">
          Sources
        </Title>
        {sources.isPending ? (
          <LoadingBlock rows={3} />
        ) : sources.isError ? (
          <ProblemAlert error={sources.error} />
        ) : sources.data.items.length === 0 ? (
          <EmptyState title="No call data yet">Upload a CDR file on the “Upload a CDR file” tab, or point a conferencing system at a receiver of confbill serve.</EmptyState>
        ) : (
          <Table.ScrollContainer minWidth={1050}>
            <Table striped highlightOnHover aria-label="Sources">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Source</Table.Th>
                  <Table.Th>Format</Table.Th>
                  <Table.Th ta="right">Calls</Table.Th>
                  <Table.Th ta="right">Records read</Table.Th>
                  <Table.Th ta="right">Rejected</Table.Th>
                  <Table.Th>Excluded</Table.Th>
                  <Table.Th ta="right">Matching no customer</Table.Th>
                  <Table.Th>Last call (UTC)</Table.Th>
                  <Table.Th>Last ingest (UTC)</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sources.data.items.map((s) => (
                  <Table.Tr key={s.source} data-testid={`source-${s.source}`}>
                    <Table.Td>
                      <Group gap={6}>
                        <Text size="sm" fw={500}>
                          {s.source}
                        </Text>
                        {!s.configured && (
                          <Badge miw="max-content" color="gray" variant="dot" title="It sent call data but is not configured under sources:">
                            not configured
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>{s.format ?? <Text span size="sm" c="dimmed">any (given per upload)</Text>}</Table.Td>
                    <Table.Td ta="right" data-testid="source-calls">{count(s.calls)}</Table.Td>
                    <Table.Td ta="right" data-testid="source-read">{count(s.recordsRead)}</Table.Td>
                    <Table.Td ta="right" data-testid="source-rejected">{count(s.rejected)}</Table.Td>
                    <Table.Td>
                      {s.excluded === 0 ? (
                        '0'
                      ) : (
                        <Stack gap={0}>
                          <Text size="sm">{count(s.excluded)}</Text>
                          {Object.entries(s.excludedReasons).map(([reason, n]) => (
                            <Text key={reason} size="xs" c="dimmed">
                              {reason}: {count(n)}
                            </Text>
                          ))}
                        </Stack>
                      )}
                    </Table.Td>
                    <Table.Td ta="right" data-testid="source-unmatched">{count(s.unmatched)}</Table.Td>
                    <Table.Td>{s.lastCallAt ? formatInstant(s.lastCallAt, 'UTC') : '—'}</Table.Td>
                    <Table.Td>{s.lastIngestAt ? formatInstant(s.lastIngestAt, 'UTC') : '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <RejectedRecords />
    </Stack>
  );
}

function RejectedRecords() {
  const rejected = useRejectedRecords();
  const rows = rejected.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card withBorder padding="md">
      <Title order={2} size="h4" mb={4}>
        Rejected records
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Records that could not be read, oldest first. Fix them at the source and upload them again; the good records of a file went in.
      </Text>
      {rejected.isPending ? (
        <LoadingBlock rows={3} />
      ) : rejected.isError ? (
        <ProblemAlert error={rejected.error} />
      ) : rows.length === 0 ? (
        <EmptyState title="No rejected records">Every record read so far was stored.</EmptyState>
      ) : (
        <>
          <Table.ScrollContainer minWidth={1050}>
            <Table striped aria-label="Rejected records">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Rejected (UTC)</Table.Th>
                  <Table.Th>Source</Table.Th>
                  <Table.Th>Format</Table.Th>
                  <Table.Th>File</Table.Th>
                  <Table.Th ta="right">Line</Table.Th>
                  <Table.Th>Field</Table.Th>
                  <Table.Th>Reason</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r, i) => (
                  <Table.Tr key={`${r.file}:${r.line ?? ''}:${i}`}>
                    <Table.Td>{formatInstant(r.rejectedAt, 'UTC')}</Table.Td>
                    <Table.Td>{r.source ?? '—'}</Table.Td>
                    <Table.Td>{r.format}</Table.Td>
                    <Table.Td>{r.file}</Table.Td>
                    <Table.Td ta="right">{r.line ?? '—'}</Table.Td>
                    <Table.Td>{r.field ? <code>{r.field}</code> : '—'}</Table.Td>
                    <Table.Td>
                      <Text size="sm">{r.reason}</Text>
                      <Text size="xs" c="dimmed" ff="monospace" lineClamp={1} title={r.raw}>
                        {r.raw}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {rejected.hasNextPage && (
            <Button variant="default" mt="sm" loading={rejected.isFetchingNextPage} onClick={() => void rejected.fetchNextPage()}>
              Load more rejected records
            </Button>
          )}
        </>
      )}
    </Card>
  );
}
