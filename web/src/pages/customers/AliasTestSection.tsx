import { Alert, Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconHelpCircle, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, dataOf } from '../../api/apiClient';
import type { CustomerDetails } from '../../api/schemas';
import { ProblemAlert } from '../../components/ProblemAlert';
import { customerKeys } from './customerQueries';
import { ruleText } from './matchingRuleText';

type Answer = Awaited<ReturnType<typeof fetchAnswer>>;
const fetchAnswer = (alias: string) => dataOf(api.GET('/api/v1/matching/test', { params: { query: { alias } } }));

/**
 * "Which customer would a call with this alias be billed to, by which rule?" — the API's matching
 * test, now, as matching applies rules, entities and default customers. `initialAlias` comes from
 * `?alias=` (the untracked-calls report links here with the alias of a call).
 */
export function AliasTestSection({ customer, initialAlias }: { customer: CustomerDetails; initialAlias: string }) {
  const [alias, setAlias] = useState(initialAlias);
  const [tested, setTested] = useState(initialAlias.trim());
  const result = useQuery({
    queryKey: customerKeys.aliasTest(tested),
    queryFn: () => fetchAnswer(tested),
    enabled: tested !== '',
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTested(alias.trim());
    if (alias.trim() === tested) void result.refetch();
  };
  return (
    <Stack gap="sm">
      <form onSubmit={submit} aria-label="Test an alias">
        <Group align="flex-end" gap="sm">
          <TextInput
            label="Alias to test"
            description="The local address of a call, such as room-1@vc.provider.example or +4721000000"
            value={alias}
            onChange={(e) => setAlias(e.currentTarget.value)}
            style={{ flex: 1 }}
            miw={240}
          />
          <Button type="submit" leftSection={<IconSearch size={16} aria-hidden />} loading={result.isFetching} disabled={alias.trim() === ''}>
            Test alias
          </Button>
        </Group>
      </form>
      <ProblemAlert error={result.error} title="The alias could not be tested" />
      {result.data && <AliasTestAnswer answer={result.data} customer={customer} />}
    </Stack>
  );
}

function AliasTestAnswer({ answer, customer }: { answer: Answer; customer: CustomerDetails }) {
  const nameOf = (id: string) => answer.customers.find((c) => c.id === id)?.name ?? id;
  if (answer.status === 'matched' && answer.customerId) {
    const here = answer.customerId === customer.id;
    const rule = here ? customer.matching.find((r) => r.id === answer.ruleId) : undefined;
    const entity = here && answer.ruleId?.startsWith('entity:') ? answer.ruleId.slice('entity:'.length) : undefined;
    return (
      <Alert variant="default" icon={<IconCircleCheck color={here ? 'var(--mantine-color-green-8)' : 'var(--mantine-color-orange-8)'} aria-hidden />} title={here ? `Matches ${customer.name}` : `Matches another customer: ${nameOf(answer.customerId)}`} role="status" data-testid="alias-test-result">
        <Text size="sm">
          A call from <code>{answer.alias}</code> would now be billed to{' '}
          <Anchor component={Link} to={`/customers/${encodeURIComponent(answer.customerId)}`}>
            {nameOf(answer.customerId)} ({answer.customerId})
          </Anchor>{' '}
          by rule <code>{answer.ruleId}</code>
          {rule ? ` (${ruleText(rule)})` : entity ? ` (the alias of entity ${entity})` : ''}.
        </Text>
      </Alert>
    );
  }
  if (answer.status === 'ambiguous') {
    const ids = answer.customerIds ?? [];
    return (
      <Alert variant="default" icon={<IconAlertTriangle color="var(--mantine-color-orange-8)" aria-hidden />} title="Ambiguous: billed to no one" role="status" data-testid="alias-test-result">
        <Text size="sm">
          Rules of {ids.map((id) => `${nameOf(id)} (${id})`).join(' and ')} all match <code>{answer.alias}</code> ({(answer.ruleIds ?? []).join(', ')}): such a call is
          reported as ambiguous and billed to no one. Delete or narrow the rules so that one customer matches.
        </Text>
      </Alert>
    );
  }
  return (
    <Alert variant="default" icon={<IconHelpCircle color="var(--mantine-color-gray-7)" aria-hidden />} title="Untracked: no customer matches" role="status" data-testid="alias-test-result">
      <Text size="sm">
        No rule or entity matches <code>{answer.alias}</code>: such a call would be untracked and billed to no one. To bill it to {customer.name}, add a rule (an alias, its domain or a number range)
        under Matching rules.
      </Text>
    </Alert>
  );
}
