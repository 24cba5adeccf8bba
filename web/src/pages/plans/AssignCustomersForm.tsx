import { Alert, Button, Checkbox, Group, List, MultiSelect, Stack, Text } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, dataOf } from '../../api/apiClient';
import type { Assignment, Plan } from '../../api/schemas';
import { problemText } from '../../components/ProblemAlert';
import { formatDay } from '../../components/formatDates';
import { assignmentRangeText } from './PlanCustomers';
import { addDays } from '../../components/calendarDays';
import { rangesOverlap } from './planDays';
import { planKeys, useAllAssignments, useCustomers } from './planQueries';

const day = /^\d{4}-\d{2}-\d{2}$/;

/** What assigning one customer will do, worked out before the click. */
interface AssignPlanStep {
  customerId: string;
  /** The customer's current assignment that ends the day before `from` (PATCH its `to`), when allowed. */
  end?: Assignment;
  /** Why the customer cannot be assigned as asked (an overlap this form cannot resolve). */
  blocked?: string;
}

function stepFor(customerId: string, planId: string, from: string, to: string | null, assignments: Assignment[]): AssignPlanStep {
  const overlapping = assignments.filter((a) => a.customerId === customerId && rangesOverlap(from, to, a.from, a.to));
  if (overlapping.length === 0) return { customerId };
  const later = overlapping.find((a) => a.from >= from);
  if (later)
    return { customerId, blocked: `already on ${later.planId} ${assignmentRangeText(later.from, later.to)}, which starts on or after ${formatDay(from)}: change or remove that assignment on the customer's page first` };
  const current = overlapping[0]!;
  if (current.planId === planId) return { customerId, blocked: `already on this plan ${assignmentRangeText(current.from, current.to)}` };
  return { customerId, end: current };
}

/**
 * Assign customers to the plan over a range of days. A customer's assignments never overlap, so when a
 * customer is on another plan that runs into the new range, the form offers what an operator means:
 * end that assignment on the day before (PATCH /assignments/{id}), then start this one.
 */
