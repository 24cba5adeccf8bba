import { Alert, Badge, Button, Group, List, Paper, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, dataOf, dataWithEtag, ifMatch } from '../../api/apiClient';
import type { Invoice, Plan, PlanDefinition, PlanLockResult } from '../../api/schemas';
import { ConfirmButton } from '../../components/ConfirmButton';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatDayRange } from '../../components/formatDates';
import { Allowed } from '../../session/SessionProvider';
import { planKeys } from './planQueries';
import { definitionOf, formValuesOf, planChanges } from './planFormValues';

const shown = (value: unknown) => (value === undefined || value === null ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value));

/** The value at a `plan set` path (monthlyFee, portPool.ports, callRates.0.perMinute, services.pexip-vmr) of a definition. */
function valueAt(definition: PlanDefinition, path: string): unknown {
  let value: unknown = definition;
  for (const segment of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
  return value;
}

/** " (video × outbound)" after a call-rate path, so the operator sees which rate it is. */
function rateOf(definition: PlanDefinition, path: string): string {
  const match = /^callRates\.(\d+)\./.exec(path);
  const rate = match ? definition.callRates[Number(match[1])] : undefined;
  return rate ? ` (${rate.category} × ${rate.direction})` : '';
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What a lock did, in words (the page shows it and the step functions return it). */
export function lockResultText(result: PlanLockResult): string {
  if (result.changedFields.length === 0) return `Locked. The draft did not differ from version ${result.version}, which stays in force; nothing was recalculated.`;
  if (result.customersRated === 0) return `Locked at version ${result.version} (changed: ${result.changedFields.join(', ')}). No customer is on the plan yet: nothing was recalculated.`;
  return (
    `Locked at version ${result.version} (changed: ${result.changedFields.join(', ')}). ` +
    `Recalculated ${plural(result.customersRated, 'customer', 'customers')}: ${plural(result.itemsWritten, 'billing item', 'billing items')} written, ${plural(result.itemsDeleted, 'item', 'items')} removed.`
  );
}

/**
 * Unlock to edit, or Lock & recalculate, saying before the click what the recalculation does
 * (docs/billing-rules.md §3: the plan's billing data in no invoice is regenerated; items in a draft or
 * approved invoice keep the version they were rated with).
 */
export function PlanLockPanel({ plan, etag, draftInvoices }: { plan: Plan; etag: string | undefined; draftInvoices: Invoice[] }) {
  const queryClient = useQueryClient();
  const [result, setResult] = useState<PlanLockResult | null>(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: planKeys.plan(plan.id) });
    void queryClient.invalidateQueries({ queryKey: planKeys.history(plan.id) });
    void queryClient.invalidateQueries({ queryKey: planKeys.list });
  };
  const unlock = useMutation({
    mutationFn: () => dataWithEtag(api.POST('/api/v1/plans/{id}/unlock', { params: { path: { id: plan.id }, header: ifMatch(etag) } })),
    onSuccess: (unlocked) => {
      setResult(null);
      queryClient.setQueryData(planKeys.plan(plan.id), unlocked);
      refresh();
    },
  });
  const lock = useMutation({
    mutationFn: () => dataOf(api.POST('/api/v1/plans/{id}/lock', { params: { path: { id: plan.id }, header: ifMatch(etag) } })),
    onSuccess: (locked) => {
      setResult(locked);
      refresh();
      void queryClient.invalidateQueries({ queryKey: ['invoices'] });
    },
  });

  const customerIds = [...new Set(plan.assignments.map((a) => a.customerId))];
  const pending = plan.draft ? planChanges(definitionOf(formValuesOf(plan)), definitionOf(formValuesOf(plan.draft))) : [];
  const recalculation = (
    <Stack gap={6}>
      <Text size="sm">
        {pending.length === 0
          ? `The draft does not differ from version ${plan.version}: locking keeps that version in force and recalculates nothing.`
          : `Version ${(plan.version ?? 0) + 1} goes into force with ${plural(pending.length, 'change', 'changes')}, and the billing data of this plan that is in no invoice is recalculated at once — call charges, plan days, service days and custom elements — for ${customerIds.length === 0 ? 'no customer (none is on the plan)' : `${plural(customerIds.length, 'customer', 'customers')}: ${customerIds.join(', ')}`}.`}
      </Text>
      {pending.length > 0 && (
        <Text size="sm">
          Items already in an invoice keep the version they were rated with. {draftInvoices.length === 0 ? 'No draft invoice holds items of this plan.' : `${plural(draftInvoices.length, 'draft invoice holds', 'draft invoices hold')} items of this plan and will not change: ${draftInvoices.map((i) => `${i.customerId} (${formatDayRange(i.from, i.to)})`).join(', ')}. To bring a draft up to date, delete it and generate it again.`}
        </Text>
      )}
    </Stack>
  );

  return (
    <Paper withBorder p="md" component="section" aria-label="Lock state">
      <Stack gap="sm">
        <Group gap="xs">
          {plan.locked ? <Badge color="blue">Locked</Badge> : <Badge color="violet">Unlocked: draft being edited</Badge>}
          <Text size="sm">
            {plan.locked ? `Version ${plan.version} is in force.` : `Rating keeps using version ${plan.version} until you lock.`}
          </Text>
        </Group>
        {!plan.locked && pending.length > 0 && (
          <div>
            <Text size="sm" fw={600}>
              Saved in the draft, not in force yet:
            </Text>
            <List size="sm" data-testid="pending-changes">
              {pending.map((c) => (
                <List.Item key={c.field}>
                  <code>{c.field}</code>
                  {rateOf(plan, c.field)}: {shown(valueAt(plan, c.field))} → {shown(c.value)}
                </List.Item>
              ))}
            </List>
          </div>
        )}
        <Allowed permission="bill">
          {plan.locked ? (
            <Group>
              <Button variant="light" loading={unlock.isPending} onClick={() => unlock.mutate()}>
                Unlock to edit
              </Button>
              <Text size="sm" c="dimmed">
                Unlocking starts a draft; nothing is billed differently until you lock again.
              </Text>
            </Group>
          ) : (
            <Stack gap="xs">
              <Text size="sm" fw={600}>
                What Lock &amp; recalculate does
              </Text>
              {recalculation}
              <Group>
                <ConfirmButton label="Lock & recalculate" title={`Lock & recalculate ${plan.id}`} message={recalculation} confirmLabel="Lock & recalculate now" loading={lock.isPending} onConfirm={() => lock.mutateAsync().catch(() => undefined)} />
              </Group>
            </Stack>
          )}
        </Allowed>
        <ProblemAlert error={unlock.error ?? lock.error} title={unlock.error ? 'Not unlocked' : 'Not locked'} />
        {result && (
          <Alert color="green" title="Locked & recalculated" data-testid="lock-result">
            <Text size="sm">{lockResultText(result)}</Text>
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
