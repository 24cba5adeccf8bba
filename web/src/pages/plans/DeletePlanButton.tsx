import { List, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api, dataOf, ifMatch } from '../../api/apiClient';
import type { Invoice, Plan } from '../../api/schemas';
import { ConfirmButton } from '../../components/ConfirmButton';
import { formatDayRange } from '../../components/formatDates';
import { notifyDone, notifyFailed } from '../../components/notify';
import { planKeys } from './planQueries';

/**
 * Delete a plan, saying first what goes with it (docs/billing-rules.md §3): its assignments, the draft
 * invoices that use it (their other items are released) and its billing data in no approved invoice.
 * The API refuses while an approved invoice uses the plan; the page says so instead of offering it.
 */
export function DeletePlanButton({ plan, etag, invoices }: { plan: Plan; etag: string | undefined; invoices: Invoice[] }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const drafts = invoices.filter((i) => i.status === 'draft');
  const approved = invoices.filter((i) => i.status === 'approved');
  const customers = [...new Set(plan.assignments.map((a) => a.customerId))];
  const remove = useMutation({
    mutationFn: () => dataOf(api.DELETE('/api/v1/plans/{id}', { params: { path: { id: plan.id }, header: ifMatch(etag) } })),
    onSuccess: (result) => {
      notifyDone(`Deleted ${result.id}: ${result.deletedDrafts.length} draft invoices and ${result.deletedItems} billing items went with it.`);
      void queryClient.invalidateQueries({ queryKey: planKeys.list });
      void queryClient.invalidateQueries({ queryKey: planKeys.assignments });
      void queryClient.invalidateQueries({ queryKey: ['invoices'] });
      queryClient.removeQueries({ queryKey: planKeys.plan(plan.id) });
      void navigate('/plans');
    },
    onError: (error) => notifyFailed(error, 'The plan was not deleted'),
  });
  if (approved.length > 0)
    return (
      <Text size="sm" c="dimmed" maw={360}>
        Cannot be deleted: approved invoice {approved.map((i) => i.number ?? i.id).join(', ')} uses this plan.
      </Text>
    );
  return (
    <ConfirmButton
      label="Delete plan"
      color="red"
      variant="light"
      title={`Delete ${plan.id}?`}
      confirmLabel="Delete the plan"
      loading={remove.isPending}
      onConfirm={() => remove.mutateAsync().catch(() => undefined)}
      message={
        <Stack gap="xs" data-testid="delete-plan-message">
          <Text size="sm">
            This deletes the plan “{plan.name}” ({plan.id}) for good, with its history, and also:
          </Text>
          <List size="sm">
            <List.Item>
              {plan.assignments.length === 0
                ? 'no assignment (no customer is on it);'
                : `its ${plan.assignments.length === 1 ? 'assignment' : `${plan.assignments.length} assignments`} — ${customers.join(', ')} will be on no plan for those days, so their calls there are not billed until you assign another plan;`}
            </List.Item>
            <List.Item>
              {drafts.length === 0 ? 'no draft invoice (none uses it);' : `the draft ${drafts.length === 1 ? 'invoice' : 'invoices'} that use it: ${drafts.map((i) => `${i.customerId} ${formatDayRange(i.from, i.to)}`).join(', ')} (their other items are released for the next generation);`}
            </List.Item>
            <List.Item>its billing data that is in no invoice.</List.Item>
          </List>
          <Text size="sm">A plan that an approved invoice uses cannot be deleted: the server refuses it.</Text>
        </Stack>
      }
    />
  );
}