export function AssignCustomersForm({ plan }: { plan: Plan }) {
  const queryClient = useQueryClient();
  const customers = useCustomers();
  const assignments = useAllAssignments();
  const [customerIds, setCustomerIds] = useState<string[]>([]);
  const [from, setFrom] = useState<string | null>(null);
  const [lastDay, setLastDay] = useState<string | null>(null);
  const [endCurrent, setEndCurrent] = useState(true);
  const [outcome, setOutcome] = useState<{ done: string[]; failed: string[] } | null>(null);

  const to = lastDay ? addDays(lastDay, 1) : null;
  const rangeError = from && lastDay && lastDay < from ? 'The last day is before the first day' : undefined;
  const steps = useMemo(
    () => (from && day.test(from) && !rangeError ? customerIds.map((id) => stepFor(id, plan.id, from, to, assignments.data ?? [])) : []),
    [customerIds, from, to, rangeError, plan.id, assignments.data],
  );
  const ends = steps.filter((s) => s.end);
  const blocked = steps.filter((s) => s.blocked);
  const nameOf = (id: string) => customers.data?.find((c) => c.id === id)?.name ?? id;

  const assign = useMutation({
    mutationFn: async () => {
      const done: string[] = [];
      const failed: string[] = [];
      for (const step of steps) {
        if (step.blocked || (step.end && !endCurrent)) continue;
        try {
          if (step.end) await dataOf(api.PATCH('/api/v1/assignments/{id}', { params: { path: { id: step.end.id } }, body: { to: from! } }));
          try {
            await dataOf(api.POST('/api/v1/assignments', { body: { customer: step.customerId, plan: plan.id, from: from!, ...(to ? { to } : {}) } }));
          } catch (error) {
            // Give the customer back the plan it had rather than leave it on none.
            if (step.end) await api.PATCH('/api/v1/assignments/{id}', { params: { path: { id: step.end.id } }, body: { to: step.end.to } });
            throw error;
          }
          done.push(step.end ? `${step.customerId}: ${step.end.planId} ends on ${formatDay(addDays(from!, -1))}; on this plan ${assignmentRangeText(from!, to)}` : `${step.customerId}: on this plan ${assignmentRangeText(from!, to)}`);
        } catch (error) {
          failed.push(`${step.customerId}: ${problemText(error)}`);
        }
      }
      return { done, failed };
    },
    onSuccess: (result) => {
      setOutcome(result);
      if (result.failed.length === 0) setCustomerIds([]);
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: planKeys.assignments });
      void queryClient.invalidateQueries({ queryKey: ['plan'] });
      void queryClient.invalidateQueries({ queryKey: ['invoices'] });
    },
  });

  const runnable = steps.filter((s) => !s.blocked && (!s.end || endCurrent));
  return (
    <form
      aria-label="Assign to customers"
      onSubmit={(event) => {
        event.preventDefault();
        if (runnable.length > 0) assign.mutate();
      }}
    >
      <Stack gap="sm">
        <MultiSelect
          label="Customers"
          placeholder={customers.isPending ? 'Loading customers…' : 'Pick one or more customers'}
          searchable
          data={(customers.data ?? []).map((c) => ({ value: c.id, label: `${c.name} (${c.id})` }))}
          value={customerIds}
          onChange={setCustomerIds}
        />
        <Group grow align="flex-start">
          <DateInput label="First day on the plan" placeholder="YYYY-MM-DD" valueFormat="YYYY-MM-DD" value={from} onChange={setFrom} />
          <DateInput label="Last day on the plan (optional)" description="Empty: open-ended" placeholder="YYYY-MM-DD" valueFormat="YYYY-MM-DD" clearable value={lastDay} onChange={setLastDay} error={rangeError} />
        </Group>
        {ends.length > 0 && (
          <Alert color="yellow" title={ends.length === 1 ? 'This customer is on another plan then' : 'These customers are on another plan then'}>
            <List size="sm" mb="xs">
              {ends.map((s) => (
                <List.Item key={s.customerId}>
                  {nameOf(s.customerId)} ({s.customerId}) is on {s.end!.planId} {assignmentRangeText(s.end!.from, s.end!.to)}.
                </List.Item>
              ))}
            </List>
            <Checkbox
              checked={endCurrent}
              onChange={(e) => setEndCurrent(e.currentTarget.checked)}
              label={`End ${ends.length === 1 ? 'that assignment' : 'those assignments'} on ${formatDay(addDays(from!, -1))} (the day before) and put ${ends.length === 1 ? 'the customer' : 'them'} on ${plan.id} from ${formatDay(from!)}`}
            />
            <Text size="xs" mt={4}>
              {endCurrent
                ? `Their billing data from ${formatDay(from!)} that is in no invoice is re-rated under ${plan.id}${to ? `; after ${formatDay(lastDay!)} they are on no plan` : ''}.`
                : 'Without ending them these customers are skipped: assignments may not overlap.'}
            </Text>
          </Alert>
        )}
        {blocked.length > 0 && (
          <Alert color="red" title="Cannot be assigned as asked">
            <List size="sm">
              {blocked.map((s) => (
                <List.Item key={s.customerId}>
                  {nameOf(s.customerId)} ({s.customerId}): {s.blocked}.
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        {outcome && (
          <Alert color={outcome.failed.length ? 'red' : 'green'} title={outcome.failed.length ? 'Not every customer was assigned' : 'Assigned'} data-testid="assign-result">
            <List size="sm">
              {[...outcome.done, ...outcome.failed].map((line) => (
                <List.Item key={line}>{line}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        <Group>
          <Button type="submit" disabled={runnable.length === 0} loading={assign.isPending}>
            {runnable.length > 1 ? `Assign ${runnable.length} customers` : 'Assign to customer'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
