import { Badge, Button, Group, Pagination, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { UntrackedCall } from '../../api/schemas';
import { EmptyState } from '../../components/EmptyState';
import { formatInstant } from '../../components/formatDates';
import { LoadingBlock } from '../../components/LoadingBlock';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useSession } from '../../session/SessionProvider';
import { MatchUntrackedModal } from './MatchUntrackedModal';
import { untrackedQuery } from './reportQueries';

const reasons: Record<UntrackedCall['reason'], { label: string; next: string }> = {
  'no-customer': { label: 'No customer', next: 'No rule or entity matches the alias: add one for the right customer.' },
  ambiguous: { label: 'Ambiguous', next: 'Rules of several customers match equally: narrow one of them on the customer page.' },
  'no-plan': { label: 'No plan', next: 'The customer had no plan when the call started: assign one on the plan page.' },
};

const pageSize = 50;

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s} s` : `${s} s`;
}

interface AliasGroup {
  alias: string;
  calls: number;
  firstCallAt: string;
  reasons: Set<UntrackedCall['reason']>;
  sources: Set<string>;
}

/** The untracked calls' local aliases (tenant when none), most calls first: one shortcut per alias. */
function groupByAlias(calls: UntrackedCall[]): AliasGroup[] {
  const groups = new Map<string, AliasGroup>();
  for (const c of calls) {
    const alias = c.localAlias ?? c.tenant;
    if (alias === null) continue;
    const group = groups.get(alias) ?? { alias, calls: 0, firstCallAt: c.startedAt, reasons: new Set(), sources: new Set() };
    group.calls += 1;
    if (c.startedAt < group.firstCallAt) group.firstCallAt = c.startedAt;
    group.reasons.add(c.reason);
    group.sources.add(c.source);
    groups.set(alias, group);
  }
  return [...groups.values()].sort((a, b) => b.calls - a.calls || a.alias.localeCompare(b.alias));
}

/** Calls billed to no customer, why, and the shortcut to the rule or entity that would match them. */
export function UntrackedPage() {
  const untracked = useQuery(untrackedQuery);
  const { can } = useSession();
  const [matching, setMatching] = useState<AliasGroup | null>(null);
  const [page, setPage] = useState(1);

  if (untracked.isPending) return <LoadingBlock rows={10} />;
  if (untracked.error) return <ProblemAlert error={untracked.error} title="The untracked calls could not be read" />;
  const calls = untracked.data;
  if (calls.length === 0)
    return (
      <EmptyState title="Every call is billed to a customer">
        No call lacks a customer or a plan. Calls that arrive with an alias no rule knows will be listed here, with a shortcut to add the rule.
      </EmptyState>
    );

  const counts = new Map<UntrackedCall['reason'], number>();
  for (const c of calls) counts.set(c.reason, (counts.get(c.reason) ?? 0) + 1);
  const aliases = groupByAlias(calls);
  const pages = Math.ceil(calls.length / pageSize);
  const shown = calls.slice((Math.min(page, pages) - 1) * pageSize, Math.min(page, pages) * pageSize);
  const configure = can('configure');

  return (
    <Stack gap="lg">
      <section aria-labelledby="untracked-reasons">
        <Title order={2} size="h4" id="untracked-reasons" mb="xs">
          <span data-testid="untracked-count">{calls.length}</span> untracked calls
        </Title>
        <Table.ScrollContainer minWidth={480}>
          <Table withTableBorder maw={760}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Reason</Table.Th>
                <Table.Th ta="right">Calls</Table.Th>
                <Table.Th>What to do</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...counts].map(([reason, count]) => (
                <Table.Tr key={reason} data-testid={`reason-${reason}`}>
                  <Table.Td>{reasons[reason].label}</Table.Td>
                  <Table.Td ta="right">{count}</Table.Td>
                  <Table.Td>{reasons[reason].next}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </section>

      <section aria-labelledby="untracked-aliases">
        <Title order={2} size="h4" id="untracked-aliases" mb="xs">
          By alias
        </Title>
        <Table.ScrollContainer minWidth={640}>
          <Table striped aria-labelledby="untracked-aliases">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Alias</Table.Th>
                <Table.Th ta="right">Calls</Table.Th>
                <Table.Th>Reason</Table.Th>
                <Table.Th>Source</Table.Th>
                {configure && <Table.Th>Match</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {aliases.map((a) => (
                <Table.Tr key={a.alias}>
                  <Table.Td>{a.alias}</Table.Td>
                  <Table.Td ta="right">{a.calls}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {[...a.reasons].map((r) => (
                        <Badge key={r} variant="default">
                          {reasons[r].label}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>{[...a.sources].join(', ')}</Table.Td>
                  {configure && (
                    <Table.Td>
                      <Button size="xs" variant="light" onClick={() => setMatching(a)}>
                        Add rule or entity<VisuallyHidden> for {a.alias}</VisuallyHidden>
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </section>

      <section aria-labelledby="untracked-calls">
        <Title order={2} size="h4" id="untracked-calls" mb="xs">
          Calls
        </Title>
        <Table.ScrollContainer minWidth={820}>
          <Table striped aria-labelledby="untracked-calls">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Start (UTC)</Table.Th>
                <Table.Th>Alias</Table.Th>
                <Table.Th>Remote end</Table.Th>
                <Table.Th>Source</Table.Th>
                <Table.Th ta="right">Duration</Table.Th>
                <Table.Th>Reason</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((c) => (
                <Table.Tr key={`${c.source} ${c.externalId}`}>
                  <Table.Td>{formatInstant(c.startedAt, 'UTC')} UTC</Table.Td>
                  <Table.Td>{c.localAlias ?? c.tenant ?? '—'}</Table.Td>
                  <Table.Td>{c.remoteAlias ?? '—'}</Table.Td>
                  <Table.Td>{c.source}</Table.Td>
                  <Table.Td ta="right">{duration(c.durationSeconds)}</Table.Td>
                  <Table.Td>
                    {reasons[c.reason].label}
                    {c.candidates ? ` (${c.candidates})` : ''}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {pages > 1 && (
          <Group justify="space-between" mt="sm">
            <Text size="sm" c="dimmed">
              Calls {(Math.min(page, pages) - 1) * pageSize + 1}–{Math.min(Math.min(page, pages) * pageSize, calls.length)} of {calls.length}
            </Text>
            <Pagination total={pages} value={Math.min(page, pages)} onChange={setPage} getControlProps={(control) => ({ 'aria-label': `${control} page` })} getItemProps={(p) => ({ 'aria-label': `Page ${p}` })} />
          </Group>
        )}
      </section>
      {matching && <MatchUntrackedModal alias={matching.alias} firstCallAt={matching.firstCallAt} opened onClose={() => setMatching(null)} />}
    </Stack>
  );
}
