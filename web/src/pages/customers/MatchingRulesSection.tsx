import { ActionIcon, Badge, Button, Group, Select, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf } from '../../api/apiClient';
import { ProblemError } from '../../api/ProblemError';
import type { CustomerDetails, MatchingRule } from '../../api/schemas';
import { EmptyState } from '../../components/EmptyState';
import { formatDay } from '../../components/formatDates';
import { ProblemAlert } from '../../components/ProblemAlert';
import { notifyDone, notifyFailed } from '../../components/notify';
import { Allowed, useSession } from '../../session/SessionProvider';
import { ruleConfig, ruleKinds, ruleText, type RuleKind } from './matchingRuleText';

type RuleConfig = ReturnType<typeof ruleConfig>;

/** Rules are replaced as a whole list (PUT matching-rules); calls in no invoice are matched again. */
function useReplaceRules(customer: CustomerDetails) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (rules: RuleConfig[]) => dataOf(api.PUT('/api/v1/customers/{id}/matching-rules', { params: { path: { id: customer.id }, query: {} }, body: { rules } })),
    onSuccess: async () => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: ['customer', customer.id] }), queryClient.invalidateQueries({ queryKey: ['matching-test'] })]);
    },
  });
}

const validityText = (rule: MatchingRule) =>
  rule.validFrom || rule.validTo ? `${rule.validFrom ? `from ${formatDay(rule.validFrom)}` : ''}${rule.validFrom && rule.validTo ? ' ' : ''}${rule.validTo ? `until ${formatDay(rule.validTo)} (exclusive)` : ''}` : 'Always';

/** The rules that make a call this customer's, in their order, with add and delete for `configure`. */
export function MatchingRulesSection({ customer }: { customer: CustomerDetails }) {
  const { can } = useSession();
  const replace = useReplaceRules(customer);
  const rules = customer.matching;
  const remove = (rule: MatchingRule) =>
    replace.mutate(
      rules.filter((r) => r.id !== rule.id).map(ruleConfig),
      {
        onSuccess: (result) => notifyDone(`Rule ${ruleText(rule)} deleted${result.callsMatchedAgain ? `; ${result.callsMatchedAgain} calls matched again` : ''}.`),
        onError: (error) => notifyFailed(error, 'The rule was not deleted'),
      },
    );
  return (
    <Stack gap="sm">
      {rules.length === 0 ? (
        <EmptyState title="No matching rules yet">
          {customer.entities.some((e) => e.alias && !e.deletedAt)
            ? `Only the aliases of its entities match its calls. Add a rule so that calls from its other addresses (its domain, an alias, a number range) match ${customer.name}.`
            : `No call matches ${customer.name}: its calls stay untracked. ${can('configure') ? 'Add a rule below' : 'Ask someone who may configure to add a rule'} so that calls from its domain, aliases or number range match it.`}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table aria-label="Matching rules" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Matches (rule id)</Table.Th>
                <Table.Th>Valid</Table.Th>
                {can('configure') && <Table.Th w={48}>Delete</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.map((rule) => (
                <Table.Tr key={rule.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Badge variant="light" size="sm" styles={{ root: { maxWidth: 'none', overflow: 'visible' }, label: { overflow: 'visible', textOverflow: 'clip' } }}>
                      {rule.kind}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ wordBreak: 'break-all' }}>
                      {'from' in rule ? `${rule.from}–${rule.to}` : rule.value}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {rule.id}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{validityText(rule)}</Text>
                  </Table.Td>
                  {can('configure') && (
                    <Table.Td>
                      <Tooltip label="Delete this rule">
                        <ActionIcon variant="subtle" color="red" aria-label={`Delete rule ${ruleText(rule)}`} loading={replace.isPending && replace.variables?.length === rules.length - 1} onClick={() => remove(rule)}>
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Allowed permission="configure">
        <AddRuleForm customer={customer} />
      </Allowed>
    </Stack>
  );
}

/** The field of the new rule a refusal names (`rules[3].value`, `rules.3.value`…), when it is that one. */
function newRuleFieldError(error: unknown, index: number, field: string): string | undefined {
  if (!(error instanceof ProblemError) || !error.problem.field) return undefined;
  const f = error.problem.field;
  const aboutNew = f.includes(`[${index}]`) || f.includes(`.${index}.`) || f.includes(`${index}.`);
  return aboutNew && f.endsWith(field) ? error.problem.detail : undefined;
}

function AddRuleForm({ customer }: { customer: CustomerDetails }) {
  const replace = useReplaceRules(customer);
  const [kind, setKind] = useState<RuleKind>('alias');
  const [value, setValue] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [validFrom, setValidFrom] = useState<string | null>(null);
  const [validTo, setValidTo] = useState<string | null>(null);
  const index = customer.matching.length;
  const error = replace.error;
  const named = ['value', 'from', 'to', 'validFrom', 'validTo'].some((f) => newRuleFieldError(error, index, f));
  const kindInfo = ruleKinds.find((k) => k.value === kind)!;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const validity = { ...(validFrom ? { validFrom } : {}), ...(validTo ? { validTo } : {}) };
    const rule: RuleConfig = kind === 'number-range' ? { kind, from: from.trim(), to: to.trim(), ...validity } : { kind, value: value.trim(), ...validity };
    replace.mutate([...customer.matching.map(ruleConfig), rule], {
      onSuccess: (result) => {
        notifyDone(`Rule added${result.callsMatchedAgain ? `; ${result.callsMatchedAgain} calls matched again` : ''}.`);
        setValue('');
        setFrom('');
        setTo('');
        setValidFrom(null);
        setValidTo(null);
      },
    });
  };

  return (
    <form onSubmit={submit} aria-label="Add a matching rule">
      <Stack gap="xs">
        <Text fw={600} size="sm">
          Add a matching rule
        </Text>
        {error && !named && <ProblemAlert error={error} title="The rule was not added" />}
        <Group align="flex-start" gap="sm" wrap="wrap">
          <Select label="Kind" data={ruleKinds.map(({ value: v, label }) => ({ value: v, label }))} value={kind} onChange={(v) => v && setKind(v as RuleKind)} allowDeselect={false} w={230} />
          {kind === 'number-range' ? (
            <>
              <TextInput label="First number" required value={from} onChange={(e) => setFrom(e.currentTarget.value)} placeholder="4700100" error={newRuleFieldError(error, index, 'from')} w={150} />
              <TextInput label="Last number" required value={to} onChange={(e) => setTo(e.currentTarget.value)} placeholder="4700199" error={newRuleFieldError(error, index, 'to')} w={150} />
            </>
          ) : (
            <TextInput label="Value" required value={value} onChange={(e) => setValue(e.currentTarget.value)} placeholder={kindInfo.placeholder} error={newRuleFieldError(error, index, 'value')} style={{ flex: 1 }} miw={220} />
          )}
        </Group>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <DateInput label="Valid from (optional)" valueFormat="YYYY-MM-DD" clearable value={validFrom} onChange={setValidFrom} error={newRuleFieldError(error, index, 'validFrom')} w={180} />
          <DateInput label="Valid until (optional, exclusive)" valueFormat="YYYY-MM-DD" clearable value={validTo} onChange={setValidTo} error={newRuleFieldError(error, index, 'validTo')} w={220} />
          <Button type="submit" leftSection={<IconPlus size={16} aria-hidden />} loading={replace.isPending}>
            Add rule
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
